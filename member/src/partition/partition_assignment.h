// Partition assignment: which members hold each partition's replicas. A pure function the
// master runs whenever members come or go; no IO, no threads, so it is tested exhaustively.
//
// replicas[p][0] is the owner of partition p, replicas[p][1..] its backups in order.
#pragma once

#include <string>
#include <vector>

#include "config/member_config.h"

namespace shoal::partition {

struct PlacementMember {
    std::string id;    // the member's UUID text
    std::string node;  // Kubernetes node name (NODE_AWARE)
    std::string zone;  // zone (ZONE_AWARE)
};

using ReplicaTable = std::vector<std::vector<std::string>>;  // [partition][replica index] -> id

struct Assignment {
    ReplicaTable replicas;
    // Set when the groups cannot keep replicas of one partition apart (e.g. one zone left) and
    // placement fell back to per member: a line for the log naming the groups.
    std::string degraded_warning;
};

// Members are given oldest first. `current` is the table in force (may be empty, may name
// members that are gone). Each partition gets min(replica_count, members) replicas.
Assignment assign_partitions(const std::vector<PlacementMember>& members,
                             config::PartitionGroupType group_type, int partition_count,
                             int replica_count, const ReplicaTable& current);

}  // namespace shoal::partition
