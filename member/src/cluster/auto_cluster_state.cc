#include "cluster/auto_cluster_state.h"

namespace shoal::cluster {
namespace {

ClusterState strategy_state(config::AutoClusterStateStrategy strategy) {
    return strategy == config::AutoClusterStateStrategy::kFrozen ? ClusterState::kFrozen : ClusterState::kNoMigration;
}

AutoStateDecision change(const AutoStateInput& in, ClusterState target, std::string reason) {
    if (in.state == target) return {};
    return {target, std::move(reason)};
}

}  // namespace

ShutdownIntent decide_shutdown_intent(std::optional<int> replicas, int ordinal) {
    if (!replicas || ordinal < 0) return ShutdownIntent::kHandOver;
    if (*replicas == 0) return ShutdownIntent::kClusterShutdown;
    return ordinal < *replicas ? ShutdownIntent::kComeBack : ShutdownIntent::kHandOver;
}

int ordinal_of_pod(const std::string& pod_name) {
    const auto dash = pod_name.rfind('-');
    if (dash == std::string::npos || dash + 1 == pod_name.size() || pod_name.size() - dash > 9) return -1;
    int ordinal = 0;
    for (std::size_t i = dash + 1; i < pod_name.size(); ++i) {
        if (pod_name[i] < '0' || pod_name[i] > '9') return -1;
        ordinal = ordinal * 10 + (pod_name[i] - '0');
    }
    return ordinal;
}

AutoStateDecision decide_cluster_state(const AutoStateInput& in, config::AutoClusterStateStrategy strategy) {
    const int replicas = in.statefulset.replicas;
    const std::string counts = std::to_string(in.statefulset.ready_replicas) + " of " + std::to_string(replicas) +
                               " replicas ready, " + std::to_string(in.cluster_size) + " members";
    // An operator's state is theirs, except that stopping the whole StatefulSet always makes
    // the cluster PASSIVE (nothing to lose by it, and it protects the shutdown).
    if (replicas == 0) return change(in, ClusterState::kPassive, "the StatefulSet is scaled to 0: the cluster shuts down");
    if (!in.state_set_by_us && in.state != ClusterState::kActive) return {};
    if (in.previous_replicas && *in.previous_replicas != replicas) {
        return change(in, ClusterState::kActive,
                      "the StatefulSet scales from " + std::to_string(*in.previous_replicas) + " to " +
                          std::to_string(replicas) + " replicas: partitions rebalance (" + counts + ")");
    }
    const bool complete = in.statefulset.ready_replicas >= replicas && in.cluster_size >= replicas;
    if (complete) return change(in, ClusterState::kActive, "every replica is back (" + counts + ")");
    if (in.state == ClusterState::kActive) {
        if (!in.cluster_safe) return {};  // wait: replicas must be in sync before migrations stop
        return change(in, strategy_state(strategy),
                      "a member is missing while the StatefulSet is stable (rolling restart or rescheduling; " + counts +
                          "): no migration until it is back");
    }
    return {};
}

}  // namespace shoal::cluster
