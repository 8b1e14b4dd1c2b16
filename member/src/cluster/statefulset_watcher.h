// StatefulSetWatcher: the automatic cluster state's eye on the member's StatefulSet.
//
// Lists the StatefulSet (fieldSelector=metadata.name=<name>), then watches it from the list's
// resourceVersion; a 410 (too old) lists again, other failures back off up to 10 s. Every
// change, and once a second for membership changes the StatefulSet does not show, the master
// feeds decide_cluster_state (auto_cluster_state.h) and applies what it decides, logging the
// reason. Every member watches, so a new master acts at once; only the master changes state.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "cluster/cluster_state.h"
#include "config/member_config.h"
#include "kube/api_client.h"
#include "kube/in_cluster.h"
#include "kube/objects.h"

namespace shoal::cluster {

class ClusterService;

// The StatefulSet a pod belongs to: its name without the trailing "-<ordinal>"; empty when the
// name has no ordinal.
std::string statefulset_of_pod(const std::string& pod_name);

class StatefulSetWatcher {
public:
    StatefulSetWatcher(ClusterService& cluster, kube::InCluster where, std::string statefulset,
                       config::AutoClusterStateStrategy strategy);
    ~StatefulSetWatcher();
    StatefulSetWatcher(const StatefulSetWatcher&) = delete;
    StatefulSetWatcher& operator=(const StatefulSetWatcher&) = delete;

    void start();
    // Stops deciding at once. A watch blocked in a read cannot be interrupted, so its thread
    // is let go and ends on its next event or idle timeout; it holds only the shared state,
    // which no longer reaches the cluster once stopped.
    void stop();
    // spec.replicas as last seen; nullopt before the first list answered.
    std::optional<int> replicas() const;

private:
    struct State;
    std::shared_ptr<State> state_;
    std::thread watcher_;
    std::thread evaluator_;
};

}  // namespace shoal::cluster
