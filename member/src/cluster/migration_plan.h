// Migration plan: the moves that turn the committed partition table into the target one.
// Pure, so the master's decisions are unit-tested without a network.
#pragma once

#include <string>
#include <vector>

#include "partition/partition_table.h"

namespace shoal::cluster {

struct Move {
    int partition = 0;
    std::vector<std::string> base;    // the committed replicas the move starts from
    std::vector<std::string> target;  // the replicas after the move
    std::string source;               // the current owner, who sends the data
    std::vector<std::string> destinations;  // members that need a full copy first
    bool owner_changes = false;       // the source hands ownership over at the commit
    bool needs_copy() const { return !destinations.empty(); }
};

// One move per partition whose replicas differ. A new owner always gets a full copy (even if
// it was a backup) so maps with fewer backups than the table has replicas lose nothing.
std::vector<Move> plan_moves(const partition::ReplicaTable& current, const partition::ReplicaTable& target);

}  // namespace shoal::cluster
