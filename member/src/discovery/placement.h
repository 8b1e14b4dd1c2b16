// Placement: where this member runs, for NODE_AWARE and ZONE_AWARE backup placement.
//
// Explicit settings win (the properties hazelcast.partition.group.node / .zone, as Hazelcast
// member attributes name them); otherwise, on Kubernetes with API discovery, the pod's
// spec.nodeName is read and then the first zone label of that Node
// (topology.kubernetes.io/zone, failure-domain.kubernetes.io/zone,
// failure-domain.beta.kubernetes.io/zone).
#pragma once

#include <string>

#include "config/member_config.h"

namespace shoal::discovery {

struct Placement {
    std::string node;  // empty when unknown
    std::string zone;  // empty when unknown
    // Set when the partition group needs a value that could not be found (no zone label, no
    // RBAC to read Nodes): the member then places this member's replicas per member.
    std::string warning;
};

// Asks the Kubernetes API only when the partition group (NODE_AWARE, ZONE_AWARE) needs what
// the explicit settings do not give, so PER_MEMBER installs need no Node RBAC.
Placement detect_placement(const config::MemberConfig& config);

}  // namespace shoal::discovery
