#include "cluster/cluster_service.h"

#include "util/log.h"

namespace shoal::cluster {
namespace {
const util::Logger logger("shoal.cluster");
}

ClusterService::ClusterService(const config::MemberConfig& config, partition::MapOperations& maps)
    : cluster_name_(config.cluster_name), maps_(maps) {
    local_.uuid = util::Uuid::random();
    local_.local = true;
    view_.cluster_id = util::Uuid::random();
}

void ClusterService::start(const std::string& advertised_host, int port) {
    std::lock_guard lock(mutex_);
    local_.host = advertised_host;
    local_.port = port;
    view_.members = {local_};
    view_.version = 1;
    joined_ = true;
    logger.info(format_members_block(view_));
}

ClusterView ClusterService::view() const {
    std::lock_guard lock(mutex_);
    return view_;
}

MemberInfo ClusterService::local_member() const {
    std::lock_guard lock(mutex_);
    return local_;
}

ClusterState ClusterService::state() const {
    std::lock_guard lock(mutex_);
    return view_.state;
}

NodeState ClusterService::node_state() const {
    std::lock_guard lock(mutex_);
    return node_state_;
}

bool ClusterService::ready() const {
    std::lock_guard lock(mutex_);
    return joined_ && (node_state_ == NodeState::kActive || node_state_ == NodeState::kPassive);
}

bool ClusterService::cluster_safe() const {
    std::lock_guard lock(mutex_);
    // One member has no backups to wait for and nothing to migrate.
    return joined_ && node_state_ != NodeState::kShutDown;
}

int ClusterService::migration_queue_size() const { return 0; }

std::optional<std::string> ClusterService::change_state(ClusterState target) {
    std::lock_guard lock(mutex_);
    if (target == ClusterState::kInTransition) return "IN_TRANSITION cannot be requested";
    if (node_state_ == NodeState::kShuttingDown || node_state_ == NodeState::kShutDown) {
        return "the member is shutting down";
    }
    if (target == view_.state) return std::nullopt;
    logger.info("cluster state " + std::string(to_string(view_.state)) + " -> " +
                std::string(to_string(target)) + " (requested)");
    apply_state_locked(target);
    return std::nullopt;
}

void ClusterService::apply_state_locked(ClusterState state) {
    view_.state = state;
    maps_.set_read_only(state == ClusterState::kPassive);
    node_state_ = state == ClusterState::kPassive ? NodeState::kPassive : NodeState::kActive;
}

void ClusterService::begin_shutdown() {
    std::lock_guard lock(mutex_);
    node_state_ = NodeState::kShuttingDown;
}

void ClusterService::finish_shutdown() {
    std::lock_guard lock(mutex_);
    node_state_ = NodeState::kShutDown;
    joined_ = false;
}

}  // namespace shoal::cluster
