// MemberInfo and ClusterView: who is in the cluster, as every front end reports it.
#pragma once

#include <string>
#include <vector>

#include "cluster/cluster_state.h"
#include "util/uuid.h"

namespace shoal::cluster {

struct MemberInfo {
    util::Uuid uuid;
    std::string host;  // the advertised address
    int port = 5701;
    bool local = false;  // this process
};

struct ClusterView {
    std::vector<MemberInfo> members;  // oldest (the master) first
    int version = 0;                  // grows on every membership change
    ClusterState state = ClusterState::kActive;
    ClusterState durable_state = ClusterState::kActive;  // what a restart with persistence restores
    util::Uuid cluster_id;
};

// "Members {size:1, ver:1} [\n\tMember 127.0.0.1:5701 - <uuid> this\n]", as Hazelcast logs it.
std::string format_members_block(const ClusterView& view);

}  // namespace shoal::cluster
