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
};

// Throws DiscoveryError when the group type needs a value that cannot be found (e.g.
// ZONE_AWARE and the Node has no zone label), naming what is missing.
Placement detect_placement(const config::MemberConfig& config);

}  // namespace shoal::discovery
