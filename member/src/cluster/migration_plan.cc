#include "cluster/migration_plan.h"

#include <algorithm>

namespace shoal::cluster {

std::vector<Move> plan_moves(const partition::ReplicaTable& current, const partition::ReplicaTable& target) {
    std::vector<Move> moves;
    for (std::size_t p = 0; p < target.size(); ++p) {
        const auto& base = p < current.size() ? current[p] : std::vector<std::string>{};
        const auto& goal = target[p];
        if (base == goal) continue;
        Move move;
        move.partition = static_cast<int>(p);
        move.base = base;
        move.target = goal;
        move.source = base.empty() ? std::string() : base.front();
        move.owner_changes = !base.empty() && !goal.empty() && goal.front() != base.front();
        for (const auto& member : goal) {
            const bool had_copy = std::find(base.begin(), base.end(), member) != base.end();
            const bool becomes_owner = move.owner_changes && member == goal.front();
            if (!base.empty() && (!had_copy || becomes_owner)) move.destinations.push_back(member);
        }
        moves.push_back(std::move(move));
    }
    return moves;
}

}  // namespace shoal::cluster
