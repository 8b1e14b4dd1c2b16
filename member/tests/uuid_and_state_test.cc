// Small value types: UUIDs and cluster-state names.
#include <gtest/gtest.h>

#include <set>

#include "cluster/cluster_state.h"
#include "cluster/member_info.h"
#include "util/uuid.h"

namespace shoal {
namespace {

TEST(Uuid, RandomIsVersion4AndRoundTrips) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const auto id = util::Uuid::random();
        const std::string text = id.to_string();
        ASSERT_EQ(text.size(), 36u);
        EXPECT_EQ(text[14], '4');
        EXPECT_TRUE(std::string("89ab").find(text[19]) != std::string::npos) << text;
        EXPECT_EQ(util::Uuid::parse(text), id);
        seen.insert(text);
    }
    EXPECT_EQ(seen.size(), 100u);
}

TEST(Uuid, ParseRejectsMalformed) {
    EXPECT_FALSE(util::Uuid::parse("not-a-uuid"));
    EXPECT_FALSE(util::Uuid::parse("123e4567-e89b-12d3-a456-42661417400g"));
    EXPECT_FALSE(util::Uuid::parse("123e4567xe89b-12d3-a456-426614174000"));
    const auto id = util::Uuid::parse("123E4567-e89b-12d3-a456-426614174000");
    ASSERT_TRUE(id);
    EXPECT_EQ(id->most, 0x123e4567e89b12d3ull);
    EXPECT_EQ(id->least, 0xa456426614174000ull);
}

TEST(ClusterState, NamesRoundTripAnyCase) {
    using cluster::ClusterState;
    for (auto s : {ClusterState::kActive, ClusterState::kNoMigration, ClusterState::kFrozen, ClusterState::kPassive}) {
        EXPECT_EQ(cluster::parse_cluster_state(cluster::to_string(s)), s);
    }
    EXPECT_EQ(cluster::parse_cluster_state("no_migration"), ClusterState::kNoMigration);
    EXPECT_FALSE(cluster::parse_cluster_state("in_transition"));
    EXPECT_FALSE(cluster::parse_cluster_state("sleepy"));
}

TEST(MembersBlock, HazelcastFormat) {
    cluster::ClusterView view;
    view.version = 3;
    cluster::MemberInfo a{*util::Uuid::parse("00000000-0000-0000-0000-000000000001"), "10.0.0.1", 5701, true};
    cluster::MemberInfo b{*util::Uuid::parse("00000000-0000-0000-0000-000000000002"), "10.0.0.2", 5701, false};
    view.members = {a, b};
    EXPECT_EQ(cluster::format_members_block(view),
              "\n\nMembers {size:2, ver:3} [\n"
              "\tMember 10.0.0.1:5701 - 00000000-0000-0000-0000-000000000001 this\n"
              "\tMember 10.0.0.2:5701 - 00000000-0000-0000-0000-000000000002\n"
              "]\n");
}

}  // namespace
}  // namespace shoal
