// Partition assignment properties over many random layouts of members, nodes and zones:
// complete, group-safe, balanced, stable, and moving little when members come and go.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "partition/partition_assignment.h"

namespace shoal::partition {
namespace {

using config::PartitionGroupType;

struct Layout {
    std::vector<PlacementMember> members;
    PartitionGroupType type = PartitionGroupType::kPerMember;
    int partitions = 271;
    int replicas = 2;
};

std::string group_of(const PlacementMember& m, PartitionGroupType type) {
    if (type == PartitionGroupType::kZoneAware) return m.zone;
    if (type == PartitionGroupType::kNodeAware) return m.node;
    return m.id;
}

Layout random_layout(std::mt19937& rng) {
    Layout l;
    const int members = std::uniform_int_distribution(1, 12)(rng);
    const int zones = std::uniform_int_distribution(1, 3)(rng);
    const int nodes = std::uniform_int_distribution(1, members)(rng);
    l.type = static_cast<PartitionGroupType>(std::uniform_int_distribution(0, 2)(rng));
    l.partitions = std::uniform_int_distribution(0, 3)(rng) == 0 ? 271 : std::uniform_int_distribution(1, 300)(rng);
    l.replicas = std::uniform_int_distribution(1, 4)(rng);
    for (int i = 0; i < members; ++i) {
        const int node = std::uniform_int_distribution(0, nodes - 1)(rng);
        l.members.push_back({"m" + std::to_string(i), "node-" + std::to_string(node), "zone-" + std::to_string(node % zones)});
    }
    return l;
}

std::set<std::string> groups(const Layout& l) {
    std::set<std::string> g;
    for (const auto& m : l.members) g.insert(group_of(m, l.type));
    return g;
}

// Every partition has min(replicas, members) distinct replicas, all current members, and no
// two in one group when there are enough groups.
void expect_complete_and_group_safe(const Layout& l, const Assignment& a) {
    ASSERT_EQ(static_cast<int>(a.replicas.size()), l.partitions);
    const int want = std::min<int>(l.replicas, static_cast<int>(l.members.size()));
    const bool groups_suffice = static_cast<int>(groups(l).size()) >= want;
    EXPECT_EQ(a.degraded_warning.empty(), groups_suffice) << a.degraded_warning;
    std::map<std::string, const PlacementMember*> by_id;
    for (const auto& m : l.members) by_id[m.id] = &m;
    for (const auto& row : a.replicas) {
        ASSERT_EQ(static_cast<int>(row.size()), want);
        std::set<std::string> ids, row_groups;
        for (const auto& id : row) {
            ASSERT_TRUE(by_id.count(id)) << id << " is not a member";
            ids.insert(id);
            row_groups.insert(group_of(*by_id[id], l.type));
        }
        EXPECT_EQ(ids.size(), row.size()) << "a member holds two replicas of one partition";
        if (groups_suffice) {
            EXPECT_EQ(row_groups.size(), row.size()) << "two replicas share a group";
        }
    }
}

std::map<std::string, int> owners(const Assignment& a) {
    std::map<std::string, int> count;
    for (const auto& row : a.replicas) count[row.at(0)]++;
    return count;
}

std::set<std::pair<int, std::string>> placed(const ReplicaTable& t) {
    std::set<std::pair<int, std::string>> s;
    for (std::size_t p = 0; p < t.size(); ++p) {
        for (const auto& id : t[p]) s.insert({static_cast<int>(p), id});
    }
    return s;
}

TEST(PartitionAssignment, RandomLayoutsAreCompleteGroupSafeAndStable) {
    std::mt19937 rng(20261122);
    for (int round = 0; round < 150; ++round) {
        const Layout l = random_layout(rng);
        SCOPED_TRACE("round " + std::to_string(round) + ": " + std::to_string(l.members.size()) + " members, type " +
                     std::to_string(static_cast<int>(l.type)) + ", " + std::to_string(l.replicas) + " replicas");
        const Assignment first = assign_partitions(l.members, l.type, l.partitions, l.replicas, {});
        expect_complete_and_group_safe(l, first);
        // Running again on its own output changes nothing: no churn without a change.
        const Assignment again = assign_partitions(l.members, l.type, l.partitions, l.replicas, first.replicas);
        EXPECT_EQ(again.replicas, first.replicas);
    }
}

TEST(PartitionAssignment, OwnersPerMemberDifferByAtMostOneWhenGroupsAreEven) {
    std::mt19937 rng(7);
    for (int round = 0; round < 80; ++round) {
        Layout l;
        const int members = std::uniform_int_distribution(1, 12)(rng);
        l.partitions = std::uniform_int_distribution(1, 300)(rng);
        l.replicas = std::uniform_int_distribution(1, 3)(rng);
        l.type = round % 2 ? PartitionGroupType::kPerMember : PartitionGroupType::kZoneAware;
        const int zones = l.type == PartitionGroupType::kZoneAware ? 2 : 1;
        for (int i = 0; i < members * zones; ++i) {
            l.members.push_back({"m" + std::to_string(i), "n" + std::to_string(i), "z" + std::to_string(i % zones)});
        }
        SCOPED_TRACE("round " + std::to_string(round));
        const Assignment a = assign_partitions(l.members, l.type, l.partitions, l.replicas, {});
        expect_complete_and_group_safe(l, a);
        auto count = owners(a);
        int lo = INT32_MAX, hi = 0;
        for (const auto& m : l.members) {
            lo = std::min(lo, count[m.id]);
            hi = std::max(hi, count[m.id]);
        }
        EXPECT_LE(hi - lo, 1) << "owners per member from " << lo << " to " << hi;
    }
}

TEST(PartitionAssignment, AJoiningMemberTakesAboutItsShareAndLittleElseMoves) {
    std::mt19937 rng(11);
    for (int round = 0; round < 100; ++round) {
        Layout l;
        const int members = std::uniform_int_distribution(1, 10)(rng);
        l.replicas = std::uniform_int_distribution(1, 3)(rng);
        for (int i = 0; i < members; ++i) l.members.push_back({"m" + std::to_string(i), "", ""});
        const Assignment before = assign_partitions(l.members, l.type, l.partitions, l.replicas, {});
        l.members.push_back({"new", "", ""});
        const Assignment after = assign_partitions(l.members, l.type, l.partitions, l.replicas, before.replicas);
        expect_complete_and_group_safe(l, after);
        const auto old_pairs = placed(before.replicas);
        int moved = 0;
        for (const auto& pair : placed(after.replicas)) moved += old_pairs.count(pair) == 0;
        const int slots = l.partitions * std::min<int>(l.replicas, static_cast<int>(l.members.size()));
        const int share = (slots + static_cast<int>(l.members.size()) - 1) / static_cast<int>(l.members.size());
        // A newcomer needs its share of replicas copied; a little more is allowed for evening
        // out owners, never a reshuffle.
        EXPECT_LE(moved, share + share / 4 + 2) << "round " << round << ": " << members << "+1 members, " << l.replicas
                                                << " replicas";
    }
}

TEST(PartitionAssignment, ALostMembersReplicasAreRebuiltAndLittleElseMoves) {
    std::mt19937 rng(3);
    for (int round = 0; round < 100; ++round) {
        Layout l;
        const int members = std::uniform_int_distribution(2, 10)(rng);
        l.replicas = std::uniform_int_distribution(2, 3)(rng);
        for (int i = 0; i < members; ++i) l.members.push_back({"m" + std::to_string(i), "", ""});
        const Assignment before = assign_partitions(l.members, l.type, l.partitions, l.replicas, {});
        const std::string lost = l.members[std::uniform_int_distribution(0, members - 1)(rng)].id;
        l.members.erase(std::find_if(l.members.begin(), l.members.end(), [&](const auto& m) { return m.id == lost; }));
        const Assignment after = assign_partitions(l.members, l.type, l.partitions, l.replicas, before.replicas);
        expect_complete_and_group_safe(l, after);
        int lost_load = 0;
        for (int p = 0; p < l.partitions; ++p) {
            const auto& old_row = before.replicas[p];
            lost_load += std::count(old_row.begin(), old_row.end(), lost);
        }
        const auto old_pairs = placed(before.replicas);
        int moved = 0;
        for (const auto& pair : placed(after.replicas)) moved += old_pairs.count(pair) == 0;
        // The lost member's replicas must be rebuilt elsewhere; evening out owners afterwards
        // moves a few more (measured: at most about a third more), never a reshuffle.
        EXPECT_LE(moved, lost_load + lost_load * 2 / 5 + 2) << "round " << round << ": " << members << "-1 members, "
                                                        << l.replicas << " replicas";
    }
}

TEST(PartitionAssignment, OneZoneLeftFallsBackToPerMemberWithAWarning) {
    std::vector<PlacementMember> members{{"a", "n1", "z1"}, {"b", "n2", "z1"}, {"c", "n3", "z1"}};
    const Assignment a = assign_partitions(members, PartitionGroupType::kZoneAware, 271, 2, {});
    EXPECT_NE(a.degraded_warning.find("z1"), std::string::npos) << a.degraded_warning;
    for (const auto& row : a.replicas) {
        ASSERT_EQ(row.size(), 2u);
        EXPECT_NE(row[0], row[1]);
    }
}

TEST(PartitionAssignment, NoMembersOrNoPartitions) {
    EXPECT_EQ(assign_partitions({}, PartitionGroupType::kPerMember, 5, 2, {}).replicas, ReplicaTable(5));
    EXPECT_TRUE(assign_partitions({{"a", "", ""}}, PartitionGroupType::kPerMember, 0, 2, {}).replicas.empty());
}

}  // namespace
}  // namespace shoal::partition
