// What a client sees does not depend on the member it talks to, nor does it end with one
// member: a key lock survives its owner's SIGKILL (the promoted backup knows who holds it and
// how often), a unisocket client's entry listener hears the entries of every member (also of a
// member that joins after the registration), and GetDistributedObjects answers the same set
// on every member. Real member processes and Shoal's C++ client.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <set>

#include "client_test_support.h"

namespace shoal {
namespace {

using namespace std::chrono_literals;
using client::Client;
using client::Value;

// The index in `cluster` of the member with `uuid`, or -1.
int index_of(const test::ProcessCluster& cluster, const Client& client, const std::string& uuid, int size) {
    for (const auto& m : client.members()) {
        if (m.uuid != uuid) continue;
        for (int i = 0; i < size; ++i) {
            if (cluster.host(i) == m.host) return i;
        }
    }
    return -1;
}

std::string owner_of(const Client& client, const std::string& key) {
    return client.partition_owner(client::partition_of(Value(key).to_data(), 271)).value_or("");
}

// The first key "<prefix><n>" owned by `member`.
std::string key_owned_by(const Client& client, const std::string& prefix, const std::string& member) {
    for (int i = 0; i < 10'000; ++i) {
        std::string key = prefix + std::to_string(i);
        if (owner_of(client, key) == member) return key;
    }
    return {};
}

bool safe(test::ProcessCluster& cluster, std::initializer_list<int> members) {
    return std::all_of(members.begin(), members.end(), [&](int i) { return cluster.safe(i); });
}

std::string server_error_class(const std::function<void()>& call) {
    try {
        call();
    } catch (const client::ServerError& e) {
        return e.class_name();
    }
    return "no error";
}

TEST(ClientClusterWide, ALockedKeyStaysLockedAfterItsOwnerIsSigkilledAndOnlyItsOwnerUnlocksIt) {
    test::ProcessCluster cluster(3);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    ASSERT_TRUE(test::eventually([&] { return safe(cluster, {0, 1, 2}); }, 30s));
    auto holder = Client::connect(test::client_config(cluster, {0, 1, 2}, true));
    auto other = Client::connect(test::client_config(cluster, {0, 2}, true));
    ASSERT_TRUE(test::eventually([&] { return test::sees_cluster(*holder, 3) && test::sees_cluster(*other, 3); }, 20s));
    // The key of the member that will be killed (never member 0, the test's other address).
    std::string key, leased;
    int victim = -1;
    for (int i = 0; i < 100 && victim <= 0; ++i) {
        key = "lock-" + std::to_string(i);
        victim = index_of(cluster, *holder, owner_of(*holder, key), 3);
    }
    ASSERT_GT(victim, 0);
    leased = key_owned_by(*holder, "leased-", owner_of(*holder, key));
    auto map = holder->get_map("locks");
    auto others = other->get_map("locks");
    map.lock(key, 0ms, 1);
    map.lock(key, 0ms, 1);  // reentrant: held twice by thread 1
    map.lock(leased, 60s, 1);
    ASSERT_TRUE(others.is_locked(key));

    cluster.member(victim).signal(SIGKILL);
    const int survivor = victim == 1 ? 2 : 1;
    ASSERT_TRUE(cluster.await_size({0, survivor}, 2));
    ASSERT_TRUE(test::eventually([&] { return test::sees_cluster(*holder, 2) && test::sees_cluster(*other, 2); }, 30s));
    ASSERT_NE(index_of(cluster, *holder, owner_of(*holder, key), 3), victim) << "the key has a new owner";

    EXPECT_TRUE(others.is_locked(key)) << "the promoted backup knows the key is locked";
    EXPECT_TRUE(others.is_locked(leased)) << "and a leased lock too, its lease not over";
    EXPECT_FALSE(others.try_lock(key, 0ms)) << "another client cannot take it";
    EXPECT_EQ(server_error_class([&] { others.unlock(key); }), "java.lang.IllegalMonitorStateException");
    EXPECT_EQ(server_error_class([&] { map.unlock(key, 2); }), "java.lang.IllegalMonitorStateException")
        << "nor another thread of the holder's client";
    map.unlock(key, 1);
    EXPECT_TRUE(others.is_locked(key)) << "taken twice: still held after one unlock";
    map.unlock(key, 1);
    EXPECT_FALSE(others.is_locked(key));
    EXPECT_TRUE(others.try_lock(key, 0ms)) << "free for the others now";
    others.unlock(key);
    map.unlock(leased, 1);
    EXPECT_FALSE(others.is_locked(leased));
}

TEST(ClientClusterWide, AUnisocketListenerHearsEveryMemberAlsoOneThatJoinsAndNothingAfterItsRemoval) {
    test::ProcessCluster cluster(3);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    ASSERT_TRUE(test::eventually([&] { return safe(cluster, {0, 1, 2}); }, 30s));
    auto client = Client::connect(test::client_config(cluster, {0}, false));
    auto watcher = Client::connect(test::client_config(cluster, {0, 1, 2}, true));  // sees owners
    ASSERT_TRUE(test::eventually([&] { return test::sees_cluster(*watcher, 3); }, 20s));
    auto map = client->get_map("uni-events");

    std::mutex mutex;
    std::map<std::string, std::string> source_of;  // key -> member that fired its ADDED
    const auto id = map.add_entry_listener({[&](const client::EntryEvent& e) {
                                                std::lock_guard lock(mutex);
                                                source_of[e.key->to_text()] = e.member;
                                            }, {}, {}, {}});
    auto heard = [&](const std::string& key) {
        std::lock_guard lock(mutex);
        auto it = source_of.find(key);
        return it == source_of.end() ? std::string() : it->second;
    };
    // A key of each member, member 0's (the one the client talks to) included.
    for (const auto& m : watcher->members()) {
        const std::string key = key_owned_by(*watcher, "before-", m.uuid);
        map.put(key, std::int64_t{1});
        EXPECT_TRUE(test::eventually([&] { return !heard(key).empty(); }, 10s)) << "no event for " << key;
        EXPECT_EQ(heard(key), m.uuid) << "fired by the key's owner";
    }

    // Member 2 dies, a new one (new UUID) joins on its address: it gets the registration too.
    cluster.member(2).signal(SIGKILL);
    ASSERT_TRUE(cluster.await_size({0, 1}, 2));
    cluster.start(2);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    ASSERT_TRUE(test::eventually([&] { return safe(cluster, {0, 1, 2}); }, 60s));
    ASSERT_TRUE(test::eventually([&] { return test::sees_cluster(*watcher, 3); }, 20s));
    const std::string newcomer = [&] {
        for (const auto& m : watcher->members()) {
            if (index_of(cluster, *watcher, m.uuid, 3) == 2) return m.uuid;
        }
        return std::string();
    }();
    ASSERT_FALSE(newcomer.empty());
    const std::string key = key_owned_by(*watcher, "after-", newcomer);
    ASSERT_FALSE(key.empty()) << "the newcomer owns partitions";
    map.put(key, std::int64_t{2});
    EXPECT_TRUE(test::eventually([&] { return !heard(key).empty(); }, 10s)) << "no event from the member that joined";
    EXPECT_EQ(heard(key), newcomer);

    EXPECT_TRUE(map.remove_entry_listener(id));
    std::size_t count = 0;
    {
        std::lock_guard lock(mutex);
        count = source_of.size();
    }
    // A second listener as a barrier: once it heard a write from every member, anything those
    // members sent before (events of one member arrive in order) has arrived.
    std::atomic<int> barrier{0};
    const auto barrier_id = map.add_entry_listener({[&](const client::EntryEvent&) { ++barrier; }, {}, {}, {}});
    int expected = 0;
    for (const auto& m : watcher->members()) {
        map.put(key_owned_by(*watcher, "gone-", m.uuid), std::int64_t{3});
        ++expected;
    }
    EXPECT_TRUE(test::eventually([&] { return barrier == expected; }, 10s));
    EXPECT_TRUE(map.remove_entry_listener(barrier_id));
    std::lock_guard lock(mutex);
    EXPECT_EQ(source_of.size(), count) << "no event after removeEntryListener, from any member";
}

TEST(ClientClusterWide, EveryMemberListsTheSameDistributedObjects) {
    test::ProcessCluster cluster(3);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    // One unisocket client per member: each asks its own member.
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < 3; ++i) clients.push_back(Client::connect(test::client_config(cluster, {i}, false)));
    using Objects = std::vector<Client::DistributedObject>;
    auto same_everywhere = [&](const Objects& expected) {
        for (auto& c : clients) {
            if (c->distributed_objects() != expected) return false;
        }
        return true;
    };
    const std::string map_service = "hz:impl:mapService";
    clients[0]->get_map("proxy-only");  // CreateProxy through member 0, no data
    auto filled = clients[1]->get_map("filled");
    for (int i = 0; i < 50; ++i) filled.put("k" + std::to_string(i), std::int64_t{i});
    // A map written over REST has no proxy; its entries make it listed.
    ASSERT_EQ(test::http_request(cluster.host(2), 5701, "POST", "/hazelcast/rest/maps/rest-map/k", "v", "text/plain").status, 200);
    const Objects all{{map_service, "filled"}, {map_service, "proxy-only"}, {map_service, "rest-map"}};
    EXPECT_TRUE(test::eventually([&] { return same_everywhere(all); }, 10s)) << "every member lists the same three maps";

    // A member that joins later learns the proxies too.
    cluster.member(2).signal(SIGKILL);
    ASSERT_TRUE(cluster.await_size({0, 1}, 2));
    cluster.start(2);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3));
    ASSERT_TRUE(test::eventually([&] { return safe(cluster, {0, 1, 2}); }, 60s));
    clients[2] = Client::connect(test::client_config(cluster, {2}, false));
    EXPECT_TRUE(test::eventually([&] { return same_everywhere(all); }, 10s)) << "the newcomer lists them too";

    clients[2]->get_map("proxy-only").destroy();  // DestroyProxy through another member
    filled.destroy();
    const Objects rest{{map_service, "rest-map"}};
    EXPECT_TRUE(test::eventually([&] { return same_everywhere(rest); }, 10s)) << "destroyed everywhere";
}

}  // namespace
}  // namespace shoal
