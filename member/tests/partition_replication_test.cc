// Replication between two members' PartitionServices in one process, joined by a loopback
// transport that can lose backup messages: backups follow their owner, and a backup that
// missed writes without noticing (no later write reveals a gap) is repaired by anti-entropy.
// Runs under TSan with the other concurrency tests.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "map/data.h"
#include "partition/map_operations.h"
#include "partition/partition_service.h"
#include "test_support.h"

namespace shoal::partition {
namespace {

using Value = std::optional<std::string>;
using Clock = std::chrono::steady_clock;

// Delivers replica messages straight to the other member's service, in order.
class Loopback : public ReplicaTransport {
public:
    Loopback(std::string self, std::map<std::string, PartitionService*>& members) : self_(std::move(self)), members_(members) {}

    void send(const std::string& member, ReplicaMessageType type, std::string body, std::function<void(bool)> acked) override {
        if (type == ReplicaMessageType::kBackup && lose_backups) {
            acked(true);  // a backup that said yes and then lost the write
            return;
        }
        count(type);
        members_.at(member)->on_replica_message(self_, type, std::move(body), [acked](std::string) { acked(true); });
    }
    void request(const std::string& member, ReplicaMessageType type, std::string body,
                 std::function<void(bool, std::string)> answered) override {
        count(type);
        members_.at(member)->on_replica_message(self_, type, std::move(body), [answered](std::string reply) { answered(true, std::move(reply)); });
    }
    void post(const std::string& member, ReplicaMessageType type, std::string body) override {
        count(type);
        members_.at(member)->on_replica_message(self_, type, std::move(body), [](std::string) {});
    }
    int delivered(ReplicaMessageType type) const { return counts_[static_cast<int>(type)].load(); }

    std::atomic<bool> lose_backups{false};

private:
    void count(ReplicaMessageType type) { counts_[static_cast<int>(type)]++; }
    std::string self_;
    std::map<std::string, PartitionService*>& members_;
    std::array<std::atomic<int>, 16> counts_{};
};

struct TestMember {
    TestMember(const std::string& id, std::map<std::string, PartitionService*>& members)
        : transport(id, members) {
        members[id] = &service;
        service.attach(&transport, id);
    }
    PartitionThreads threads{271, 2, nullptr};
    PartitionService service{threads, [](std::string_view) { return 1; }};
    MapOperations maps{threads, service};
    Loopback transport;
};

class PartitionReplication : public ::testing::Test {
protected:
    void SetUp() override {
        table({"A", "B"}, 1);
        a.threads.start();
        b.threads.start();
    }
    void TearDown() override {
        a.threads.stop();
        b.threads.stop();
    }
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
    TestMember a{"A", members};
    TestMember b{"B", members};
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
