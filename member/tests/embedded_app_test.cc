// The embedded example app (member/examples/embedded_app) as a black box: three app processes,
// each starting a member in-process, join one cluster; /put through one app is read back
// through another app's /get, through a third member's REST API, and after one app is
// SIGTERMed (graceful handover, exit 0) every entry is still there.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <csignal>
#include <string>

#include "process_cluster.h"
#include "test_support.h"

namespace shoal {
namespace {

using namespace std::chrono_literals;

constexpr int kAppPort = 5000;
constexpr int kEntries = 500;

test::ClusterOptions embedded_apps() {
    test::ClusterOptions options;
    options.binary = SHOAL_EMBEDDED_APP_BINARY;
    options.env = {{"PORT", std::to_string(kAppPort)}};
    return options;
}

boost::json::value json_of(const test::HttpReply& reply) {
    boost::system::error_code ec;
    auto value = boost::json::parse(reply.body, ec);
    return ec ? boost::json::value() : value;
}

// A field of a JSON object reply: its text for a string, "null", "true"/"false" or the number.
std::string field(const boost::json::value& body, const char* name) {
    if (!body.is_object() || !body.as_object().contains(name)) return "<missing>";
    const auto& value = body.as_object().at(name);
    if (value.is_string()) return std::string(value.as_string());
    return boost::json::serialize(value);
}

// /put of k<n> = v<n> into map m through app `through`; true when acknowledged.
bool app_put(const test::ProcessCluster& apps, int through, int n) {
    const auto reply = test::http_request(apps.host(through), kAppPort, "POST",
                                          "/put?map=m&key=k" + std::to_string(n) + "&value=v" + std::to_string(n));
    return reply.status == 200 && field(json_of(reply), "value") == "v" + std::to_string(n);
}

// /get of k<n> through app `through` answers v<n>.
bool app_get_matches(const test::ProcessCluster& apps, int through, int n) {
    const auto reply = test::http_request(apps.host(through), kAppPort, "GET", "/get?map=m&key=k" + std::to_string(n));
    if (reply.status != 200) return false;
    const auto body = json_of(reply);
    return field(body, "found") == "true" && field(body, "value") == "v" + std::to_string(n);
}

bool app_ready(const test::ProcessCluster& apps, int i) {
    return test::eventually([&] { return test::http_request(apps.host(i), kAppPort, "GET", "/health").status == 200; }, 20s);
}

TEST(EmbeddedApp, AnswersHealthAndRefusesBadRequests) {
    test::ProcessCluster apps(1, embedded_apps());
    ASSERT_TRUE(app_ready(apps, 0)) << apps.member(0).output();
    const auto health = json_of(test::http_request(apps.host(0), kAppPort, "GET", "/health"));
    EXPECT_EQ(field(health, "status"), "UP");
    EXPECT_EQ(field(health, "clusterSize"), "1");
    // The member's own port serves its probes, as shoal-member's does (the chart's probes).
    EXPECT_EQ(test::http_request(apps.host(0), 5701, "GET", "/hazelcast/health/ready").status, 200);
    EXPECT_EQ(test::http_request(apps.host(0), kAppPort, "GET", "/put?key=k").status, 400);
    EXPECT_EQ(test::http_request(apps.host(0), kAppPort, "GET", "/get").status, 400);
    EXPECT_EQ(test::http_request(apps.host(0), kAppPort, "GET", "/nothing").status, 404);
    EXPECT_EQ(test::http_request(apps.host(0), kAppPort, "DELETE", "/get?key=k").status, 405);
    const auto absent = json_of(test::http_request(apps.host(0), kAppPort, "GET", "/get?key=absent"));
    EXPECT_EQ(field(absent, "found"), "false");
    EXPECT_EQ(field(absent, "value"), "null");
    // The default map is "map", as in the seed; a value reads back as a String through REST.
    const auto put = json_of(test::http_request(apps.host(0), kAppPort, "GET", "/put?key=some%20key&value=caf%C3%A9"));
    EXPECT_EQ(field(put, "map"), "map");
    EXPECT_EQ(field(put, "previous"), "null");
    const auto rest = test::http_request(apps.host(0), 5701, "GET", "/hazelcast/rest/maps/map/some%20key");
    EXPECT_EQ(rest.status, 200);
    EXPECT_EQ(rest.body, "caf\xC3\xA9");
    EXPECT_EQ(rest.header("content-type"), "text/plain; charset=utf-8");
    apps.member(0).signal(SIGTERM);
    EXPECT_EQ(apps.member(0).wait(30s).exit_code, 0) << apps.member(0).output();
}

TEST(EmbeddedApp, ThreeAppsShareOneClusterAndASigtermedAppLosesNoEntry) {
    test::ProcessCluster apps(3, embedded_apps());
    ASSERT_TRUE(apps.await_size({0, 1, 2}, 3)) << apps.member(0).output();
    // The member port opens before the app's: wait until every app answers.
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(app_ready(apps, i)) << apps.member(i).output();
    std::vector<int> acked;
    for (int n = 0; n < kEntries; ++n) {
        if (app_put(apps, 0, n)) acked.push_back(n);
    }
    ASSERT_EQ(acked.size(), static_cast<std::size_t>(kEntries)) << apps.member(0).output();
    // Through another app's /get: each key is read from its owner, wherever it is.
    int read_back = 0;
    for (int n : acked) read_back += app_get_matches(apps, 1, n) ? 1 : 0;
    EXPECT_EQ(read_back, kEntries);
    // Through the third member's REST API: the values are Java Strings, as text/plain writes them.
    EXPECT_TRUE(apps.lost(acked, {2}).empty());

    // SIGTERM: the app's member hands its partitions over, then the app exits 0.
    ASSERT_TRUE(test::eventually([&] { return apps.safe(0) && apps.safe(1) && apps.safe(2); }, 30s));
    apps.member(0).signal(SIGTERM);
    const auto result = apps.member(0).wait(60s);
    EXPECT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("every replica moved"), std::string::npos) << result.output;
    ASSERT_TRUE(apps.await_size({1, 2}, 2));
    const auto missing = apps.lost(acked, {1, 2});
    EXPECT_TRUE(missing.empty()) << missing.size() << " of " << acked.size() << " entries lost";
    read_back = 0;
    for (int n : acked) read_back += app_get_matches(apps, 2, n) ? 1 : 0;
    EXPECT_EQ(read_back, kEntries);
    const auto listing = json_of(test::http_request(apps.host(1), 5701, "GET", "/hazelcast/rest/maps/m?limit=10000"));
    EXPECT_EQ(field(listing, "size"), std::to_string(kEntries));
}

}  // namespace
}  // namespace shoal
