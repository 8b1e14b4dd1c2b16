// The shutdown policy: the one hook SIGTERM/SIGINT go through before a member stops.
//
// TERMINATE stops at once. GRACEFUL first hands this member's partitions to the others, bounded
// by hazelcast.graceful.shutdown.max.wait; with no other member there is nothing to hand over.
#pragma once

#include "cluster/cluster_service.h"
#include "config/member_config.h"

namespace shoal::app {

void run_shutdown_policy(const config::MemberConfig& config, cluster::ClusterService& cluster);

}  // namespace shoal::app
