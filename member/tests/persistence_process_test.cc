// Persistence with real processes: members killed with SIGKILL (one, or all at once) and
// started again on their directories come back as the same members with every acknowledged
// entry, and a directory is never shared by two members.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include "process_cluster.h"
#include "test_support.h"

namespace shoal {
namespace {

using namespace std::chrono_literals;
using Cluster = test::ProcessCluster;

constexpr int kEntries = 3'000;

test::ClusterOptions with_persistence() {
    test::ClusterOptions options;
    options.cluster_name = "persistence";
    options.persistence = true;
    return options;
}

// The UUID the member logs as "this" in its latest member list ("... - <uuid> this"). No
// std::regex: g++ 12 warns inside it under the sanitizers' -O1, and -Werror makes that fatal.
std::string own_uuid(const std::string& output) {
    constexpr std::size_t kUuidLength = 36;
    const auto at = output.rfind(" this\n");
    if (at == std::string::npos || at < kUuidLength + 2) return {};
    const std::size_t start = at - kUuidLength;
    return output.compare(start - 2, 2, "- ") == 0 ? output.substr(start, kUuidLength) : std::string();
}

// The host of the first member (the master) in the latest member list the output logged.
std::string master_host(const std::string& output) {
    const auto block = output.rfind("Members {");
    if (block == std::string::npos) return {};
    const auto line = output.find("\tMember ", block);
    const auto colon = output.find(':', line);
    return line == std::string::npos || colon == std::string::npos ? std::string() : output.substr(line + 8, colon - line - 8);
}

void kill_and_reap(test::ChildProcess& member) {
    member.signal(SIGKILL);
    member.wait(10s);
}

// The partition table version member i's metadata file holds (REST), -1 before it saved one.
long saved_table_version(const Cluster& cluster, int i) {
    const auto body = test::http_request(cluster.host(i), 5701, "GET", "/hazelcast/rest/persistence").body;
    const auto at = body.find("\"savedTableVersion\":");
    return at == std::string::npos ? -2L : std::atol(body.c_str() + at + 20);
}

bool ready(const Cluster& cluster, int i) {
    return test::http_request(cluster.host(i), 5701, "GET", "/hazelcast/health/ready").status == 200;
}

TEST(PersistenceProcesses, ASigkilledMemberComesBackAsItselfWithEveryAcknowledgedEntry) {
    Cluster cluster(1, with_persistence());
    ASSERT_TRUE(cluster.await_size({0}, 1)) << cluster.member(0).output();
    const auto acked = cluster.write(0, kEntries, {0});
    ASSERT_EQ(acked.size(), static_cast<std::size_t>(kEntries));
    // Removals are as durable as writes: a removed key must not come back.
    for (int k = 0; k < 100; ++k) {
        ASSERT_EQ(test::http_request(cluster.host(0), 5701, "DELETE", "/hazelcast/rest/maps/m/k" + std::to_string(k)).status, 200);
    }
    const std::string uuid = own_uuid(cluster.member(0).output());
    ASSERT_FALSE(uuid.empty());
    kill_and_reap(cluster.member(0));

    cluster.start(0);
    ASSERT_TRUE(test::eventually([&] { return ready(cluster, 0); }, 30s)) << cluster.member(0).output();
    EXPECT_EQ(own_uuid(cluster.member(0).output()), uuid) << "the member keeps its identity";
    EXPECT_NE(cluster.member(0).output().find("persistence: loaded " + std::to_string(kEntries - 100) + " entries"), std::string::npos)
        << cluster.member(0).output();
    const auto status = test::http_request(cluster.host(0), 5701, "GET", "/hazelcast/rest/persistence");
    EXPECT_EQ(status.status, 200);
    EXPECT_NE(status.body.find("\"phase\":\"DONE\""), std::string::npos) << status.body;
    EXPECT_NE(status.body.find("\"entries\":" + std::to_string(kEntries - 100)), std::string::npos) << status.body;
    const auto ctl = test::run_process({SHOALCTL_BINARY, "--address", cluster.host(0) + ":5701", "persistence"});
    EXPECT_NE(ctl.output.find("phase:        DONE"), std::string::npos) << ctl.output;
    EXPECT_NE(ctl.output.find("entries:      " + std::to_string(kEntries - 100)), std::string::npos) << ctl.output;
    const std::vector<int> kept(acked.begin(), acked.end());
    std::vector<int> survivors;
    for (int k : kept) {
        if (k >= 100) survivors.push_back(k);
    }
    EXPECT_TRUE(cluster.lost(survivors, {0}).empty());
    for (int k = 0; k < 100; ++k) {
        EXPECT_EQ(test::http_request(cluster.host(0), 5701, "GET", "/hazelcast/rest/maps/m/k" + std::to_string(k)).status, 204) << k;
    }
}

TEST(PersistenceProcesses, TwoMembersCannotShareADirectory) {
    Cluster cluster(2, with_persistence());
    ASSERT_TRUE(cluster.await_size({0, 1}, 2));
    kill_and_reap(cluster.member(1));
    std::filesystem::remove_all(cluster.data_dir(1));
    std::filesystem::create_directory_symlink(cluster.data_dir(0), cluster.data_dir(1));
    cluster.start(1);
    const auto result = cluster.member(1).wait(20s);
    EXPECT_EQ(result.exit_code, 1) << "a start failure, not a crash";
    EXPECT_NE(result.output.find("cannot start: persistence: base-dir"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("is in use by another member"), std::string::npos) << result.output;
}

// Every member SIGKILLed in the middle of a write load, then started again on its directory.
void kill_everyone_and_restart(test::ClusterOptions options) {
    Cluster cluster(3, std::move(options));
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    ASSERT_TRUE(test::eventually([&] { return cluster.safe(0) && cluster.safe(1) && cluster.safe(2); }, 30s));
    auto acked = cluster.write(0, kEntries, {0, 1, 2});
    std::vector<int> during;
    std::thread writer([&] { during = cluster.write(kEntries, 3 * kEntries, {0, 1, 2}); });
    std::this_thread::sleep_for(300ms);  // the kill lands in the middle of the load
    for (int i = 0; i < 3; ++i) cluster.member(i).signal(SIGKILL);
    writer.join();
    for (int i = 0; i < 3; ++i) cluster.member(i).wait(10s);
    acked.insert(acked.end(), during.begin(), during.end());

    for (int i = 0; i < 3; ++i) cluster.start(i);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3, 60s)) << cluster.member(0).output();
    ASSERT_TRUE(test::eventually([&] { return ready(cluster, 0) && ready(cluster, 1) && ready(cluster, 2); }, 60s));
    EXPECT_TRUE(test::eventually([&] {
        return cluster.member(0).output().find("restored the persisted partition table") != std::string::npos ||
               cluster.member(1).output().find("restored the persisted partition table") != std::string::npos ||
               cluster.member(2).output().find("restored the persisted partition table") != std::string::npos;
    }));
    const auto missing = cluster.lost(acked, {2, 0, 1});
    EXPECT_TRUE(missing.empty()) << missing.size() << " of " << acked.size() << " acknowledged entries lost\n"
                                 << cluster.member(0).output();
    EXPECT_TRUE(test::eventually([&] { return cluster.safe(0) && cluster.safe(1) && cluster.safe(2); }, 60s));
}

TEST(PersistenceProcesses, AllMembersKilledAtOnceUnderWriteLoadComeBackWithEveryAcknowledgedEntry) {
    kill_everyone_and_restart(with_persistence());
}

// BATCHED bounds what a machine crash can lose; a killed process loses nothing even so, as the
// bytes are in the page cache before the write is acknowledged.
TEST(PersistenceProcesses, WithBatchedSyncAKilledClusterStillLosesNoAcknowledgedEntry) {
    test::ClusterOptions options = with_persistence();
    options.properties = {"shoal.persistence.fsync=BATCHED", "shoal.persistence.fsync-interval-ms=50"};
    kill_everyone_and_restart(options);
}

TEST(PersistenceProcesses, AMemberKilledUnderWriteLoadRestartsOnItsDirectoryAndNothingIsLost) {
    Cluster cluster(3, with_persistence());
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    auto acked = cluster.write(0, kEntries, {0, 1, 2});
    std::vector<int> during;
    std::thread writer([&] { during = cluster.write(kEntries, 2 * kEntries, {0, 1}); });
    std::this_thread::sleep_for(200ms);
    const std::string uuid = own_uuid(cluster.member(2).output());
    kill_and_reap(cluster.member(2));
    cluster.start(2);
    writer.join();
    acked.insert(acked.end(), during.begin(), during.end());
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3, 60s)) << cluster.member(2).output();
    EXPECT_EQ(own_uuid(cluster.member(2).output()), uuid);
    EXPECT_TRUE(test::eventually([&] { return cluster.safe(0) && cluster.safe(1) && cluster.safe(2); }, 60s));
    const auto missing = cluster.lost(acked, {2, 1, 0});
    EXPECT_TRUE(missing.empty()) << missing.size() << " of " << acked.size() << " acknowledged entries lost";
}

// hazelcast.stale.join.prevention.duration.seconds: the master refuses a UUID that joined less
// than that long ago, so a member restarted with its persisted UUID after its old incarnation
// was removed waits out the rest of the duration, then joins as itself.
TEST(PersistenceProcesses, ARestartedMemberRejoinsOnlyAfterTheStaleJoinPreventionDuration) {
    auto options = with_persistence();
    options.stale_join_prevention_seconds = 12;
    const auto started = std::chrono::steady_clock::now();  // every member joins after this
    Cluster cluster(3, options);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    // The victim is a member that joined (the first master formed the cluster, it did not join).
    const int victim = cluster.host(2) != master_host(cluster.member(0).output()) ? 2 : 1;
    const std::vector<int> others = victim == 2 ? std::vector<int>{0, 1} : std::vector<int>{0, 2};
    const std::string uuid = own_uuid(cluster.member(victim).output());
    // Its identity must be on disk before the kill, or it rightly comes back as a new member.
    ASSERT_TRUE(test::eventually([&] { return saved_table_version(cluster, victim) >= 0; }, 10s));
    kill_and_reap(cluster.member(victim));
    ASSERT_TRUE(cluster.await_size(others, 2)) << "the old incarnation is removed first";
    cluster.start(victim);
    const auto refused = [&] {
        const std::string logs = cluster.member(others[0]).output() + cluster.member(others[1]).output();
        return logs.find("may join again after hazelcast.stale.join.prevention.duration.seconds (12 s)") != std::string::npos;
    };
    EXPECT_TRUE(test::eventually(refused, 20s)) << cluster.member(others[0]).output() << cluster.member(others[1]).output();
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3, 60s)) << cluster.member(victim).output();
    EXPECT_GE(std::chrono::steady_clock::now() - started, 12s) << "admitted before the duration since its first join had passed";
    EXPECT_EQ(own_uuid(cluster.member(victim).output()), uuid);
}

// As in Hazelcast, a cluster restarted from disk comes back in the cluster state an operator set
// before it went down.
TEST(PersistenceProcesses, AClusterRestartedFromDiskComesBackInItsPersistedClusterState) {
    Cluster cluster(3, with_persistence());
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    const auto acked = cluster.write(0, 300, {0, 1, 2});
    ASSERT_EQ(acked.size(), 300u);
    const auto changed = test::http_request(cluster.host(1), 5701, "PUT", "/hazelcast/rest/management/cluster/state",
                                            "{\"state\":\"FROZEN\"}", "application/json");
    ASSERT_EQ(changed.status, 200) << changed.body;
    const auto state_of = [&](int i) {
        return test::http_request(cluster.host(i), 5701, "GET", "/hazelcast/health/cluster-state").body;
    };
    ASSERT_TRUE(test::eventually([&] { return state_of(0) == "\"FROZEN\"" && state_of(2) == "\"FROZEN\""; }, 10s));
    // The metadata is saved by a thread of its own: wait until every member's file names the state.
    const auto saved = [&](int i) {
        std::ifstream in(cluster.data_dir(i) / "member.meta", std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return bytes.find("FROZEN") != std::string::npos;
    };
    ASSERT_TRUE(test::eventually([&] { return saved(0) && saved(1) && saved(2); }, 10s));
    for (int i = 0; i < 3; ++i) kill_and_reap(cluster.member(i));
    for (int i = 0; i < 3; ++i) cluster.start(i);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3, 60s)) << cluster.member(0).output();
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(test::eventually([&] { return state_of(i) == "\"FROZEN\""; }, 10s)) << state_of(i);
    const std::string logs = cluster.member(0).output() + cluster.member(1).output() + cluster.member(2).output();
    EXPECT_NE(logs.find("persistence: the cluster comes back in its persisted state FROZEN"), std::string::npos) << logs;
    EXPECT_TRUE(cluster.lost(acked, {0, 1, 2}).empty());
}

// A member killed early holds an old partition table; the others went on without it (new owners,
// more writes) and were killed later. Restarted first, it forms the cluster alone; the others
// bring the newer table when they join, and that one is restored: every write made after the
// first kill is back.
TEST(PersistenceProcesses, TheNewestPersistedTableWinsEvenWhenAStaleMemberFormsTheCluster) {
    Cluster cluster(3, with_persistence());
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    auto acked = cluster.write(0, kEntries, {0, 1, 2});
    ASSERT_EQ(acked.size(), static_cast<std::size_t>(kEntries));
    kill_and_reap(cluster.member(2));
    ASSERT_TRUE(cluster.await_size({0, 1}, 2));
    ASSERT_TRUE(test::eventually([&] { return cluster.safe(0) && cluster.safe(1); }, 30s)) << "backups rebuilt without member 2";
    const auto later = cluster.write(kEntries, 2 * kEntries, {0, 1});
    ASSERT_EQ(later.size(), static_cast<std::size_t>(kEntries));
    acked.insert(acked.end(), later.begin(), later.end());
    kill_and_reap(cluster.member(0));
    kill_and_reap(cluster.member(1));

    cluster.start(2);  // alone: it forms the cluster and waits for the members of its old table
    ASSERT_TRUE(test::eventually([&] {
        return cluster.member(2).output().find("persistence: waiting for") != std::string::npos;
    }, 30s)) << cluster.member(2).output();
    cluster.start(0);
    cluster.start(1);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3, 60s)) << cluster.member(2).output();
    EXPECT_NE(cluster.member(2).output().find("brings a newer partition table"), std::string::npos) << cluster.member(2).output();
    EXPECT_TRUE(test::eventually([&] { return cluster.safe(0) && cluster.safe(1) && cluster.safe(2); }, 60s));
    const auto missing = cluster.lost(acked, {0, 1, 2});
    EXPECT_TRUE(missing.empty()) << missing.size() << " of " << acked.size() << " acknowledged entries lost";
}

// PARTIAL_RECOVERY_MOST_COMPLETE restores the table most members hold: two members killed
// together keep one version, the third went on alone under a newer one; the older wins.
TEST(PersistenceProcesses, MostCompleteRestoresTheTableMostMembersHold) {
    auto options = with_persistence();
    options.recovery_policy = "PARTIAL_RECOVERY_MOST_COMPLETE";
    Cluster cluster(3, options);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    ASSERT_EQ(cluster.write(0, 300, {0, 1, 2}).size(), 300u);
    ASSERT_TRUE(test::eventually([&] { return cluster.safe(0); }, 30s));
    const auto saved_version = [&](int i) { return saved_table_version(cluster, i); };
    long shared = -1;
    ASSERT_TRUE(test::eventually([&] {
        shared = saved_version(0);
        return shared >= 0 && saved_version(1) == shared && saved_version(2) == shared;
    }, 10s)) << "every member has the same table on disk";
    // Both at once: killed one after the other, member 1 could still save the table that
    // member 0's loss produced, and the two would no longer hold the same table.
    cluster.member(0).signal(SIGKILL);
    cluster.member(1).signal(SIGKILL);
    cluster.member(0).wait(10s);
    cluster.member(1).wait(10s);
    ASSERT_TRUE(cluster.await_size({2}, 1)) << cluster.member(2).output();
    ASSERT_TRUE(test::eventually([&] { return cluster.safe(2) && saved_version(2) > shared; }, 30s))
        << "member 2 alone takes every partition, under a newer table on disk";
    kill_and_reap(cluster.member(2));
    // The two holding the older table start first and wait for member 2, which their table
    // names; member 2's own table names only itself, so had it started first it would have
    // formed the cluster alone, as the newest view it knew said.
    cluster.start(0);
    cluster.start(1);
    ASSERT_TRUE(test::eventually([&] {
        return (cluster.member(0).output() + cluster.member(1).output()).find("persistence: waiting for") != std::string::npos;
    }, 30s)) << cluster.member(0).output();
    cluster.start(2);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3, 60s)) << cluster.member(0).output();
    const auto logs = [&] { return cluster.member(0).output() + cluster.member(1).output() + cluster.member(2).output(); };
    EXPECT_TRUE(test::eventually([&] {
        return logs().find("PARTIAL_RECOVERY_MOST_COMPLETE restores partition table version") != std::string::npos;
    }, 20s)) << logs();
}

// A counter of /metrics, summed over its lines that start with `series` (name and labels).
std::uint64_t metric(const Cluster& cluster, int i, const std::string& series) {
    const auto reply = test::http_request(cluster.host(i), 5701, "GET", "/metrics");
    std::uint64_t total = 0;
    for (std::size_t at = reply.body.find(series); at != std::string::npos; at = reply.body.find(series, at + 1)) {
        if (at > 0 && reply.body[at - 1] != '\n') continue;
        const auto space = reply.body.find(' ', at);
        if (space != std::string::npos) total += std::strtoull(reply.body.c_str() + space + 1, nullptr, 10);
    }
    return total;
}

// The rolling restart of a StatefulSet (cluster state NO_MIGRATION): the member that comes back
// keeps what it recovered, its partitions return to it by migration, and each migration sends
// only the digest buckets that changed while it was away. Its refilled copies are then all that
// holds some partitions (another member is SIGKILLed): every acknowledged entry is there.
TEST(PersistenceProcesses, AMemberBackFromARestartIsRefilledWithOnlyWhatChanged) {
    auto options = with_persistence();
    options.properties = {"hazelcast.partition.count=31"};  // about 100 entries a partition: 32 digest buckets
    Cluster cluster(3, options);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    auto acked = cluster.write(0, kEntries, {0, 1, 2});
    ASSERT_EQ(acked.size(), static_cast<std::size_t>(kEntries));
    ASSERT_TRUE(test::eventually([&] { return cluster.safe(0) && cluster.safe(1) && cluster.safe(2); }, 30s));
    const auto set_state = [&](const std::string& state) {
        const auto changed = test::http_request(cluster.host(0), 5701, "PUT", "/hazelcast/rest/management/cluster/state",
                                                "{\"state\":\"" + state + "\"}", "application/json");
        ASSERT_EQ(changed.status, 200) << changed.body;
    };
    set_state("NO_MIGRATION");
    kill_and_reap(cluster.member(2));
    ASSERT_TRUE(cluster.await_size({0, 1}, 2, 30s));
    const auto while_away = cluster.write(kEntries, kEntries + 30, {0, 1});
    ASSERT_EQ(while_away.size(), 30u);
    acked.insert(acked.end(), while_away.begin(), while_away.end());
    cluster.start(2);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3, 60s)) << cluster.member(2).output();
    set_state("ACTIVE");
    ASSERT_TRUE(test::eventually([&] { return cluster.safe(0) && cluster.safe(1) && cluster.safe(2); }, 60s));
    const auto sum = [&](const std::string& series) { return metric(cluster, 0, series) + metric(cluster, 1, series); };
    const auto differential = sum("shoal_partition_snapshots_total{kind=\"differential\"}");
    const auto sent = sum("shoal_partition_snapshot_entries_total{kind=\"differential\",result=\"sent\"}");
    const auto skipped = sum("shoal_partition_snapshot_entries_total{kind=\"differential\",result=\"skipped\"}");
    EXPECT_GT(differential, 10u) << "member 2's partitions should come back differentially";
    // 30 changed entries among about 2000 it held: a few entries per changed digest bucket travel.
    EXPECT_GT(skipped, 5 * sent) << "sent " << sent << " entries, skipped " << skipped << " in " << differential
                                 << " differential copies";
    std::printf("differential refill of the returning member: %llu copies, %llu entries sent, %llu skipped\n",
                static_cast<unsigned long long>(differential), static_cast<unsigned long long>(sent),
                static_cast<unsigned long long>(skipped));
    kill_and_reap(cluster.member(0));
    ASSERT_TRUE(cluster.await_size({1, 2}, 2, 30s));
    const auto missing = cluster.lost(acked, {2, 1});
    EXPECT_TRUE(missing.empty()) << missing.size() << " of " << acked.size() << " acknowledged entries lost";
}

TEST(PersistenceProcesses, AMemberWhoseDirectoryWasWipedRejoinsAsANewMemberAndIsRefilledFromBackups) {
    Cluster cluster(3, with_persistence());
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    const auto acked = cluster.write(0, kEntries, {0, 1, 2});
    ASSERT_EQ(acked.size(), static_cast<std::size_t>(kEntries));
    ASSERT_TRUE(test::eventually([&] { return cluster.safe(0) && cluster.safe(1) && cluster.safe(2); }, 30s));
    const std::string uuid = own_uuid(cluster.member(2).output());
    kill_and_reap(cluster.member(2));
    std::filesystem::remove_all(cluster.data_dir(2));  // a lost volume
    cluster.start(2);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3, 60s)) << cluster.member(2).output();
    EXPECT_NE(own_uuid(cluster.member(2).output()), uuid) << "an empty directory means a new member";
    EXPECT_TRUE(test::eventually([&] { return cluster.safe(0) && cluster.safe(1) && cluster.safe(2); }, 60s));
    const auto missing = cluster.lost(acked, {2, 1, 0});
    EXPECT_TRUE(missing.empty()) << missing.size() << " of " << acked.size() << " entries lost";
    // Its new directory holds the replicas it was given: killed again, it comes back with them.
    kill_and_reap(cluster.member(0));
    kill_and_reap(cluster.member(1));
    kill_and_reap(cluster.member(2));
    for (int i = 0; i < 3; ++i) cluster.start(i);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3, 60s));
    const auto after_restart = cluster.lost(acked, {0, 1, 2});
    EXPECT_TRUE(after_restart.empty()) << after_restart.size() << " of " << acked.size() << " entries lost after a full restart";
}

}  // namespace
}  // namespace shoal
