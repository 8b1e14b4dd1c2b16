// Replication between two members' PartitionServices in one process, joined by a loopback
// transport that can lose backup messages: backups follow their owner, and a backup that
// missed writes without noticing (no later write reveals a gap) is repaired by anti-entropy.
// Key locks follow too: a promoted backup or a migration destination knows who holds a lock,
// how often and until when.
// Runs under TSan with the other concurrency tests.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
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

    // A lock call on `m` for `owner` (lease in ms); its flag.
    static bool lock_call(TestMember& m, KeyOpType type, int key, const std::string& owner, std::int64_t lease_ms = 0) {
        KeyOperation op = KeyOperation::of(type, "m", k(key));
        op.lock_owner = owner;
        op.ttl_ms = lease_ms;
        auto promise = std::make_shared<std::promise<std::pair<OpStatus, bool>>>();
        auto future = promise->get_future();
        m.maps.execute(std::move(op), [promise](OpStatus status, KeyOutcome outcome) {
            promise->set_value({status, outcome.flag});
        });
        if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) throw std::runtime_error("lock call hung");
        const auto [status, flag] = future.get();
        if (status != OpStatus::kOk) throw std::runtime_error(std::string("lock call failed: ") + to_string(status));
        return flag;
    }
    static int partition_of(int key) { return map::partition_id(k(key), 271); }

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

TEST_F(PartitionReplication, ALockSurvivesItsOwnersFailureWithItsOwnerAndCount) {
    ASSERT_TRUE(lock_call(a, KeyOpType::kLock, 1, "client-1:7"));
    ASSERT_TRUE(lock_call(a, KeyOpType::kLock, 1, "client-1:7")) << "reentrant";
    ASSERT_TRUE(lock_call(a, KeyOpType::kLock, 2, "client-2:0"));
    ASSERT_TRUE(lock_call(a, KeyOpType::kUnlock, 2, "client-2:0"));
    table({"B"}, 2);  // A is gone: B's replicas are promoted
    EXPECT_TRUE(lock_call(b, KeyOpType::kIsLocked, 1, ""));
    EXPECT_FALSE(lock_call(b, KeyOpType::kIsLocked, 2, "")) << "the unlock reached the backup too";
    EXPECT_FALSE(lock_call(b, KeyOpType::kLock, 1, "client-2:0")) << "another owner cannot take it";
    EXPECT_FALSE(lock_call(b, KeyOpType::kUnlock, 1, "client-1:8")) << "nor another thread of the owner's client unlock it";
    EXPECT_EQ(test::await<Value>([&](auto done) {
                  KeyOperation op = KeyOperation::of(KeyOpType::kPut, "m", k(1), v(1));
                  op.lock_owner = "client-2:0";
                  op.lock_wait_ms = 0;
                  b.maps.execute(std::move(op), [done](OpStatus status, KeyOutcome) { done(OpResult<Value>{status, {}}); });
              }).status,
              OpStatus::kLocked)
        << "others' writes still wait";
    EXPECT_TRUE(lock_call(b, KeyOpType::kUnlock, 1, "client-1:7"));
    EXPECT_TRUE(lock_call(b, KeyOpType::kIsLocked, 1, "")) << "locked twice: one unlock leaves it held";
    EXPECT_TRUE(lock_call(b, KeyOpType::kUnlock, 1, "client-1:7"));
    EXPECT_FALSE(lock_call(b, KeyOpType::kIsLocked, 1, ""));
}

TEST_F(PartitionReplication, ALeaseKeepsItsEndOnThePromotedBackup) {
    constexpr std::chrono::milliseconds kLease{1500};
    const auto locked_at = Clock::now();
    ASSERT_TRUE(lock_call(a, KeyOpType::kLock, 1, "client-1:0", kLease.count()));
    table({"B"}, 2);
    const bool locked = lock_call(b, KeyOpType::kIsLocked, 1, "");
    if (Clock::now() - locked_at < kLease) {
        EXPECT_TRUE(locked) << "locked on the promoted backup until the lease ends";
    }
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline && lock_call(b, KeyOpType::kIsLocked, 1, "")) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling the lease's end
    }
    EXPECT_FALSE(lock_call(b, KeyOpType::kIsLocked, 1, "")) << "the lease ended there too";
    EXPECT_GE(Clock::now() - locked_at, kLease - std::chrono::milliseconds(10)) << "not before its end";
}

TEST_F(PartitionReplication, ADepartedClientsLocksAreReleasedOnTheBackupsToo) {
    ASSERT_TRUE(lock_call(a, KeyOpType::kLock, 1, "client-1:0"));
    ASSERT_TRUE(lock_call(a, KeyOpType::kLock, 2, "client-1:5"));
    ASSERT_TRUE(lock_call(a, KeyOpType::kLock, 3, "client-2:0"));
    EXPECT_EQ(test::await<std::size_t>([&](auto done) { a.maps.release_locks("client-1:", done); }).value, 2u);
    table({"B"}, 2);
    EXPECT_FALSE(lock_call(b, KeyOpType::kIsLocked, 1, ""));
    EXPECT_FALSE(lock_call(b, KeyOpType::kIsLocked, 2, ""));
    EXPECT_TRUE(lock_call(b, KeyOpType::kIsLocked, 3, ""));
}

TEST_F(PartitionReplication, ALockMovesWithItsPartitionsSnapshot) {
    table({"A"}, 2);  // no backup: B drops its copy, locks included
    put(a, 1);
    ASSERT_TRUE(lock_call(a, KeyOpType::kLock, 1, "client-1:0"));
    ASSERT_TRUE(lock_call(a, KeyOpType::kLock, 1, "client-1:0"));
    const int p = partition_of(1);
    auto moved = std::make_shared<std::promise<bool>>();
    a.service.start_transfer(p, {"B"}, [moved](bool ok) { moved->set_value(ok); });
    auto moved_future = moved->get_future();
    ASSERT_EQ(moved_future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    ASSERT_TRUE(moved_future.get());
    a.service.finish_transfer(p, true);
    table({"B"}, 3);  // the migration committed: B owns the partition
    EXPECT_EQ(test::await<Value>([&](auto done) { b.maps.get("m", k(1), done); }).value, v(1));
    EXPECT_TRUE(lock_call(b, KeyOpType::kIsLocked, 1, ""));
    EXPECT_FALSE(lock_call(b, KeyOpType::kLock, 1, "client-2:0"));
    EXPECT_TRUE(lock_call(b, KeyOpType::kUnlock, 1, "client-1:0"));
    EXPECT_TRUE(lock_call(b, KeyOpType::kIsLocked, 1, "")) << "its count came along";
    EXPECT_TRUE(lock_call(b, KeyOpType::kUnlock, 1, "client-1:0"));
    EXPECT_FALSE(lock_call(b, KeyOpType::kIsLocked, 1, ""));
}

TEST_F(PartitionReplication, LockCallsThatChangeNothingSendNothingToTheBackups) {
    put(a, 1);
    const int before = a.transport.delivered(ReplicaMessageType::kBackup);
    EXPECT_FALSE(lock_call(a, KeyOpType::kIsLocked, 1, ""));
    EXPECT_FALSE(lock_call(a, KeyOpType::kUnlock, 1, "client-1:0")) << "not locked: nothing to unlock";
    EXPECT_FALSE(lock_call(a, KeyOpType::kForceUnlock, 1, ""));
    EXPECT_EQ(test::await<std::size_t>([&](auto done) { a.maps.release_locks("client-1:", done); }).value, 0u);
    EXPECT_EQ(a.transport.delivered(ReplicaMessageType::kBackup), before);
    ASSERT_TRUE(lock_call(a, KeyOpType::kLock, 1, "client-1:0"));
    EXPECT_EQ(a.transport.delivered(ReplicaMessageType::kBackup), before + 1) << "one state message per lock change";
}

}  // namespace
}  // namespace shoal::partition
