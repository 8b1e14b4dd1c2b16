// MemberTransport: the data path between members. It carries the partition module's replica
// messages, forwarded key operations and partition queries over the Messenger, and serves
// the same messages (and the master's migration orders) when they arrive.
#pragma once

#include "cluster/cluster_service.h"
#include "cluster/messenger.h"
#include "partition/partition_service.h"
#include "partition/remote_invoker.h"
#include "partition/replica_transport.h"
#include "util/scheduler.h"

namespace shoal::cluster {

class MemberTransport : public partition::ReplicaTransport, public partition::RemoteInvoker {
public:
    MemberTransport(Messenger& messenger, ClusterService& cluster, partition::PartitionService& partitions,
                    util::Scheduler& scheduler);

    // Registers the handlers of the data-path messages with the messenger.
    void register_handlers();

    // ReplicaTransport
    void send(const std::string& member, partition::ReplicaMessageType type, std::string body,
              std::function<void(bool)> acked) override;
    void request(const std::string& member, partition::ReplicaMessageType type, std::string body,
                 std::function<void(bool, std::string)> answered) override;
    void post(const std::string& member, partition::ReplicaMessageType type, std::string body) override;

    // RemoteInvoker
    void execute(const std::string& member, const partition::KeyOperation& op,
                 std::function<void(partition::OpStatus, partition::KeyOutcome)> done) override;
    void query(const std::string& member, const partition::PartitionQuery& query,
               std::function<void(bool ok, partition::QueryResult)> done) override;
    void later(std::chrono::milliseconds delay, std::function<void()> task) override;

private:
    Messenger& messenger_;
    ClusterService& cluster_;
    partition::PartitionService& partitions_;
    util::Scheduler& scheduler_;
};

}  // namespace shoal::cluster
