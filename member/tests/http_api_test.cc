// The HTTP API end to end over real sockets: health, REST maps, cluster, management, metrics.
#include <bit>
#include <boost/json/parse.hpp>
#include <set>

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
    EXPECT_EQ(json(write.body).at("message").as_string(), "cluster state is PASSIVE: the map is read-only");
    EXPECT_EQ(send("DELETE", "/hazelcast/rest/maps/m/k").status, 503);
    EXPECT_EQ(send("DELETE", "/hazelcast/rest/maps/m").status, 503);
    EXPECT_EQ(get("/hazelcast/rest/maps/m/k").body, "v");  // reads still work
    EXPECT_EQ(json(get("/hazelcast/rest/maps/m").body).at("size").as_int64(), 1);
    EXPECT_NE(get("/metrics").body.find("shoal_cluster_state{state=\"PASSIVE\"} 1\n"), std::string::npos);
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

TEST_F(HttpApi, MaxIdleQueryParameterExpiresAnUntouchedEntry) {
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(send("PUT", "/hazelcast/rest/maps/idle/k?maxIdle=1", "v", "text/plain").status, 200);
    ASSERT_EQ(send("PUT", "/hazelcast/rest/maps/idle/forever?maxIdle=0", "v", "text/plain").status, 200);
    // The listing counts live entries without touching them.
    const auto size = [&] { return json(get("/hazelcast/rest/maps/idle").body).at("size").as_int64(); };
    EXPECT_EQ(size(), 2);
    EXPECT_TRUE(eventually([&] { return size() == 1; }, std::chrono::seconds(5)));
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
    EXPECT_EQ(get("/hazelcast/rest/maps/idle/k").status, 204);
    EXPECT_EQ(get("/hazelcast/rest/maps/idle/forever").status, 200);
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

TEST_F(HttpApi, HeadAnswersWithHeadersOnlyAndKeepsTheConnectionUsable) {
    ASSERT_EQ(send("POST", "/hazelcast/rest/maps/m/k", "hello", "text/plain").status, 200);
    RawConnection c("127.0.0.1", port());
    ASSERT_TRUE(c.send("HEAD /hazelcast/rest/maps/m/k HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /hazelcast/health/cluster-size HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    ASSERT_TRUE(c.wait_closed(std::chrono::seconds(5)));
    const std::string& wire = c.received();
    const auto first_end = wire.find("\r\n\r\n");
    ASSERT_NE(first_end, std::string::npos) << wire;
    const std::string head = wire.substr(0, first_end);
    EXPECT_NE(head.find("Content-Length: 5"), std::string::npos) << head;
    EXPECT_NE(head.find("Content-Type: text/plain; charset=utf-8"), std::string::npos) << head;
    // No body: the next bytes are the second response.
    EXPECT_EQ(wire.substr(first_end + 4, 8), "HTTP/1.1") << wire;
    EXPECT_EQ(wire.substr(wire.size() - 1), "1");
    const auto health = http_request("127.0.0.1", port(), "HEAD", "/hazelcast/health/ready");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.header("Content-Length"), "18");  // {"status":"READY"}
}

TEST_F(HttpApi, ExpectContinueGetsTheGoAheadBeforeTheBody) {
    RawConnection c("127.0.0.1", port());
    ASSERT_TRUE(c.send("PUT /hazelcast/rest/maps/m/big HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                       "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
    ASSERT_TRUE(c.wait_for("HTTP/1.1 100 Continue\r\n\r\n", std::chrono::seconds(5))) << c.received();
    ASSERT_TRUE(c.send("12345"));
    ASSERT_TRUE(c.wait_for("HTTP/1.1 200 OK", std::chrono::seconds(5))) << c.received();
    EXPECT_EQ(get("/hazelcast/rest/maps/m/big").body, "12345");
}

TEST_F(HttpApi, UnknownValueTypesComeBackRawWithTheirTypeId) {
    std::string portable;
    map::append_int32_be(portable, 0);
    map::append_int32_be(portable, -1);  // a Portable, which Shoal does not read
    portable += "\x01\x02";
    ASSERT_TRUE(test::await<bool>([&](auto done) {
                    member().maps().set("m", map::string_data("p"), portable, {}, done);
                }).ok());
    const auto reply = get("/hazelcast/rest/maps/m/p");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.header("Content-Type"), "application/octet-stream");
    EXPECT_EQ(reply.header("X-Shoal-Type-Id"), "-1");
    EXPECT_EQ(reply.body, portable);
    EXPECT_EQ(get("/hazelcast/rest/maps/m/missing").header("X-Shoal-Type-Id"), "");
}

TEST_F(HttpApi, ListingShowsNonStringKeysAsTypeAndHex) {
    ASSERT_TRUE(test::await<bool>([&](auto done) {
                    member().maps().set("mixed", map::long_data(258), map::string_data("v"), {}, done);
                }).ok());
    ASSERT_EQ(send("PUT", "/hazelcast/rest/maps/mixed/text", "v").status, 200);
    const auto body = json(get("/hazelcast/rest/maps/mixed").body);
    ASSERT_EQ(body.at("keys").as_array().size(), 2u);
    bool saw_long = false, saw_text = false;
    for (const auto& key : body.at("keys").as_array()) {
        if (key.is_string()) {
            saw_text = key.as_string() == "text";
        } else {
            EXPECT_EQ(key.at("typeId").as_int64(), map::type_id::kLong);
            EXPECT_EQ(key.at("hex").as_string(), "0000000000000102");
            saw_long = true;
        }
    }
    EXPECT_TRUE(saw_long && saw_text) << get("/hazelcast/rest/maps/mixed").body;
    EXPECT_TRUE(body.at("nextCursor").is_null());
}

TEST_F(HttpApi, DoublesAndBooleansFromClientsRenderAsText) {
    std::string bits;
    map::append_int32_be(bits, 0);
    map::append_int32_be(bits, map::type_id::kDouble);
    map::append_int64_be(bits, std::bit_cast<std::int64_t>(2.25));
    ASSERT_TRUE(test::await<bool>([&](auto done) { member().maps().set("m", map::string_data("d"), bits, {}, done); })
                    .ok());
    const auto reply = get("/hazelcast/rest/maps/m/d");
    EXPECT_EQ(reply.body, "2.25");
    EXPECT_EQ(reply.header("Content-Type"), "text/plain; charset=utf-8");
}

TEST_F(HttpApi, OpenConnectionsAreCountedAndReleased) {
    const auto connections = [&] {
        const std::string m = get("/metrics").body;
        const auto at = m.find("\nshoal_http_connections ");
        return at == std::string::npos ? -1 : std::stoi(m.substr(at + 24));
    };
    // Only the metrics request itself is open once earlier connections are gone.
    ASSERT_TRUE(eventually([&] { return connections() == 1; })) << connections();
    {
        RawConnection idle("127.0.0.1", port());
        ASSERT_TRUE(idle.send("GET /hazelcast/health/ready HTTP/1.1\r\nHost: x\r\n\r\n"));
        ASSERT_TRUE(idle.wait_for("READY", std::chrono::seconds(5)));
        EXPECT_TRUE(eventually([&] { return connections() == 2; })) << connections();
        EXPECT_TRUE(eventually([&] {
            const auto text = http_request_with_headers("127.0.0.1", port(), "GET", "/hazelcast/rest/cluster",
                                                        {{"Accept", "text/plain"}});
            return text.body.find("AllConnectionCount: 2\n") != std::string::npos;
        }));
    }
    EXPECT_TRUE(eventually([&] { return connections() == 1; })) << connections();
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
    EXPECT_NE(text.find("Content-Type: text/plain; charset=utf-8"), std::string::npos);
    EXPECT_NE(text.find("\tMember 127.0.0.1:" + std::to_string(port()) + " - " +
                        member().cluster().local_member().uuid.to_string() + " this\n"),
              std::string::npos)
        << text;
    EXPECT_EQ(body.at("clusterId").as_string(), member().cluster().view().cluster_id.to_string());
    EXPECT_EQ(body.at("version").as_string(), SHOAL_VERSION);
    EXPECT_EQ(me.at("host").as_string(), "127.0.0.1");
    EXPECT_EQ(me.at("port").as_int64(), port());
    EXPECT_TRUE(me.at("local").as_bool());
    EXPECT_GE(body.at("connections").as_int64(), 1);
}

TEST_F(HttpApi, ManagementStateWithWrongClusterNameIsForbidden) {
    EXPECT_EQ(send("POST", "/hazelcast/rest/management/cluster/changeState", "prod&&PASSIVE").status, 403);
    EXPECT_EQ(get("/hazelcast/health/cluster-state").body, "\"ACTIVE\"");
    const auto read = send("POST", "/hazelcast/rest/management/cluster/state", "dev&");
    EXPECT_EQ(read.status, 200);
    EXPECT_EQ(json(read.body).at("state").as_string(), "active");
    const auto forbidden = send("POST", "/hazelcast/rest/management/cluster/state", "prod&");
    EXPECT_EQ(forbidden.status, 403);
    EXPECT_EQ(json(forbidden.body).at("status").as_string(), "forbidden");
    const auto bad = send("POST", "/hazelcast/rest/management/cluster/changeState", "dev&&SLEEPY");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(json(bad.body).at("status").as_string(), "fail");
    EXPECT_NE(bad.body.find("SLEEPY"), std::string::npos);
    const auto passive = send("POST", "/hazelcast/rest/management/cluster/changeState", "dev&&passive");
    EXPECT_EQ(passive.status, 200);
    EXPECT_EQ(passive.body, R"({"status":"success","state":"passive"})");
    EXPECT_EQ(json(get("/hazelcast/rest/management/cluster/state").body).at("state").as_string(), "passive");
    EXPECT_EQ(send("PUT", "/hazelcast/rest/management/cluster/state", R"({"state":"ACTIVE"})").body,
              R"({"status":"success","state":"active"})");
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
    EXPECT_NE(m.find("shoal_map_bytes{map=\"metered\"} "), std::string::npos);
    EXPECT_NE(m.find("# TYPE shoal_map_operation_latency_seconds histogram\n"), std::string::npos);
    const auto metrics = http_request_with_headers("127.0.0.1", port(), "GET", "/metrics", {});
    EXPECT_EQ(metrics.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    // A map with nothing in it any more shows 0 once cleared.
    ASSERT_EQ(send("DELETE", "/hazelcast/rest/maps/metered").status, 200);
    const std::string after = get("/metrics").body;
    EXPECT_EQ(after.find("shoal_map_entries{map=\"metered\"} 7\n"), std::string::npos) << after;
    EXPECT_NE(after.find("shoal_map_operations_total{op=\"clear\"} "), std::string::npos);
}

TEST_F(HttpApi, UnknownPathsAndMethods) {
    const auto nope = get("/nope");
    EXPECT_EQ(nope.status, 404);
    EXPECT_NE(json(nope.body).at("message").as_string().find("/nope"), std::string::npos);
    EXPECT_EQ(nope.header("Server"), "shoal/" SHOAL_VERSION);
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
    const auto health = get("/hazelcast/health/ready");
    EXPECT_EQ(health.status, 403);
    EXPECT_NE(health.body.find("network.rest-api.endpoint-groups.HEALTH_CHECK.enabled"), std::string::npos);
    EXPECT_EQ(get("/hazelcast/health").status, 403);
    EXPECT_EQ(get("/hazelcast/rest/cluster").status, 200);
}

}  // namespace
}  // namespace shoal::test
