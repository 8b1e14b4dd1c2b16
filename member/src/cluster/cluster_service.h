// ClusterService: this member's view of the cluster, its cluster and node states, readiness.
//
// Today the cluster is this one member; join, heartbeats and the master plug in here. Control
// plane only: it takes a mutex, and nothing on the data path calls it.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "cluster/cluster_state.h"
#include "cluster/member_info.h"
#include "config/member_config.h"
#include "partition/map_operations.h"

namespace shoal::cluster {

class ClusterService {
public:
    ClusterService(const config::MemberConfig& config, partition::MapOperations& maps);

    // Forms the cluster (now: of this member alone) advertising host:port; logs the member list.
    void start(const std::string& advertised_host, int port);

    ClusterView view() const;
    MemberInfo local_member() const;
    ClusterState state() const;
    NodeState node_state() const;
    const std::string& cluster_name() const { return cluster_name_; }

    bool ready() const;          // running, joined, and (later) data loaded
    bool cluster_safe() const;   // no migrations pending and every backup in sync
    int migration_queue_size() const;

    // Changes the cluster-wide state. Returns an error message when refused.
    std::optional<std::string> change_state(ClusterState target);

    // The shutdown policy calls these: no new work is taken once shutting down.
    void begin_shutdown();
    void finish_shutdown();

private:
    void apply_state_locked(ClusterState state);

    mutable std::mutex mutex_;
    std::string cluster_name_;
    partition::MapOperations& maps_;
    ClusterView view_;
    MemberInfo local_;
    NodeState node_state_ = NodeState::kActive;
    bool joined_ = false;
};

}  // namespace shoal::cluster
