// Membership and cluster-state machines with real members in one process (each on its own
// loopback address, joined through tcp-ip): one view everywhere with a growing version, the
// master handing over on a graceful leave, and the four cluster states. In-process so the
// cluster code runs under TSan with the other concurrency tests.
#include <gtest/gtest.h>

#include <thread>

#include "app/member.h"
#include "client/client.h"
#include "cluster/cluster_service.h"
#include "map/data.h"
#include "partition/map_operations.h"
#include "protocol/protocol_service.h"
#include "test_support.h"

namespace shoal::cluster {
namespace {

using Clock = std::chrono::steady_clock;
using Value = std::optional<std::string>;

// Polls `condition` until it holds or `timeout` passes.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return condition();
}

class ClusterMembership : public ::testing::Test {
protected:
    static constexpr int kMaxMembers = 4;
    // Addresses of their own: ctest runs tests of this suite in parallel processes.
    ClusterMembership() {
        for (auto& host : hosts_) host = test::unique_loopback_address();
    }
    const std::string& host(int i) const { return hosts_[i]; }

    app::Member& start(int i) {
        config::MemberConfig config;
        config.cluster_name = "membership";
        config.local_address = host(i);
        config.network.port = 5701;
        config.partition_thread_count = 2;
        config.io_thread_count = 1;
        config.network.join.tcp_ip.enabled = true;
        for (int m = 0; m < kMaxMembers; ++m) config.network.join.tcp_ip.members.push_back(host(m));
        members_[i] = std::make_unique<app::Member>(config);
        members_[i]->start();
        return *members_[i];
    }
    ClusterService& cluster(int i) { return members_[i]->cluster(); }
    int size(int i) { return static_cast<int>(cluster(i).view().members.size()); }

    bool put(int i, int key) {
        return test::await<Value>([&](auto done) {
                   members_[i]->maps().put("m", map::string_data("k" + std::to_string(key)),
                                           map::string_data("v" + std::to_string(key)), {}, done);
               }).ok();
    }
    partition::OpStatus put_status(int i, int key) {
        return test::await<Value>([&](auto done) {
                   members_[i]->maps().put("m", map::string_data("k" + std::to_string(key)), map::string_data("x"), {}, done);
               }).status;
    }
    Value get(int i, int key) {
        return test::await<Value>([&](auto done) { members_[i]->maps().get("m", map::string_data("k" + std::to_string(key)), done); })
            .value;
    }
    bool all_sizes(std::initializer_list<int> alive, int expected) {
        for (int i : alive) {
            if (size(i) != expected) return false;
        }
        return true;
    }

    void TearDown() override {
        for (auto& m : members_) {
            if (m) m->shutdown();
        }
    }

    std::string hosts_[kMaxMembers];
    std::unique_ptr<app::Member> members_[kMaxMembers];
};

TEST_F(ClusterMembership, EveryMemberHoldsTheSameViewOldestFirstWithAGrowingVersion) {
    start(0);
    const int first_version = cluster(0).view().version;
    start(1);
    start(2);
    ASSERT_TRUE(eventually([&] { return all_sizes({0, 1, 2}, 3); }));
    const ClusterView view = cluster(0).view();
    EXPECT_GT(view.version, first_version);
    EXPECT_EQ(view.members.front().host, host(0)) << "the first member started is the master";
    for (int i : {1, 2}) {
        ASSERT_TRUE(eventually([&] { return cluster(i).view().version == cluster(0).view().version; }));
        const ClusterView other = cluster(i).view();
        ASSERT_EQ(other.members.size(), view.members.size());
        for (std::size_t m = 0; m < view.members.size(); ++m) EXPECT_EQ(other.members[m].uuid, view.members[m].uuid);
        EXPECT_EQ(other.cluster_id, view.cluster_id);
    }
    EXPECT_TRUE(cluster(0).is_master());
    EXPECT_FALSE(cluster(1).is_master());
}

TEST_F(ClusterMembership, AGracefullyLeavingMasterHandsTheClusterAndItsDataToTheNextOldest) {
    start(0);
    start(1);
    start(2);
    ASSERT_TRUE(eventually([&] { return all_sizes({0, 1, 2}, 3) && cluster(0).cluster_safe(); }));
    for (int k = 0; k < 3000; ++k) ASSERT_TRUE(put(k % 3, k));
    members_[0]->shutdown();  // GRACEFUL by default
    ASSERT_TRUE(eventually([&] { return all_sizes({1, 2}, 2); }));
    EXPECT_TRUE(cluster(1).is_master()) << "the next oldest member takes over";
    EXPECT_EQ(cluster(2).view().members.front().uuid, cluster(1).local_member().uuid);
    for (int k = 0; k < 3000; ++k) ASSERT_EQ(get(1 + k % 2, k), map::string_data("v" + std::to_string(k))) << "key " << k;
}

TEST_F(ClusterMembership, FrozenAdmitsNoNewMemberUntilActiveAgain) {
    start(0);
    start(1);
    ASSERT_TRUE(eventually([&] { return all_sizes({0, 1}, 2); }));
    ASSERT_EQ(cluster(1).change_state(ClusterState::kFrozen), std::nullopt) << "a non-master changes it through the master";
    ASSERT_TRUE(eventually([&] { return cluster(0).state() == ClusterState::kFrozen && cluster(1).state() == ClusterState::kFrozen; }));
    start(2);  // start() waits a bounded time for a join that cannot happen
    EXPECT_FALSE(cluster(2).ready());
    EXPECT_EQ(size(0), 2);
    ASSERT_EQ(cluster(0).change_state(ClusterState::kActive), std::nullopt);
    EXPECT_TRUE(eventually([&] { return all_sizes({0, 1, 2}, 3) && cluster(2).ready(); }));
}

TEST_F(ClusterMembership, PassiveRefusesWritesEverywhereAndServesReads) {
    start(0);
    start(1);
    ASSERT_TRUE(eventually([&] { return all_sizes({0, 1}, 2) && cluster(0).cluster_safe(); }));
    for (int k = 0; k < 100; ++k) ASSERT_TRUE(put(k % 2, k));
    ASSERT_EQ(cluster(0).change_state(ClusterState::kPassive), std::nullopt);
    ASSERT_TRUE(eventually([&] { return cluster(1).state() == ClusterState::kPassive; }));
    for (int i : {0, 1}) {
        EXPECT_EQ(put_status(i, 7), partition::OpStatus::kReadOnly);
        EXPECT_EQ(get(i, 7), map::string_data("v7"));
        EXPECT_EQ(cluster(i).node_state(), NodeState::kPassive);
    }
    ASSERT_EQ(cluster(1).change_state(ClusterState::kActive), std::nullopt);
    ASSERT_TRUE(eventually([&] { return cluster(0).state() == ClusterState::kActive && cluster(1).state() == ClusterState::kActive; }));
    EXPECT_TRUE(put(1, 7));
}

TEST_F(ClusterMembership, NoMigrationAdmitsMembersButMovesNoPartitionUntilActive) {
    start(0);
    start(1);
    ASSERT_TRUE(eventually([&] { return all_sizes({0, 1}, 2) && cluster(0).cluster_safe(); }));
    ASSERT_EQ(cluster(0).change_state(ClusterState::kNoMigration), std::nullopt);
    start(2);
    ASSERT_TRUE(eventually([&] { return all_sizes({0, 1, 2}, 3); }));
    const auto table = members_[2]->maps().partition_table();
    ASSERT_NE(table, nullptr);
    EXPECT_EQ(table->replicas_on(cluster(2).local_member().uuid.to_string()), 0) << "nothing migrates in NO_MIGRATION";
    ASSERT_EQ(cluster(2).change_state(ClusterState::kActive), std::nullopt);
    EXPECT_TRUE(eventually([&] {
        const auto t = members_[2]->maps().partition_table();
        return t && t->owned_by(cluster(2).local_member().uuid.to_string()) > 0 && cluster(0).cluster_safe();
    })) << "once ACTIVE the newcomer gets its share";
}

// What a restart from disk comes back in: an operator's state is durable; the automatic cluster
// state's changes are transient and leave the durable state as the operator left it.
TEST_F(ClusterMembership, AnOperatorsStateIsDurableATransientChangeIsNot) {
    start(0);
    start(1);
    ASSERT_TRUE(eventually([&] { return all_sizes({0, 1}, 2) && cluster(0).cluster_safe(); }));
    ASSERT_EQ(cluster(1).change_state(ClusterState::kFrozen), std::nullopt);
    ASSERT_TRUE(eventually([&] {
        return cluster(0).view().durable_state == ClusterState::kFrozen && cluster(1).view().durable_state == ClusterState::kFrozen;
    }));
    ASSERT_EQ(cluster(1).change_state(ClusterState::kPassive, StateChange::kTransient), std::nullopt);
    ASSERT_TRUE(eventually([&] { return cluster(0).state() == ClusterState::kPassive && cluster(1).state() == ClusterState::kPassive; }));
    for (int i : {0, 1}) EXPECT_EQ(cluster(i).view().durable_state, ClusterState::kFrozen) << "member " << i;
    ASSERT_EQ(cluster(0).change_state(ClusterState::kActive), std::nullopt);
    ASSERT_TRUE(eventually([&] { return cluster(1).view().durable_state == ClusterState::kActive; }));
    EXPECT_EQ(cluster(1).state(), ClusterState::kActive);
}

// A unisocket client's cluster-wide entry listener: every other member holds a share of it,
// and none is left behind when the listener is removed, its client goes or its member stops.
TEST_F(ClusterMembership, AClusterWideListenersSharesGoWithTheListenerItsClientOrItsMember) {
    for (int i = 0; i < 3; ++i) start(i);
    ASSERT_TRUE(eventually([&] { return all_sizes({0, 1, 2}, 3); }));
    auto shares = [&](int i) { return members_[i]->client_protocol().listener_share_count(); };
    auto shares_are = [&](std::initializer_list<int> alive, std::size_t others) {
        return std::all_of(alive.begin(), alive.end(), [&](int i) { return shares(i) == (i == 0 ? 0 : others); });
    };
    auto connect = [&] {
        client::ClientConfig config;
        config.cluster_name = "membership";
        config.smart_routing = false;
        config.addresses = {host(0) + ":5701"};
        config.invocation_timeout = std::chrono::seconds(20);
        return client::Client::connect(config);
    };
    auto client = connect();
    auto map = client->get_map("m");
    const auto id = map.add_entry_listener({[](const client::EntryEvent&) {}, {}, {}, {}});
    EXPECT_TRUE(shares_are({0, 1, 2}, 1)) << "shared before the registration is answered";
    EXPECT_TRUE(map.remove_entry_listener(id));
    EXPECT_TRUE(eventually([&] { return shares_are({0, 1, 2}, 0); })) << "removed everywhere";

    map.add_entry_listener({[](const client::EntryEvent&) {}, {}, {}, {}});
    map.add_entry_listener({[](const client::EntryEvent&) {}, {}, {}, {}}, false);
    EXPECT_TRUE(shares_are({0, 1, 2}, 2));
    client->shutdown();
    EXPECT_TRUE(eventually([&] { return shares_are({0, 1, 2}, 0); })) << "gone with the client's connection";

    // The subscriber's member leaves while its client is connected: its own removals cannot go
    // out any more once it stops, so the others drop its shares when it leaves their view, and
    // nobody forwards to it forever.
    client = connect();
    client->get_map("m").add_entry_listener({[](const client::EntryEvent&) {}, {}, {}, {}});
    ASSERT_TRUE(shares_are({0, 1, 2}, 1));
    members_[0]->shutdown();
    EXPECT_TRUE(eventually([&] { return all_sizes({1, 2}, 2); }));
    EXPECT_TRUE(eventually([&] { return shares(1) == 0 && shares(2) == 0; })) << "the departed subscriber's shares are dropped";
    client->shutdown();
}

}  // namespace
}  // namespace shoal::cluster
