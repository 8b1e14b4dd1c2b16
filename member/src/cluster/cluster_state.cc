#include "cluster/cluster_state.h"

#include <cctype>
#include <string>

namespace shoal::cluster {

std::string_view to_string(ClusterState state) {
    switch (state) {
        case ClusterState::kActive: return "ACTIVE";
        case ClusterState::kNoMigration: return "NO_MIGRATION";
        case ClusterState::kFrozen: return "FROZEN";
        case ClusterState::kPassive: return "PASSIVE";
        case ClusterState::kInTransition: return "IN_TRANSITION";
    }
    return "UNKNOWN";
}

std::string_view to_string(NodeState state) {
    switch (state) {
        case NodeState::kActive: return "ACTIVE";
        case NodeState::kPassive: return "PASSIVE";
        case NodeState::kShuttingDown: return "SHUTTING_DOWN";
        case NodeState::kShutDown: return "SHUT_DOWN";
    }
    return "UNKNOWN";
}

std::optional<ClusterState> parse_cluster_state(std::string_view text) {
    std::string upper;
    for (char c : text) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    for (ClusterState s : {ClusterState::kActive, ClusterState::kNoMigration, ClusterState::kFrozen,
                           ClusterState::kPassive}) {
        if (upper == to_string(s)) return s;
    }
    return std::nullopt;
}

}  // namespace shoal::cluster
