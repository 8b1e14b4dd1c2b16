// ProcessCluster: real shoal-member processes on their own loopback addresses, joined through
// network.join.tcp-ip, for the multi-process tests: start, signal, restart, write keys through
// REST and count afterwards which acknowledged keys cannot be read back.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

namespace shoal::test {

using namespace std::chrono_literals;

struct ClusterOptions {
    std::string cluster_name = "conformance";
    // Each member keeps its data in a directory of its own (persistence.base-dir), kept across
    // restarts of that member.
    bool persistence = false;
    std::vector<std::string> properties;  // extra -D properties for every member
    // hazelcast.stale.join.prevention.duration.seconds with persistence (members keep their
    // UUID across restarts): short, as the chart sets it, so restart tests do not wait 30 s.
    int stale_join_prevention_seconds = 2;
    std::string recovery_policy;  // persistence.cluster-data-recovery-policy; empty: the default
};

class ProcessCluster {
public:
    explicit ProcessCluster(int size, ClusterOptions options = {}) : options_(std::move(options)) {
        dir_ = std::filesystem::temp_directory_path() / ("shoal-cluster-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
        std::filesystem::create_directories(dir_);
        for (int i = 0; i < size; ++i) hosts_.push_back(unique_loopback_address());
        for (int i = 0; i < size; ++i) start(i);
    }
    ~ProcessCluster() {
        members_.clear();
        std::filesystem::remove_all(dir_);
    }

    void start(int i, const std::string& cluster_name = {}) {
        const std::string config = (dir_ / ("member-" + std::to_string(i) + ".yaml")).string();
        std::ofstream out(config);
        out << "hazelcast:\n  cluster-name: " << (cluster_name.empty() ? options_.cluster_name : cluster_name)
            << "\n  network:\n    join:\n      tcp-ip:\n        enabled: true\n        members:\n";
        for (const auto& host : hosts_) out << "          - " << host << "\n";
        if (options_.persistence) out << "  persistence:\n    enabled: true\n    base-dir: " << data_dir(i).string() << "\n";
        if (!options_.recovery_policy.empty()) out << "    cluster-data-recovery-policy: " << options_.recovery_policy << "\n";
        out.close();
        if (members_.size() <= static_cast<std::size_t>(i)) members_.resize(static_cast<std::size_t>(i) + 1);
        std::vector<std::string> argv{SHOAL_MEMBER_BINARY, "--config", config,
                                      "-Dhazelcast.local.localAddress=" + hosts_[static_cast<std::size_t>(i)]};
        if (options_.persistence) {
            argv.push_back("-Dhazelcast.stale.join.prevention.duration.seconds=" + std::to_string(options_.stale_join_prevention_seconds));
        }
        for (const auto& property : options_.properties) argv.push_back("-D" + property);
        members_[static_cast<std::size_t>(i)] = std::make_unique<ChildProcess>(argv);
    }

    int cluster_size(int i) const {
        const auto reply = http_request(hosts_[static_cast<std::size_t>(i)], 5701, "GET", "/hazelcast/health/cluster-size");
        return reply.status == 200 ? std::atoi(reply.body.c_str()) : -1;
    }
    bool safe(int i) const {
        return http_request(hosts_[static_cast<std::size_t>(i)], 5701, "GET", "/hazelcast/health/cluster-safe").status == 200;
    }
    bool await_size(const std::vector<int>& members, int size, std::chrono::milliseconds timeout = 20s) const {
        return eventually([&] {
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
                    const auto reply = http_request(host, 5701, "POST", "/hazelcast/rest/maps/m/k" + std::to_string(k),
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
            const auto reply = http_request(host, 5701, "GET", "/hazelcast/rest/maps/m/k" + std::to_string(k));
            if (reply.status != 200 || reply.body != "v" + std::to_string(k)) missing.push_back(k);
        }
        return missing;
    }

    ChildProcess& member(int i) { return *members_[static_cast<std::size_t>(i)]; }
    const std::string& host(int i) const { return hosts_[static_cast<std::size_t>(i)]; }
    std::filesystem::path data_dir(int i) const { return dir_ / ("data-" + std::to_string(i)); }

private:
    static inline std::atomic<int> counter_{0};
    ClusterOptions options_;
    std::filesystem::path dir_;
    std::vector<std::string> hosts_;
    std::vector<std::unique_ptr<ChildProcess>> members_;
};

}  // namespace shoal::test
