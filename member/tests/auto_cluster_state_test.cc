// The automatic cluster state's rules (a pure function of StatefulSet counts and the cluster),
// the StatefulSet name of a pod, and the StatefulSet list and watch bodies it reads.
#include <gtest/gtest.h>

#include "cluster/auto_cluster_state.h"
#include "cluster/statefulset_watcher.h"
#include "kube/objects.h"

namespace shoal::cluster {
namespace {

using Strategy = config::AutoClusterStateStrategy;

AutoStateInput stable(int replicas, int ready, int members, ClusterState state = ClusterState::kActive, bool safe = true) {
    AutoStateInput in;
    in.statefulset = {replicas, ready};
    in.previous_replicas = replicas;
    in.cluster_size = members;
    in.state = state;
    in.cluster_safe = safe;
    in.state_set_by_us = state != ClusterState::kActive;
    return in;
}

TEST(AutoClusterState, AMemberMissingFromAStableStatefulSetStopsMigrationsOnceSafe) {
    const auto d = decide_cluster_state(stable(3, 2, 3), Strategy::kNoMigration);
    ASSERT_EQ(d.target, ClusterState::kNoMigration);
    EXPECT_NE(d.reason.find("rolling restart"), std::string::npos) << d.reason;
    EXPECT_EQ(decide_cluster_state(stable(3, 2, 2), Strategy::kFrozen).target, ClusterState::kFrozen);
    EXPECT_EQ(decide_cluster_state(stable(3, 2, 3, ClusterState::kActive, false), Strategy::kNoMigration).target, std::nullopt)
        << "replicas must be in sync before migrations stop";
}

TEST(AutoClusterState, EveryReplicaBackMakesTheClusterActiveAgain) {
    EXPECT_EQ(decide_cluster_state(stable(3, 3, 3, ClusterState::kNoMigration), Strategy::kNoMigration).target, ClusterState::kActive);
    EXPECT_EQ(decide_cluster_state(stable(3, 3, 2, ClusterState::kNoMigration), Strategy::kNoMigration).target, std::nullopt)
        << "ready is not enough: the member must be in the cluster";
    EXPECT_EQ(decide_cluster_state(stable(3, 3, 3), Strategy::kNoMigration).target, std::nullopt) << "already ACTIVE";
}

TEST(AutoClusterState, ScalingMakesTheClusterActiveSoPartitionsRebalance) {
    AutoStateInput in = stable(5, 3, 3, ClusterState::kNoMigration);
    in.previous_replicas = 3;
    const auto d = decide_cluster_state(in, Strategy::kNoMigration);
    ASSERT_EQ(d.target, ClusterState::kActive);
    EXPECT_NE(d.reason.find("from 3 to 5"), std::string::npos) << d.reason;
    in.state = ClusterState::kActive;
    EXPECT_EQ(decide_cluster_state(in, Strategy::kNoMigration).target, std::nullopt) << "scaling while ACTIVE changes nothing";
}

TEST(AutoClusterState, ScaledToZeroTheClusterGoesPassive) {
    EXPECT_EQ(decide_cluster_state(stable(0, 2, 3), Strategy::kNoMigration).target, ClusterState::kPassive);
    EXPECT_EQ(decide_cluster_state(stable(0, 0, 1, ClusterState::kPassive), Strategy::kNoMigration).target, std::nullopt);
}

TEST(AutoClusterState, AStateAnOperatorSetIsLeftAlone) {
    AutoStateInput in = stable(3, 3, 3, ClusterState::kFrozen);
    in.state_set_by_us = false;
    EXPECT_EQ(decide_cluster_state(in, Strategy::kNoMigration).target, std::nullopt);
    in.statefulset.replicas = 0;
    EXPECT_EQ(decide_cluster_state(in, Strategy::kNoMigration).target, ClusterState::kPassive) << "except a full stop";
}

TEST(AutoClusterState, TheFirstObservationIsNoScaling) {
    AutoStateInput in = stable(3, 1, 1);
    in.previous_replicas.reset();
    EXPECT_EQ(decide_cluster_state(in, Strategy::kNoMigration).target, ClusterState::kNoMigration);
}

TEST(AutoClusterState, StatefulSetOfAPodDropsTheOrdinal) {
    EXPECT_EQ(statefulset_of_pod("shoal-0"), "shoal");
    EXPECT_EQ(statefulset_of_pod("my-grid-shoal-12"), "my-grid-shoal");
    EXPECT_EQ(statefulset_of_pod("shoal-abc12-x9z"), "");
    EXPECT_EQ(statefulset_of_pod("shoal"), "");
    EXPECT_EQ(statefulset_of_pod("shoal-"), "");
    EXPECT_EQ(statefulset_of_pod(""), "");
}

TEST(AutoClusterState, StatefulSetListAndWatchBodiesAreRead) {
    const auto found = kube::statefulset_of_list(
        R"({"kind":"StatefulSetList","metadata":{"resourceVersion":"42"},"items":[)"
        R"({"metadata":{"name":"shoal","resourceVersion":"40"},"spec":{"replicas":3},"status":{"readyReplicas":2}}]})");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->replicas, 3);
    EXPECT_EQ(found->ready_replicas, 2);
    EXPECT_EQ(found->resource_version, "42") << "the list's version, to watch from";
    EXPECT_EQ(kube::statefulset_of_list(R"({"metadata":{},"items":[]})"), std::nullopt);
    EXPECT_THROW(kube::statefulset_of_list("not json"), kube::ObjectError);

    const auto modified = kube::statefulset_event(
        R"({"type":"MODIFIED","object":{"metadata":{"resourceVersion":"43"},"spec":{"replicas":0},"status":{}}})");
    EXPECT_EQ(modified.type, "MODIFIED");
    EXPECT_EQ(modified.statefulset.replicas, 0);
    EXPECT_EQ(modified.statefulset.ready_replicas, 0) << "an absent readyReplicas is 0";
    const auto gone = kube::statefulset_event(R"({"type":"ERROR","object":{"kind":"Status","code":410}})");
    EXPECT_EQ(gone.type, "ERROR");
    EXPECT_EQ(gone.error_code, 410);
    EXPECT_THROW(kube::statefulset_event(R"({"object":{}})"), kube::ObjectError);
}

}  // namespace
}  // namespace shoal::cluster

namespace shoal::cluster {
namespace {

TEST(AutoClusterState, AShutdownKeepsTheDataWhereItIsWhenThePodComesBackOrEveryoneStops) {
    EXPECT_EQ(decide_shutdown_intent(3, 2), ShutdownIntent::kComeBack) << "rolling restart: the pod returns";
    EXPECT_EQ(decide_shutdown_intent(3, 0), ShutdownIntent::kComeBack);
    EXPECT_EQ(decide_shutdown_intent(2, 2), ShutdownIntent::kHandOver) << "scaled 3 -> 2: pod 2 does not return";
    EXPECT_EQ(decide_shutdown_intent(1, 5), ShutdownIntent::kHandOver);
    EXPECT_EQ(decide_shutdown_intent(0, 1), ShutdownIntent::kClusterShutdown);
    EXPECT_EQ(decide_shutdown_intent(std::nullopt, 1), ShutdownIntent::kHandOver) << "nothing seen: hand over, the safe default";
    EXPECT_EQ(decide_shutdown_intent(3, -1), ShutdownIntent::kHandOver);
}

TEST(AutoClusterState, OrdinalOfAPodIsItsTrailingNumber) {
    EXPECT_EQ(ordinal_of_pod("shoal-0"), 0);
    EXPECT_EQ(ordinal_of_pod("my-shoal-12"), 12);
    EXPECT_EQ(ordinal_of_pod("shoal"), -1);
    EXPECT_EQ(ordinal_of_pod("shoal-"), -1);
    EXPECT_EQ(ordinal_of_pod("shoal-7a"), -1);
    EXPECT_EQ(ordinal_of_pod("shoal-12345678901"), -1);
}

}  // namespace
}  // namespace shoal::cluster
