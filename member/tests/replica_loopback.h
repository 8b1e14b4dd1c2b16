// In-process members for the partition layer's tests: each member's PartitionService reaches
// the others through a loopback transport that delivers replica messages straight to their
// services, in order, and can be told to lose backup messages (a backup that said yes and
// then lost the write), so replication and its repairs run without sockets.
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <string>

#include "partition/map_operations.h"
#include "partition/partition_service.h"

namespace shoal::partition::test_members {

class Loopback : public ReplicaTransport {
public:
    Loopback(std::string self, std::map<std::string, PartitionService*>& members) : self_(std::move(self)), members_(members) {}

    void send(const std::string& member, ReplicaMessageType type, std::string body, std::function<void(bool)> acked) override {
        if (type == ReplicaMessageType::kBackup && lose_backups) {
            acked(true);
            return;
        }
        count(type);
        members_.at(member)->on_replica_message(self_, type, std::move(body), [acked](std::string) { acked(true); });
    }
    void request(const std::string& member, ReplicaMessageType type, std::string body,
                 std::function<void(bool, std::string)> answered) override {
        count(type);
        members_.at(member)->on_replica_message(self_, type, std::move(body),
                                                [answered](std::string reply) { answered(true, std::move(reply)); });
    }
    void post(const std::string& member, ReplicaMessageType type, std::string body) override {
        count(type);
        if (type == ReplicaMessageType::kSyncRequest && lose_sync_requests) return;
        members_.at(member)->on_replica_message(self_, type, std::move(body), [](std::string) {});
    }
    int delivered(ReplicaMessageType type) const { return counts_[static_cast<int>(type)].load(); }

    std::atomic<bool> lose_backups{false};
    std::atomic<bool> lose_sync_requests{false};  // a backup's "refill me" that never arrives

private:
    void count(ReplicaMessageType type) { counts_[static_cast<int>(type)]++; }
    std::string self_;
    std::map<std::string, PartitionService*>& members_;
    std::array<std::atomic<int>, 16> counts_{};
};

// One member: `partitions` partitions on two threads, every map with one sync backup. Its
// threads run from construction to destruction.
struct TestMember {
    TestMember(const std::string& id, std::map<std::string, PartitionService*>& members, int partitions)
        : threads(partitions, 2, nullptr), transport(id, members) {
        members[id] = &service;
        service.attach(&transport, id);
        threads.start();
    }
    ~TestMember() { threads.stop(); }
    PartitionThreads threads;
    PartitionService service{threads, [](std::string_view) { return 1; }};
    MapOperations maps{threads, service};
    Loopback transport;
};

}  // namespace shoal::partition::test_members
