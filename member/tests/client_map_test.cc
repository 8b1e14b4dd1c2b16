// The client library against three real members, smart routing and unisocket: the same suite
// as the Node.js client's (conformance/scenarios/client_protocol.test.js): every map call with
// string, int64 and JSON values, REST interop, entry-listener events, an unsupported call's
// error, and clear errors for unreachable members and a wrong cluster name.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

#include "client_test_support.h"

namespace shoal {
namespace {

using namespace std::chrono_literals;
using client::Client;
using client::Entries;
using client::JsonValue;
using client::Map;
using client::Value;

// TTL / max-idle of the expiry checks: short, but long enough that a sanitizer build (several
// times slower) still reads each entry before it expires.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr auto kExpiry = 3000ms;
#else
constexpr auto kExpiry = 400ms;
#endif

struct Kind {
    const char* name;
    Value (*key)(int);
    Value (*value)(int);
};

const Kind kKinds[] = {
    {"string", [](int i) { return Value("key-" + std::to_string(i)); }, [](int i) { return Value("value-" + std::to_string(i)); }},
    {"int64", [](int i) { return Value(std::int64_t{1000 + i}); }, [](int i) { return Value(std::int64_t{i} * 7); }},
    {"json", [](int i) { return Value("json-" + std::to_string(i)); },
     [](int i) { return Value(JsonValue{"{\"id\":" + std::to_string(i) + ",\"tags\":[\"a\"," + std::to_string(i) + "]}"}); }},
};

void exercise_map(Map map, const Kind& kind) {
    SCOPED_TRACE(kind.name);
    const auto key = kind.key;
    const auto value = kind.value;
    EXPECT_EQ(map.put(key(1), value(1)), std::nullopt) << "put of a new key returns null";
    EXPECT_EQ(map.put(key(1), value(2)), value(1)) << "put returns the previous value";
    EXPECT_EQ(map.get(key(1)), value(2));
    EXPECT_EQ(map.get(key(999)), std::nullopt);
    map.set(key(2), value(2));
    EXPECT_EQ(map.get(key(2)), value(2));
    EXPECT_TRUE(map.contains_key(key(2)));
    EXPECT_FALSE(map.contains_key(key(999)));
    EXPECT_TRUE(map.contains_value(value(2)));
    EXPECT_FALSE(map.contains_value(value(999)));
    EXPECT_EQ(map.size(), 2);
    EXPECT_FALSE(map.is_empty());

    EXPECT_EQ(map.put_if_absent(key(3), value(3)), std::nullopt);
    EXPECT_EQ(map.put_if_absent(key(3), value(4)), value(3)) << "putIfAbsent keeps the value";
    EXPECT_EQ(map.replace(key(3), value(5)), value(3));
    EXPECT_EQ(map.replace(key(998), value(5)), std::nullopt);
    EXPECT_TRUE(map.replace(key(3), value(5), value(6)));
    EXPECT_FALSE(map.replace(key(3), value(5), value(7)));
    EXPECT_EQ(map.get(key(3)), value(6));

    EXPECT_EQ(map.remove(key(3)), value(6));
    EXPECT_EQ(map.remove(key(3)), std::nullopt);
    map.set(key(4), value(4));
    EXPECT_FALSE(map.remove(key(4), value(5))) << "removeIfSame with another value";
    EXPECT_TRUE(map.remove(key(4), value(4)));
    map.set(key(5), value(5));
    map.delete_entry(key(5));
    EXPECT_FALSE(map.contains_key(key(5)));

    Entries pairs;
    for (int i = 10; i < 60; ++i) pairs.emplace_back(key(i), value(i));
    map.put_all(pairs);
    EXPECT_EQ(map.size(), 52);
    EXPECT_EQ(test::texts(map.get_all({key(10), key(33), key(59), key(997)})),
              test::texts(Entries{{key(10), value(10)}, {key(33), value(33)}, {key(59), value(59)}}));
    Entries expected{{key(1), value(2)}, {key(2), value(2)}};
    expected.insert(expected.end(), pairs.begin(), pairs.end());
    EXPECT_EQ(test::texts(map.entry_set()), test::texts(expected));
    std::vector<Value> keys, values;
    for (const auto& [k, v] : expected) {
        keys.push_back(k);
        values.push_back(v);
    }
    EXPECT_EQ(test::texts(map.key_set()), test::texts(keys));
    EXPECT_EQ(test::texts(map.values()), test::texts(values));

    // TTL and max-idle variants: each entry is there, then expires.
    map.put(key(70), value(70), kExpiry);
    map.put(key(71), value(71), 0ms, kExpiry);
    map.set(key(72), value(72), kExpiry);
    map.set(key(73), value(73), 0ms, kExpiry);
    map.put_if_absent(key(74), value(74), kExpiry);
    map.put_if_absent(key(75), value(75), 0ms, kExpiry);
    map.set(key(78), value(78));
    EXPECT_TRUE(map.set_ttl(key(78), kExpiry));
    EXPECT_FALSE(map.set_ttl(key(996), kExpiry));
    for (int i : {70, 71, 72, 73, 74, 75, 78}) EXPECT_EQ(map.get(key(i)), value(i)) << "entry " << i << " before expiry";
    // Polled every kExpiry / 2 at most: each get is an access, which restarts a max-idle clock.
    auto last_poll = std::chrono::steady_clock::now();
    EXPECT_TRUE(test::eventually([&] {
        if (std::chrono::steady_clock::now() - last_poll < kExpiry / 2) return false;
        last_poll = std::chrono::steady_clock::now();
        for (int i : {70, 71, 72, 73, 74, 75, 78}) {
            if (map.get(key(i))) return false;
        }
        return true;
    }, 10s + 4 * kExpiry)) << "every TTL / max-idle entry expires";

    map.set(key(81), value(81));
    EXPECT_TRUE(map.evict(key(81)));
    EXPECT_FALSE(map.evict(key(81)));
    map.evict_all();
    EXPECT_EQ(map.size(), 0);
    map.put_all(Entries(pairs.begin(), pairs.begin() + 5));
    map.clear();
    EXPECT_TRUE(map.is_empty());
}

class ClientMap : public ::testing::TestWithParam<bool> {};

TEST_P(ClientMap, EveryMapCallOnThreeMembersWithStringInt64AndJsonValues) {
    const bool smart = GetParam();
    test::ProcessCluster cluster(3);
    ASSERT_TRUE(cluster.await_size({0, 1, 2}, 3)) << cluster.member(0).output();
    auto client = Client::connect(test::client_config(cluster, {0, 1, 2}, smart));
    ASSERT_TRUE(test::eventually([&] { return test::sees_cluster(*client, 3); }, 20s));
    if (smart) {
        EXPECT_TRUE(test::eventually([&] { return client->connection_count() == 3; }, 10s)) << "a connection to every member";
    } else {
        EXPECT_EQ(client->connection_count(), 1u) << "unisocket uses one connection";
    }
    for (const auto& kind : kKinds) exercise_map(client->get_map(std::string("client-") + kind.name), kind);

    // Stored as the client's bytes: a string written by the client reads back over REST.
    auto map = client->get_map("interop");
    map.put("city", "Paris");
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(test::http_request(cluster.host(i), 5701, "GET", "/hazelcast/rest/maps/interop/city").body, "Paris");
    }
    ASSERT_EQ(test::http_request(cluster.host(0), 5701, "POST", "/hazelcast/rest/maps/interop/river", "Seine", "text/plain").status, 200);
    EXPECT_EQ(map.get("river"), Value("Seine")) << "a REST write reads back through the client";
    ASSERT_EQ(test::http_request(cluster.host(1), 5701, "POST", "/hazelcast/rest/maps/interop/doc", R"({"a":1})", "application/json").status, 200);
    EXPECT_EQ(map.get("doc"), Value(JsonValue{R"({"a":1})"}));

    // Entry events, both ways: a smart client registers on every member (localOnly), a
    // unisocket one once, cluster-wide, and the member it talks to gathers the other members'
    // events. Either way each event comes from its key's owner, and every member owns some.
    auto events = client->get_map(smart ? "events" : "events-uni");
    std::mutex mutex;
    std::vector<std::string> seen;
    std::set<std::string> sources;
    int wrong_source = 0;
    auto record = [&](const char* type) {
        return [&, type](const client::EntryEvent& e) {
            std::lock_guard lock(mutex);
            seen.push_back(std::string(type) + " " + e.key->to_text() + " " + (e.value ? e.value->to_text() : "null") + " " +
                           (e.old_value ? e.old_value->to_text() : "null"));
            sources.insert(e.member);
            if (client->partition_owner(client::partition_of(e.key->to_data(), 271)) != e.member) ++wrong_source;
        };
    };
    const auto id = events.add_entry_listener({record("added"), record("updated"), record("removed"), {}}, true);
    std::vector<std::string> expected;
    for (int i = 0; i < 20; ++i) {
        events.put("key-" + std::to_string(i), std::int64_t{i});
        expected.push_back("added key-" + std::to_string(i) + " " + std::to_string(i) + " null");
    }
    events.put("key-3", std::int64_t{33});
    expected.push_back("updated key-3 33 3");
    events.remove("key-4");
    expected.push_back("removed key-4 null 4");
    events.put_if_absent("key-5", std::int64_t{55});  // present already: no event
    std::set<std::string> owners;
    for (int i = 0; i < 20; ++i) {
        owners.insert(client->partition_owner(client::partition_of(Value("key-" + std::to_string(i)).to_data(), 271)).value_or(""));
    }
    auto count = [&] {
        std::lock_guard lock(mutex);
        return seen.size();
    };
    EXPECT_TRUE(test::eventually([&] { return count() >= expected.size(); }, 10s)) << count() << " events";
    {
        std::lock_guard lock(mutex);
        auto sorted = seen;
        std::sort(sorted.begin(), sorted.end());
        std::sort(expected.begin(), expected.end());
        EXPECT_EQ(sorted, expected) << "ADDED, UPDATED and REMOVED events with values";
        EXPECT_EQ(owners.size(), 3u) << "the keys are spread over every member";
        EXPECT_EQ(sources, owners) << "events from every member that owns one of the keys";
        EXPECT_EQ(wrong_source, 0) << "each event names its key's owner";
    }
    EXPECT_TRUE(events.remove_entry_listener(id));
    EXPECT_FALSE(events.remove_entry_listener(id)) << "a second removal finds nothing";
    for (int i = 0; i < 20; ++i) events.put("key-" + std::to_string(i), std::int64_t{99});
    EXPECT_EQ(events.get("key-19"), Value(std::int64_t{99}));
    // A second listener as a barrier: once it heard of a write on every member, whatever those
    // members sent before it (to either listener) has arrived, each member's events being in order.
    std::set<std::string> barrier_owners;
    std::vector<std::string> barrier_keys;
    for (int i = 0; barrier_owners.size() < 3 && i < 1000; ++i) {
        const std::string k = "barrier-" + std::to_string(i);
        if (barrier_owners.insert(client->partition_owner(client::partition_of(Value(k).to_data(), 271)).value_or("")).second) {
            barrier_keys.push_back(k);
        }
    }
    std::atomic<std::size_t> barrier_seen{0};
    const auto barrier = events.add_entry_listener({[&](const client::EntryEvent&) { ++barrier_seen; }, {}, {}, {}});
    for (const auto& k : barrier_keys) events.put(k, std::int64_t{1});
    EXPECT_TRUE(test::eventually([&] { return barrier_seen == barrier_keys.size(); }, 10s)) << barrier_seen << " barrier events";
    EXPECT_TRUE(events.remove_entry_listener(barrier));
    EXPECT_EQ(count(), expected.size()) << "no event after removeEntryListener, from any member";
    EXPECT_EQ(map.get("city"), Value("Paris"));
}

INSTANTIATE_TEST_SUITE_P(Routing, ClientMap, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Smart" : "Unisocket"; });

TEST(ClientErrors, AnUnreachableMemberIsAConnectionErrorNamingTheAddress) {
    client::ClientConfig config;
    const std::string host = test::unique_loopback_address();
    config.addresses = {host + ":5701"};
    config.cluster_connect_timeout = 1500ms;
    try {
        Client::connect(config);
        FAIL() << "connected to nothing";
    } catch (const client::ConnectionError& e) {
        EXPECT_NE(std::string(e.what()).find(host + ":5701"), std::string::npos) << e.what();
    }
}

TEST(ClientErrors, AWrongClusterNameIsRefusedAndSaysSo) {
    test::ProcessCluster cluster(1);
    ASSERT_TRUE(cluster.await_size({0}, 1));
    auto config = test::client_config(cluster, {0}, true);
    config.cluster_name = "not-this-one";
    config.cluster_connect_timeout = 3s;
    try {
        Client::connect(config);
        FAIL() << "a client of another cluster name was let in";
    } catch (const client::ConnectionError& e) {
        EXPECT_NE(std::string(e.what()).find("not-this-one"), std::string::npos) << e.what();
    }
}

TEST(ClientErrors, CallsWithoutAClusterTimeOutAfterTheInvocationTimeout) {
    client::ClientConfig config;
    config.addresses = {test::unique_loopback_address() + ":5701"};
    config.invocation_timeout = 700ms;
    Client client(config);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_THROW(client.get_map("m").get("k"), client::TimeoutError);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, 600ms);
    EXPECT_LT(took, 5s);
}

}  // namespace
}  // namespace shoal
