// AutoClusterState: what the master does with the cluster state while Kubernetes runs the
// members as a StatefulSet with persistence (hazelcast.persistence.auto.cluster.state).
//
// A pure function of what the StatefulSet says and what the cluster is, so every rule is
// unit-tested; statefulset_watcher.h feeds it and applies its decisions. The rules, as
// Hazelcast's automatic cluster-state management has them:
//   - replicas changed (helm upgrade --set cluster.memberCount=N)  -> ACTIVE, so partitions
//     rebalance over the new member count;
//   - replicas unchanged but a member missing (rolling restart, rescheduling, a crash) while the
//     cluster is safe                                              -> the strategy state
//     (NO_MIGRATION or FROZEN): nothing migrates while the pod comes back with its data;
//   - every replica ready and in the cluster again                 -> ACTIVE;
//   - replicas = 0 (the whole StatefulSet is being stopped)        -> PASSIVE, so nothing is
//     written or moved while the members go down.
// It only undoes what it did itself: a state an operator set by hand is left alone.
#pragma once

#include <optional>
#include <string>

#include "cluster/cluster_state.h"
#include "config/member_config.h"

namespace shoal::cluster {

struct StatefulSetCounts {
    int replicas = 0;        // spec.replicas
    int ready_replicas = 0;  // status.readyReplicas
};

struct AutoStateInput {
    StatefulSetCounts statefulset;
    std::optional<int> previous_replicas;  // spec.replicas when last seen; none before the first
    int cluster_size = 0;                  // members in the cluster now
    ClusterState state = ClusterState::kActive;
    bool cluster_safe = false;
    bool state_set_by_us = false;  // the current state is one this logic chose
};

struct AutoStateDecision {
    std::optional<ClusterState> target;  // none: leave the state as it is
    std::string reason;                  // why, for the log
};

AutoStateDecision decide_cluster_state(const AutoStateInput& in, config::AutoClusterStateStrategy strategy);

// What a member of pod `<statefulset>-<ordinal>` does on SIGTERM, from the StatefulSet's
// spec.replicas as last seen (Hazelcast's shutdown intent):
//   kComeBack        ordinal < replicas: the pod is restarted or rescheduled (rolling restart)
//                    and returns with its volume: switch to the strategy state and leave
//                    without handing data over;
//   kClusterShutdown replicas = 0: every member stops: PASSIVE, then leave with the data on disk;
//   kHandOver        ordinal >= replicas (scaled down: the pod does not return), or nothing
//                    seen yet: the graceful hand-over, as without persistence.
enum class ShutdownIntent { kHandOver, kComeBack, kClusterShutdown };
ShutdownIntent decide_shutdown_intent(std::optional<int> replicas, int ordinal);
// The pod's ordinal (the digits after its last '-'), or -1.
int ordinal_of_pod(const std::string& pod_name);

}  // namespace shoal::cluster
