// Multi-process cluster tests: real shoal-member processes on their own loopback addresses,
// joined through network.join.tcp-ip, killed with SIGKILL and SIGTERM. Every test counts every
// acknowledged entry afterwards.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "test_support.h"

namespace shoal {
namespace {

using namespace std::chrono_literals;

class Cluster {
public:
    Cluster(int size, const std::string& cluster_name = "conformance") : cluster_name_(cluster_name) {
        dir_ = std::filesystem::temp_directory_path() / ("shoal-cluster-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
        std::filesystem::create_directories(dir_);
        for (int i = 0; i < size; ++i) hosts_.push_back(test::unique_loopback_address());
        for (int i = 0; i < size; ++i) start(i);
    }
    ~Cluster() {
        members_.clear();
        std::filesystem::remove_all(dir_);
    }

    void start(int i, const std::string& cluster_name = {}) {
        const std::string config = (dir_ / ("member-" + std::to_string(i) + ".yaml")).string();
        std::ofstream out(config);
        out << "hazelcast:\n  cluster-name: " << (cluster_name.empty() ? cluster_name_ : cluster_name)
            << "\n  network:\n    join:\n      tcp-ip:\n        enabled: true\n        members:\n";
        for (const auto& host : hosts_) out << "          - " << host << "\n";
        out.close();
        if (members_.size() <= static_cast<std::size_t>(i)) members_.resize(static_cast<std::size_t>(i) + 1);
        members_[static_cast<std::size_t>(i)] = std::make_unique<test::ChildProcess>(std::vector<std::string>{
            SHOAL_MEMBER_BINARY, "--config", config, "-Dhazelcast.local.localAddress=" + hosts_[static_cast<std::size_t>(i)]});
    }

    int cluster_size(int i) const {
        const auto reply = test::http_request(hosts_[static_cast<std::size_t>(i)], 5701, "GET", "/hazelcast/health/cluster-size");
        return reply.status == 200 ? std::atoi(reply.body.c_str()) : -1;
    }
    bool safe(int i) const {
        return test::http_request(hosts_[static_cast<std::size_t>(i)], 5701, "GET", "/hazelcast/health/cluster-safe").status == 200;
    }
    bool await_size(const std::vector<int>& members, int size, std::chrono::milliseconds timeout = 20s) const {
        return test::eventually([&] {
            for (int i : members) {
                if (cluster_size(i) != size) return false;
            }
            return true;
        }, timeout);
    }

    // Writes keys [from, to) through the members in turn; returns the keys acknowledged.
    std::vector<int> write(int from, int to, const std::vector<int>& through, int threads = 4) const {
        std::vector<std::vector<int>> acked(static_cast<std::size_t>(threads));
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                for (int k = from + t; k < to; k += threads) {
                    const auto& host = hosts_[static_cast<std::size_t>(through[static_cast<std::size_t>(k) % through.size()])];
                    const auto reply = test::http_request(host, 5701, "POST", "/hazelcast/rest/maps/m/k" + std::to_string(k),
                                                          "v" + std::to_string(k), "text/plain");
                    if (reply.status == 200) acked[static_cast<std::size_t>(t)].push_back(k);
                }
            });
        }
        for (auto& w : workers) w.join();
        std::vector<int> all;
        for (auto& a : acked) all.insert(all.end(), a.begin(), a.end());
        return all;
    }

    // The acknowledged keys that cannot be read back with their value.
    std::vector<int> lost(const std::vector<int>& keys, const std::vector<int>& through) const {
        std::vector<int> missing;
        for (std::size_t n = 0; n < keys.size(); ++n) {
            const int k = keys[n];
            const auto& host = hosts_[static_cast<std::size_t>(through[n % through.size()])];
            const auto reply = test::http_request(host, 5701, "GET", "/hazelcast/rest/maps/m/k" + std::to_string(k));
            if (reply.status != 200 || reply.body != "v" + std::to_string(k)) missing.push_back(k);
        }
        return missing;
    }

    test::ChildProcess& member(int i) { return *members_[static_cast<std::size_t>(i)]; }

private:
    static inline std::atomic<int> counter_{0};
    std::string cluster_name_;
    std::filesystem::path dir_;
    std::vector<std::string> hosts_;
    std::vector<std::unique_ptr<test::ChildProcess>> members_;
};

constexpr int kEntries = 10'000;

TEST(ClusterProcesses, ThreeMembersFormOneClusterAndServeEveryEntryFromEveryMember) {
    Cluster cluster(3);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3)) << cluster.member(0).output();
    const auto acked = cluster.write(0, kEntries, {0, 1, 2});
    ASSERT_EQ(acked.size(), static_cast<std::size_t>(kEntries));
    EXPECT_TRUE(cluster.lost(acked, {2, 1, 0}).empty());
    EXPECT_TRUE(test::eventually([&] { return cluster.safe(0) && cluster.safe(1) && cluster.safe(2); }));
}

TEST(ClusterProcesses, SigkillOfOneMemberUnderWriteLoadLosesNoAcknowledgedWrite) {
    Cluster cluster(3);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    auto acked = cluster.write(0, kEntries / 2, {0, 1, 2});
    std::vector<int> during;
    std::thread writer([&] { during = cluster.write(kEntries / 2, kEntries, {0, 1}); });
    std::this_thread::sleep_for(200ms);  // let the writer get going: the kill lands mid-load
    cluster.member(2).signal(SIGKILL);
    writer.join();
    acked.insert(acked.end(), during.begin(), during.end());
    ASSERT_TRUE(cluster.await_size({0, 1}, 2));
    const auto missing = cluster.lost(acked, {0, 1});
    EXPECT_TRUE(missing.empty()) << missing.size() << " of " << acked.size() << " acknowledged entries lost";
    // The lost backups are rebuilt: the cluster becomes safe again.
    EXPECT_TRUE(test::eventually([&] { return cluster.safe(0) && cluster.safe(1); }, 30s));
}

TEST(ClusterProcesses, TwoMembersSigtermedTogetherHandTheirDataOverAndExitZero) {
    Cluster cluster(3);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    const auto acked = cluster.write(0, kEntries, {0, 1, 2});
    ASSERT_EQ(acked.size(), static_cast<std::size_t>(kEntries));
    cluster.member(1).signal(SIGTERM);
    cluster.member(2).signal(SIGTERM);
    EXPECT_EQ(cluster.member(1).wait(60s).exit_code, 0) << cluster.member(1).output();
    EXPECT_EQ(cluster.member(2).wait(60s).exit_code, 0) << cluster.member(2).output();
    EXPECT_NE(cluster.member(1).output().find("every replica moved"), std::string::npos) << cluster.member(1).output();
    EXPECT_NE(cluster.member(2).output().find("every replica moved"), std::string::npos) << cluster.member(2).output();
    ASSERT_TRUE(cluster.await_size({0}, 1));
    const auto missing = cluster.lost(acked, {0});
    EXPECT_TRUE(missing.empty()) << missing.size() << " of " << acked.size() << " entries lost";
}

TEST(ClusterProcesses, AJoiningMemberTakesItsShareAndNothingIsLost) {
    Cluster cluster(2);
    ASSERT_TRUE(cluster.await_size({0, 1}, 2));
    const auto acked = cluster.write(0, kEntries, {0, 1});
    ASSERT_EQ(acked.size(), static_cast<std::size_t>(kEntries));
    cluster.member(1).signal(SIGTERM);
    ASSERT_EQ(cluster.member(1).wait(60s).exit_code, 0);
    cluster.start(1);  // comes back with a new UUID on the same address and joins again
    ASSERT_TRUE(cluster.await_size({0, 1}, 2));
    EXPECT_TRUE(test::eventually([&] { return cluster.safe(0) && cluster.safe(1); }, 30s));
    const auto missing = cluster.lost(acked, {1, 0});
    EXPECT_TRUE(missing.empty()) << missing.size() << " entries lost";
}

TEST(ClusterProcesses, AMemberOfAnotherClusterNameIsRefusedAndBothSidesSayWhy) {
    Cluster cluster(2);
    cluster.member(1).signal(SIGKILL);
    cluster.member(1).wait(5s);
    ASSERT_TRUE(cluster.await_size({0}, 1));
    cluster.start(1, "another-cluster");
    ASSERT_TRUE(cluster.await_size({1}, 1));
    EXPECT_TRUE(test::eventually([&] { return cluster.member(0).output().find("refused member") != std::string::npos; }));
    EXPECT_TRUE(test::eventually([&] { return cluster.member(1).output().find("refused this member") != std::string::npos; }));
    EXPECT_EQ(cluster.cluster_size(0), 1);
}

}  // namespace
}  // namespace shoal
