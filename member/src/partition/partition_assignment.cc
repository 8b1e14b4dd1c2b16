#include "partition/partition_assignment.h"

#include <algorithm>
#include <map>
#include <set>

// The algorithm, in four passes over the table in force, each moving as little as it can:
//  1. repair: keep each partition's surviving replicas in order (a lost owner's first backup is
//     promoted), dropping any that shares a group with an earlier replica;
//  2. fill: give each partition its missing replicas, least-loaded eligible member first;
//  3. owners: even out owned partitions, first by swapping owner and backup roles inside a
//     partition (no data moves), then by handing ownership to an under-loaded member;
//  4. replicas: even out the total replicas per member by moving backups.
// "Eligible" means: not already a replica of the partition, and of a group no other replica of
// it is in. When the groups are too few for that, placement falls back to one group per member.

namespace shoal::partition {
namespace {

struct Layout {
    std::vector<std::string> ids;           // oldest first
    std::map<std::string, std::string> group;  // id -> group key
    std::map<std::string, int> order;        // id -> index, for deterministic ties
};

std::string group_of(const PlacementMember& m, config::PartitionGroupType type) {
    switch (type) {
        case config::PartitionGroupType::kNodeAware: return m.node.empty() ? "member:" + m.id : "node:" + m.node;
        case config::PartitionGroupType::kZoneAware: return m.zone.empty() ? "member:" + m.id : "zone:" + m.zone;
        case config::PartitionGroupType::kPerMember: break;
    }
    return "member:" + m.id;
}

class Assigner {
public:
    Assigner(Layout layout, int partitions, int replicas)
        : l_(std::move(layout)), partitions_(partitions), replicas_(replicas) {}

    ReplicaTable run(const ReplicaTable& current) {
        table_.assign(static_cast<std::size_t>(partitions_), {});
        repair(current);
        fill();
        balance_owners();
        balance_replicas();
        return table_;
    }

private:
    bool group_free(const std::vector<std::string>& row, const std::string& id, std::size_t skip = SIZE_MAX) const {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i != skip && (row[i] == id || l_.group.at(row[i]) == l_.group.at(id))) return false;
        }
        return true;
    }
    int load(const std::string& id) const { return loads_.count(id) ? loads_.at(id) : 0; }
    int owned(const std::string& id) const { return owners_.count(id) ? owners_.at(id) : 0; }

    void repair(const ReplicaTable& current) {
        for (int p = 0; p < partitions_; ++p) {
            auto& row = table_[static_cast<std::size_t>(p)];
            if (static_cast<std::size_t>(p) < current.size()) {
                for (const auto& id : current[static_cast<std::size_t>(p)]) {
                    if (l_.group.count(id) && static_cast<int>(row.size()) < replicas_ && group_free(row, id)) row.push_back(id);
                }
            }
            count_row(row, +1);
        }
    }

    void count_row(const std::vector<std::string>& row, int delta) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            loads_[row[i]] += delta;
            if (i == 0) owners_[row[i]] += delta;
        }
    }

    // The least-loaded member that may join `row` (by owners when choosing an owner).
    std::string pick(const std::vector<std::string>& row, bool as_owner) const {
        std::string best;
        for (const auto& id : l_.ids) {
            if (!group_free(row, id)) continue;
            if (best.empty()) {
                best = id;
                continue;
            }
            const auto key = [&](const std::string& m) {
                return std::make_pair(as_owner ? owned(m) : load(m), as_owner ? load(m) : owned(m));
            };
            if (key(id) < key(best)) best = id;
        }
        return best;
    }

    void fill() {
        for (auto& row : table_) {
            while (static_cast<int>(row.size()) < replicas_) {
                const std::string id = pick(row, row.empty());
                if (id.empty()) break;
                row.push_back(id);
                loads_[id] += 1;
                if (row.size() == 1) owners_[id] += 1;
            }
        }
    }

    void balance_owners() {
        const int members = static_cast<int>(l_.ids.size());
        const int ceiling = (partitions_ + members - 1) / members;
        const int floor = partitions_ / members;
        // Over the ceiling: swap roles with the backup owning least (no data moves), else hand
        // ownership to an under-loaded member outside the row.
        for (auto& row : table_) {
            if (row.empty() || owned(row[0]) <= ceiling) continue;
            std::size_t best = 0;
            for (std::size_t i = 1; i < row.size(); ++i) {
                if (owned(row[i]) < ceiling && (best == 0 || owned(row[i]) < owned(row[best]))) best = i;
            }
            if (best != 0) {
                owners_[row[0]] -= 1;
                owners_[row[best]] += 1;
                std::swap(row[0], row[best]);
                continue;
            }
            for (const auto& id : l_.ids) {
                if (owned(id) >= floor || !group_free(row, id, 0)) continue;
                count_row(row, -1);
                row[0] = id;
                count_row(row, +1);
                break;
            }
        }
        // Under the floor: take ownership from owners above it, by role swap wherever one is
        // possible (no data moves), and only then by taking over rows it holds no replica of.
        for (bool swaps_only : {true, false}) {
            for (const auto& id : l_.ids) {
                for (auto& row : table_) {
                    if (owned(id) >= floor) break;
                    if (row.empty() || row[0] == id || owned(row[0]) <= floor) continue;
                    const auto it = std::find(row.begin(), row.end(), id);
                    if (it != row.end()) {
                        owners_[row[0]] -= 1;
                        owners_[id] += 1;
                        std::iter_swap(row.begin(), it);
                    } else if (!swaps_only && group_free(row, id, 0)) {
                        count_row(row, -1);
                        row[0] = id;
                        count_row(row, +1);
                    }
                }
            }
        }
    }

    void balance_replicas() {
        const int members = static_cast<int>(l_.ids.size());
        int total = 0;
        for (const auto& row : table_) total += static_cast<int>(row.size());
        const int ceiling = (total + members - 1) / members;
        for (const auto& id : l_.ids) {
            for (auto& row : table_) {
                if (load(id) >= total / members) break;
                for (std::size_t i = 1; i < row.size(); ++i) {
                    if (load(row[i]) <= ceiling - 0 && load(row[i]) <= load(id) + 1) continue;
                    if (!group_free(row, id, i)) continue;
                    loads_[row[i]] -= 1;
                    loads_[id] += 1;
                    row[i] = id;
                    break;
                }
            }
        }
    }

    Layout l_;
    int partitions_;
    int replicas_;
    ReplicaTable table_;
    std::map<std::string, int> loads_;
    std::map<std::string, int> owners_;
};

}  // namespace

Assignment assign_partitions(const std::vector<PlacementMember>& members, config::PartitionGroupType group_type,
                             int partition_count, int replica_count, const ReplicaTable& current) {
    Assignment result;
    if (members.empty() || partition_count <= 0) {
        result.replicas.assign(static_cast<std::size_t>(std::max(0, partition_count)), {});
        return result;
    }
    const int replicas = std::min<int>(std::max(1, replica_count), static_cast<int>(members.size()));
    Layout layout;
    std::set<std::string> groups;
    for (std::size_t i = 0; i < members.size(); ++i) {
        layout.ids.push_back(members[i].id);
        layout.order[members[i].id] = static_cast<int>(i);
        layout.group[members[i].id] = group_of(members[i], group_type);
        groups.insert(layout.group[members[i].id]);
    }
    if (static_cast<int>(groups.size()) < replicas) {
        std::string names;
        for (const auto& g : groups) names += (names.empty() ? "" : ", ") + g;
        result.degraded_warning = "partition group " + std::string(group_type == config::PartitionGroupType::kZoneAware ? "ZONE_AWARE"
                                                                   : group_type == config::PartitionGroupType::kNodeAware ? "NODE_AWARE"
                                                                                                                          : "PER_MEMBER") +
                                  ": only " + std::to_string(groups.size()) + " group(s) (" + names + ") for " +
                                  std::to_string(replicas) + " replicas per partition; placing replicas per member";
        for (const auto& id : layout.ids) layout.group[id] = "member:" + id;
    }
    result.replicas = Assigner(std::move(layout), partition_count, replicas).run(current);
    return result;
}

}  // namespace shoal::partition
