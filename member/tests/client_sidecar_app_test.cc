// The sidecar example app (member/examples/sidecar_app) as a process beside a member process:
// it starts before its member (as the containers of a pod do), says so on /health, connects
// once the member is up, and serves /put and /get through the client library.
#include <gtest/gtest.h>

#include <csignal>

#include "test_support.h"

namespace shoal::test {
namespace {

using namespace std::chrono_literals;

TEST(ClientSidecarApp, StartsBeforeItsMemberThenPutsAndGetsThroughIt) {
    const std::string member_host = unique_loopback_address();
    const std::string app_host = unique_loopback_address();
    ChildProcess app({SHOAL_SIDECAR_APP_BINARY},
                     {{"PORT", "5000"}, {"BIND_ADDRESS", app_host}, {"SHOAL_ADDRESS", member_host + ":5701"},
                      {"SHOAL_CLUSTER_NAME", "dev"}});
    ASSERT_TRUE(eventually([&] { return http_request(app_host, 5000, "GET", "/health").status != 0; }, 10s)) << app.output();
    const auto down = http_request(app_host, 5000, "GET", "/health");
    EXPECT_EQ(down.status, 503);
    EXPECT_NE(down.body.find("\"DOWN\""), std::string::npos) << down.body;
    EXPECT_NE(down.body.find(member_host + ":5701"), std::string::npos) << down.body;
    EXPECT_EQ(http_request(app_host, 5000, "GET", "/put?key=a&value=1").status, 503) << "no member yet";

    ChildProcess member({SHOAL_MEMBER_BINARY, "-Dhazelcast.local.localAddress=" + member_host});
    ASSERT_TRUE(eventually([&] { return http_request(app_host, 5000, "GET", "/health").status == 200; }, 30s))
        << app.output() << member.output();
    EXPECT_NE(http_request(app_host, 5000, "GET", "/health").body.find("\"UP\""), std::string::npos);

    // As the seed's app: /put answers the previous value ("" when none), /get the value.
    auto put = http_request(app_host, 5000, "GET", "/put?key=someKey&value=someValue");
    EXPECT_EQ(put.status, 200);
    EXPECT_EQ(put.body, "");
    put = http_request(app_host, 5000, "POST", "/put?key=someKey&value=other%20value");
    EXPECT_EQ(put.status, 200);
    EXPECT_EQ(put.body, "someValue");
    auto get = http_request(app_host, 5000, "GET", "/get?key=someKey");
    EXPECT_EQ(get.status, 200);
    EXPECT_EQ(get.body, "other value");
    EXPECT_EQ(http_request(app_host, 5000, "GET", "/get?key=missing").status, 404);

    // Other maps, JSON answers, and the member's own REST API seeing the same entry.
    EXPECT_EQ(http_request(app_host, 5000, "GET", "/put?map=cities&key=1&value=Paris").status, 200);
    const auto json = http_request_with_headers(app_host, 5000, "GET", "/get?map=cities&key=1", {{"Accept", "application/json"}});
    EXPECT_EQ(json.body, "{\"map\":\"cities\",\"key\":\"1\",\"value\":\"Paris\"}\n");
    EXPECT_EQ(http_request(member_host, 5701, "GET", "/hazelcast/rest/maps/cities/1").body, "Paris");
    EXPECT_EQ(http_request(app_host, 5000, "GET", "/get").status, 400) << "a key is required";
    EXPECT_EQ(http_request(app_host, 5000, "GET", "/nowhere").status, 404);

    app.signal(SIGTERM);
    EXPECT_EQ(app.wait(10s).exit_code, 0) << app.output();
}

}  // namespace
}  // namespace shoal::test
