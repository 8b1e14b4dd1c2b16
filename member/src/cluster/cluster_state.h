// Cluster and node states, with Hazelcast's names.
#pragma once

#include <optional>
#include <string_view>

namespace shoal::cluster {

// ACTIVE: everything allowed. NO_MIGRATION: no partition moves, members may join and leave.
// FROZEN: no joins, no migrations, data operations allowed. PASSIVE: read-only, no joins.
enum class ClusterState { kActive, kNoMigration, kFrozen, kPassive, kInTransition };

enum class NodeState { kActive, kPassive, kShuttingDown, kShutDown };

std::string_view to_string(ClusterState state);
std::string_view to_string(NodeState state);
// Accepts any case ("active", "NO_MIGRATION"); IN_TRANSITION is not a state one can ask for.
std::optional<ClusterState> parse_cluster_state(std::string_view text);

}  // namespace shoal::cluster
