#include "discovery/placement.h"

#include "discovery/kubernetes_api.h"
#include "kube/in_cluster.h"
#include "kube/objects.h"

namespace shoal::discovery {
namespace {

bool needs(const config::MemberConfig& config, config::PartitionGroupType type) {
    return config.partition_group_enabled && config.partition_group == type;
}

// spec.nodeName of this pod, then the zone label of that Node.
void ask_kubernetes(const config::MemberConfig& config, Placement& placement) {
    const auto& k = config.network.join.kubernetes;
    const auto where = kube::resolve_in_cluster(k, kube::process_environment());
    if (where.pod_name.empty()) {
        throw DiscoveryError("neither POD_NAME nor HOSTNAME is set, so this pod cannot be looked up");
    }
    KubernetesApi api(where.endpoint, where.namespace_, k.kubernetes_api_retries);
    if (placement.node.empty()) {
        const auto pod = api.get("/api/v1/namespaces/" + kube::query_escape(where.namespace_) + "/pods/" +
                                     kube::query_escape(where.pod_name),
                                 {"", "pods", "get"});
        if (!pod) throw DiscoveryError("pod " + where.pod_name + " not found in namespace " + where.namespace_);
        placement.node = kube::pod_node_name(*pod);
        if (placement.node.empty()) throw DiscoveryError("pod " + where.pod_name + " has no spec.nodeName");
    }
    if (placement.zone.empty() && needs(config, config::PartitionGroupType::kZoneAware)) {
        const auto node = api.get("/api/v1/nodes/" + kube::query_escape(placement.node), {"", "nodes", "get"});
        if (!node) throw DiscoveryError("node " + placement.node + " not found");
        placement.zone = kube::node_zone(*node).value_or("");
        if (placement.zone.empty()) {
            throw DiscoveryError("node " + placement.node +
                                 " has none of the labels topology.kubernetes.io/zone, failure-domain.kubernetes.io/zone, "
                                 "failure-domain.beta.kubernetes.io/zone");
        }
    }
}

}  // namespace

Placement detect_placement(const config::MemberConfig& config) {
    Placement placement{config.placement_node, config.placement_zone, {}};
    const bool zone_aware = needs(config, config::PartitionGroupType::kZoneAware);
    const bool node_aware = needs(config, config::PartitionGroupType::kNodeAware);
    const bool missing = (zone_aware && placement.zone.empty()) || (node_aware && placement.node.empty());
    if (!missing) return placement;
    const auto& k = config.network.join.kubernetes;
    const std::string group = zone_aware ? "ZONE_AWARE" : "NODE_AWARE";
    if (!k.enabled || !k.service_dns.empty()) {
        placement.warning = group + " partition group, but the " + (zone_aware ? "zone" : "node") +
                            " of this member is unknown: set -Dhazelcast.partition.group." + (zone_aware ? "zone" : "node") +
                            " or use Kubernetes API discovery; placing this member's replicas per member";
        return placement;
    }
    try {
        ask_kubernetes(config, placement);
    } catch (const std::exception& e) {
        placement.warning = group + " partition group, but detecting this member's " + (zone_aware ? "zone" : "node") +
                            " failed: " + e.what() + "; placing this member's replicas per member";
    }
    return placement;
}

}  // namespace shoal::discovery
