// Replication between two members' PartitionServices in one process, joined by a loopback
// transport that can lose backup messages: backups follow their owner, and a backup that
// missed writes without noticing (no later write reveals a gap) is repaired by anti-entropy.
// Runs under TSan with the other concurrency tests.
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "map/data.h"
#include "partition/map_operations.h"
#include "partition/partition_service.h"
#include "replica_loopback.h"
#include "test_support.h"

namespace shoal::partition {
namespace {

using Value = std::optional<std::string>;
using Clock = std::chrono::steady_clock;

using test_members::TestMember;

class PartitionReplication : public ::testing::Test {
protected:
    void SetUp() override { table({"A", "B"}, 1); }
    // Every partition replicated on `replicas` (owner first), as the master "A" publishes it.
    void table(const std::vector<std::string>& replicas, std::int64_t version) {
        auto t = std::make_shared<PartitionTable>();
        t->version = version;
        t->replicas.assign(271, replicas);
        a.service.apply_table(t, "A");
        b.service.apply_table(t, "A");
    }
    static std::string k(int i) { return map::string_data("key-" + std::to_string(i)); }
    static std::string v(int i) { return map::string_data("value-" + std::to_string(i)); }
    void put(TestMember& m, int i) {
        ASSERT_TRUE(test::await<Value>([&](auto done) { m.maps.put("m", k(i), v(i), {}, done); }).ok()) << "key " << i;
    }
    int present_on_b(int count) {
        table({"B"}, 2);  // A is gone: B's replicas are promoted and serve what they hold
        int present = 0;
        for (int i = 0; i < count; ++i) {
            present += test::await<Value>([&](auto done) { b.maps.get("m", k(i), done); }).value == v(i);
        }
        return present;
    }

    std::map<std::string, PartitionService*> members;
    TestMember a{"A", members, 271};
    TestMember b{"B", members, 271};
};

TEST_F(PartitionReplication, EveryAcknowledgedWriteIsOnTheBackup) {
    for (int i = 0; i < 2000; ++i) put(a, i);
    EXPECT_EQ(present_on_b(2000), 2000);
}

TEST_F(PartitionReplication, AntiEntropyRepairsABackupThatSilentlyMissedWrites) {
    for (int i = 0; i < 1000; ++i) put(a, i);
    a.transport.lose_backups = true;
    for (int i = 1000; i < 2000; ++i) put(a, i);
    a.transport.lose_backups = false;
    // Nothing after the loss reveals a gap, so only the periodic version check can find it.
    a.service.sync_tick();
    ASSERT_TRUE(test::eventually([&] { return b.transport.delivered(ReplicaMessageType::kSyncRequest) > 0; }, std::chrono::seconds(20)))
        << "the backup never noticed";
    // Done when every backup answers that it is at its owner's version: counting messages
    // instead raced with partition threads that had not run their check yet.
    const auto in_sync = [&] {
        return test::await<bool>([&](auto done) {
            a.service.check_backups_in_sync([done](bool ok) { done(OpResult<bool>{OpStatus::kOk, ok}); });
        }).value;
    };
    EXPECT_TRUE(test::eventually(in_sync, std::chrono::seconds(20)));
    EXPECT_EQ(present_on_b(2000), 2000);
}

TEST_F(PartitionReplication, AGapInVersionsIsRepairedByTheNextWrite) {
    a.transport.lose_backups = true;
    for (int i = 0; i < 300; ++i) put(a, i);
    a.transport.lose_backups = false;
    for (int i = 300; i < 3000; ++i) put(a, i);  // reaches every partition: each sees a gap
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (Clock::now() < deadline && b.service.out_of_sync() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_EQ(b.service.out_of_sync(), 0);
    EXPECT_EQ(present_on_b(3000), 3000);
}

}  // namespace
}  // namespace shoal::partition
