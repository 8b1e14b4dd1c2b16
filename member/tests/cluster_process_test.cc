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

#include "process_cluster.h"
#include "test_support.h"

namespace shoal {
namespace {

using namespace std::chrono_literals;
using Cluster = test::ProcessCluster;

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

// The whole cluster SIGTERMed at once: nobody can take the replicas, so nobody waits for the
// graceful max wait (600 s here) on the others; each exits 0 at once.
TEST(ClusterProcesses, EveryMemberSigtermedTogetherExitsWithoutWaitingOnTheOthers) {
    test::ClusterOptions options;
    options.properties = {"hazelcast.graceful.shutdown.max.wait=600"};
    Cluster cluster(2, options);
    ASSERT_TRUE(cluster.await_size({0, 1}, 2));
    ASSERT_EQ(cluster.write(0, 1000, {0, 1}).size(), 1000u);
    cluster.member(0).signal(SIGTERM);
    cluster.member(1).signal(SIGTERM);
    const auto first = cluster.member(0).wait(30s);
    const auto second = cluster.member(1).wait(30s);
    EXPECT_FALSE(first.timed_out) << cluster.member(0).output();
    EXPECT_FALSE(second.timed_out) << cluster.member(1).output();
    EXPECT_EQ(first.exit_code, 0);
    EXPECT_EQ(second.exit_code, 0);
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
