// The HTTP API end to end over real sockets: health, REST maps, cluster, management, metrics.
#include <boost/json/parse.hpp>

#include "cluster/cluster_service.h"
#include "map/data.h"
#include "member_fixture.h"

namespace shoal::test {
namespace {

boost::json::value json(const std::string& text) { return boost::json::parse(text); }

class HttpApi : public MemberFixture {};

TEST_F(HttpApi, HealthEndpointsAnswerAsHazelcastDoes) {
    EXPECT_EQ(get("/hazelcast/health/node-state").body, "\"ACTIVE\"");
    EXPECT_EQ(get("/hazelcast/health/node-state").status, 200);
    EXPECT_EQ(get("/hazelcast/health/ready").status, 200);
    EXPECT_EQ(get("/hazelcast/health/cluster-state").body, "\"ACTIVE\"");
    EXPECT_EQ(get("/hazelcast/health/cluster-safe").status, 200);
    EXPECT_EQ(get("/hazelcast/health/migration-queue-size").body, "0");
    EXPECT_EQ(get("/hazelcast/health/cluster-size").body, "1");
    const auto all = json(get("/hazelcast/health").body);
    EXPECT_EQ(all.at("nodeState").as_string(), "ACTIVE");
    EXPECT_EQ(all.at("clusterState").as_string(), "ACTIVE");
    EXPECT_EQ(all.at("clusterSafe").as_bool(), true);
    EXPECT_EQ(all.at("migrationQueueSize").as_int64(), 0);
    EXPECT_EQ(all.at("clusterSize").as_int64(), 1);
    EXPECT_EQ(get("/hazelcast/health/").status, 200);
}

TEST_F(HttpApi, UnknownHealthSuffixIs400NamingIt) {
    const auto reply = get("/hazelcast/health/liveness");
    EXPECT_EQ(reply.status, 400);
    EXPECT_NE(reply.body.find("unknown health check 'liveness'"), std::string::npos) << reply.body;
}

TEST_F(HttpApi, PassiveStateKeepsProbesGreenAndMapsReadOnly) {
    ASSERT_EQ(send("POST", "/hazelcast/rest/maps/m/k", "v", "text/plain").status, 200);
    const auto changed = send("POST", "/hazelcast/rest/management/cluster/changeState", "dev&&PASSIVE");
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(json(changed.body).at("state").as_string(), "passive");
    EXPECT_EQ(get("/hazelcast/health/node-state").body, "\"PASSIVE\"");
    EXPECT_EQ(get("/hazelcast/health/node-state").status, 200);
    EXPECT_EQ(get("/hazelcast/health/ready").status, 200);
    EXPECT_EQ(get("/hazelcast/health/cluster-state").body, "\"PASSIVE\"");
    const auto write = send("POST", "/hazelcast/rest/maps/m/k2", "v", "text/plain");
    EXPECT_EQ(write.status, 503);
    EXPECT_NE(write.body.find("PASSIVE"), std::string::npos);
    EXPECT_EQ(get("/hazelcast/rest/maps/m/k").body, "v");
    ASSERT_EQ(send("PUT", "/hazelcast/rest/management/cluster/state", R"({"state":"active"})").status, 200);
    EXPECT_EQ(send("POST", "/hazelcast/rest/maps/m/k2", "v", "text/plain").status, 200);
}

TEST_F(HttpApi, ReadinessFailsOnceShuttingDown) {
    member().cluster().begin_shutdown();
    EXPECT_EQ(get("/hazelcast/health/ready").status, 503);
    EXPECT_EQ(get("/hazelcast/health/node-state").body, "\"SHUTTING_DOWN\"");
    EXPECT_EQ(get("/hazelcast/health/node-state").status, 200);
}

TEST_F(HttpApi, PutGetDeleteRoundTrip) {
    EXPECT_EQ(get("/hazelcast/rest/maps/cities/1").status, 204);
    EXPECT_EQ(send("POST", "/hazelcast/rest/maps/cities/1", "Paris", "text/plain").status, 200);
    auto reply = get("/hazelcast/rest/maps/cities/1");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, "Paris");
    EXPECT_EQ(send("PUT", "/hazelcast/rest/maps/cities/1", "Lyon", "text/plain").status, 200);
    EXPECT_EQ(get("/hazelcast/rest/maps/cities/1").body, "Lyon");
    EXPECT_EQ(send("DELETE", "/hazelcast/rest/maps/cities/1").status, 200);
    EXPECT_EQ(get("/hazelcast/rest/maps/cities/1").status, 204);
}

TEST_F(HttpApi, KeysArePercentDecodedStringsAsClientsWriteThem) {
    ASSERT_EQ(send("POST", "/hazelcast/rest/maps/m/caf%C3%A9%20au%2Flait", "x", "text/plain").status, 200);
    // The same entry as a Hazelcast client with the String key "café au/lait" sees it.
    auto value = test::await<std::optional<std::string>>(
        [&](auto done) { member().maps().get("m", map::string_data("café au/lait"), done); });
    ASSERT_TRUE(value.value.has_value());
    EXPECT_EQ(*value.value, map::string_data("x"));
    EXPECT_EQ(get("/hazelcast/rest/maps/m/caf%zz").status, 400);
}

TEST_F(HttpApi, ContentTypesRoundTrip) {
    struct Case { std::string type, body, expected_type; };
    const std::vector<Case> cases = {
        {"text/plain; charset=utf-8", "hello", "text/plain; charset=utf-8"},
        {"application/json", R"({"a":1})", "application/json"},
        {"application/octet-stream", std::string("\x00\x01\x02\xff", 4), "application/octet-stream"},
        {"", "raw", "application/octet-stream"},
        {"image/png", std::string("\x89PNG\r\n", 6), "image/png"},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const std::string path = "/hazelcast/rest/maps/types/k" + std::to_string(i);
        ASSERT_EQ(send("POST", path, cases[i].body, cases[i].type).status, 200);
        const std::string raw = raw_exchange("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        EXPECT_NE(raw.find("Content-Type: " + cases[i].expected_type), std::string::npos) << raw;
        EXPECT_EQ(get(path).body, cases[i].body) << cases[i].type;
    }
}

TEST_F(HttpApi, ValuesWrittenByClientsRenderAsText) {
    ASSERT_TRUE(test::await<bool>([&](auto done) {
                    member().maps().set("m", map::string_data("n"), map::long_data(-42), {}, done);
                }).ok());
    EXPECT_EQ(get("/hazelcast/rest/maps/m/n").body, "-42");
}

TEST_F(HttpApi, TtlQueryParameterExpiresTheEntry) {
    ASSERT_EQ(send("POST", "/hazelcast/rest/maps/m/short?ttl=1", "v", "text/plain").status, 200);
    ASSERT_EQ(send("POST", "/hazelcast/rest/maps/m/long", "v", "text/plain").status, 200);
    EXPECT_EQ(get("/hazelcast/rest/maps/m/short").status, 200);
    EXPECT_TRUE(eventually([&] { return get("/hazelcast/rest/maps/m/short").status == 204; }, std::chrono::seconds(5)));
    EXPECT_EQ(get("/hazelcast/rest/maps/m/long").status, 200);
    const auto bad = send("POST", "/hazelcast/rest/maps/m/x?ttl=soon", "v", "text/plain");
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("'ttl'"), std::string::npos);
    EXPECT_EQ(send("POST", "/hazelcast/rest/maps/m/x?maxIdle=-3", "v", "text/plain").status, 400);
    // Found by the fuzzer: seconds that overflow when turned into milliseconds.
    EXPECT_EQ(send("POST", "/hazelcast/rest/maps/m/x?ttl=8186081964947086449", "v", "text/plain").status, 400);
    EXPECT_EQ(send("POST", "/hazelcast/rest/maps/m/x?ttl=2147483648", "v", "text/plain").status, 400);
    EXPECT_EQ(send("POST", "/hazelcast/rest/maps/m/x?ttl=2147483647", "v", "text/plain").status, 200);
}

TEST_F(HttpApi, MapListingPagesThroughEveryKeyAndClearEmptiesIt) {
    for (int i = 0; i < 300; ++i) {
        ASSERT_EQ(send("POST", "/hazelcast/rest/maps/big/key-" + std::to_string(i), "v", "text/plain").status, 200);
    }
    std::set<std::string> keys;
    std::string cursor = "0";
    int pages = 0;
    while (true) {
        const auto reply = get("/hazelcast/rest/maps/big?limit=50&cursor=" + cursor);
        ASSERT_EQ(reply.status, 200) << reply.body;
        const auto body = json(reply.body);
        EXPECT_EQ(body.at("size").as_int64(), 300);
        for (const auto& key : body.at("keys").as_array()) keys.insert(std::string(key.as_string()));
        ++pages;
        if (body.at("nextCursor").is_null()) break;
        cursor = std::to_string(body.at("nextCursor").as_int64());
        ASSERT_LT(pages, 100);
    }
    EXPECT_GT(pages, 3);
    EXPECT_EQ(keys.size(), 300u);
    EXPECT_TRUE(keys.count("key-299"));
    EXPECT_EQ(send("DELETE", "/hazelcast/rest/maps/big").status, 200);
    EXPECT_EQ(json(get("/hazelcast/rest/maps/big").body).at("size").as_int64(), 0);
    EXPECT_EQ(get("/hazelcast/rest/maps/big?limit=0").status, 400);
    EXPECT_EQ(get("/hazelcast/rest/maps/big?cursor=999").status, 400);
}

TEST_F(HttpApi, ClusterInfoJsonAndHazelcastText) {
    const auto body = json(get("/hazelcast/rest/cluster").body);
    EXPECT_EQ(body.at("clusterName").as_string(), "dev");
    EXPECT_EQ(body.at("memberListVersion").as_int64(), 1);
    EXPECT_EQ(body.at("state").as_string(), "ACTIVE");
    ASSERT_EQ(body.at("members").as_array().size(), 1u);
    const auto& me = body.at("members").as_array()[0];
    EXPECT_EQ(me.at("address").as_string(), "127.0.0.1:" + std::to_string(port()));
    EXPECT_EQ(me.at("uuid").as_string(), member().cluster().local_member().uuid.to_string());
    const std::string text = raw_exchange("GET /hazelcast/rest/cluster HTTP/1.1\r\nHost: x\r\nAccept: text/plain\r\n"
                                          "Connection: close\r\n\r\n");
    EXPECT_NE(text.find("Members {size:1, ver:1} ["), std::string::npos) << text;
    EXPECT_NE(text.find("ConnectionCount: "), std::string::npos);
}

TEST_F(HttpApi, ManagementStateWithWrongClusterNameIsForbidden) {
    EXPECT_EQ(send("POST", "/hazelcast/rest/management/cluster/changeState", "prod&&PASSIVE").status, 403);
    EXPECT_EQ(get("/hazelcast/health/cluster-state").body, "\"ACTIVE\"");
    const auto read = send("POST", "/hazelcast/rest/management/cluster/state", "dev&");
    EXPECT_EQ(read.status, 200);
    EXPECT_EQ(json(read.body).at("state").as_string(), "active");
    const auto bad = send("POST", "/hazelcast/rest/management/cluster/changeState", "dev&&SLEEPY");
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("SLEEPY"), std::string::npos);
    EXPECT_EQ(send("PUT", "/hazelcast/rest/management/cluster/state", "not json").status, 400);
    EXPECT_EQ(json(get("/hazelcast/rest/management/cluster/version").body).at("version").as_string(), SHOAL_VERSION);
}

TEST_F(HttpApi, MetricsCountEntriesAndOperations) {
    for (int i = 0; i < 7; ++i) send("POST", "/hazelcast/rest/maps/metered/k" + std::to_string(i), "v", "text/plain");
    get("/hazelcast/rest/maps/metered/k1");
    const auto reply = get("/metrics");
    EXPECT_EQ(reply.status, 200);
    const std::string& m = reply.body;
    EXPECT_NE(m.find("shoal_map_entries{map=\"metered\"} 7\n"), std::string::npos) << m;
    EXPECT_NE(m.find("shoal_map_operations_total{op=\"set\"} 7\n"), std::string::npos) << m;
    EXPECT_NE(m.find("shoal_map_operations_total{op=\"get\"} 1\n"), std::string::npos) << m;
    EXPECT_NE(m.find("shoal_map_operation_latency_seconds_count{op=\"set\"} 7\n"), std::string::npos);
    EXPECT_NE(m.find("shoal_http_requests_total{code=\"200\"}"), std::string::npos);
    EXPECT_NE(m.find("shoal_partitions_owned 271\n"), std::string::npos);
    EXPECT_NE(m.find("shoal_cluster_size 1\n"), std::string::npos);
    EXPECT_NE(m.find("shoal_node_ready 1\n"), std::string::npos);
}

TEST_F(HttpApi, UnknownPathsAndMethods) {
    EXPECT_EQ(get("/nope").status, 404);
    EXPECT_EQ(get("/hazelcast/rest/nope").status, 404);
    EXPECT_EQ(send("PATCH", "/hazelcast/rest/maps/m/k").status, 405);
    const std::string raw = raw_exchange("DELETE /hazelcast/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_NE(raw.find("405"), std::string::npos);
    EXPECT_NE(raw.find("Allow: GET, HEAD"), std::string::npos) << raw;
}

class HttpDisabledGroups : public MemberFixture {
protected:
    void configure(config::MemberConfig& c) override {
        c.network.rest_api.data = false;
        c.network.rest_api.health_check = false;
    }
};

TEST_F(HttpDisabledGroups, DisabledGroupIs403NamingTheSwitch) {
    const auto data = get("/hazelcast/rest/maps/m/k");
    EXPECT_EQ(data.status, 403);
    EXPECT_NE(data.body.find("network.rest-api.endpoint-groups.DATA.enabled"), std::string::npos);
    EXPECT_EQ(get("/hazelcast/health/ready").status, 403);
    EXPECT_EQ(get("/hazelcast/rest/cluster").status, 200);
}

}  // namespace
}  // namespace shoal::test
