// The HTTP request path without sockets: Router over real partition threads, the REST body
// codec, the REST value Data layout, and the URI helpers.
#include <gtest/gtest.h>

#include <bit>
#include <boost/json/parse.hpp>
#include <future>
#include <optional>

#include "cluster/cluster_service.h"
#include "http/responses.h"
#include "http/rest_body.h"
#include "http/router.h"
#include "http/uri.h"
#include "map/data.h"
#include "map/rest_value.h"
#include "partition/map_operations.h"
#include "partition/partition_threads.h"
#include "test_support.h"

namespace shoal::test {
namespace {

namespace beast_http = boost::beast::http;
using http::Request;
using http::Response;

// A member's request path without a network: the cluster is not started until a test says so.
class HttpRouter : public ::testing::Test {
protected:
    HttpRouter() {
        service_.run_standalone();
        threads_.start();
    }
    ~HttpRouter() override { threads_.stop(); }

    void join() { cluster_.start("127.0.0.1", 5701); }

    Response call(beast_http::verb method, const std::string& target, const std::string& body = {},
                  const std::vector<std::pair<std::string, std::string>>& headers = {}) {
        Request request{method, target, 11};
        for (const auto& [name, value] : headers) request.set(name, value);
        request.body() = body;
        request.prepare_payload();
        auto promise = std::make_shared<std::promise<Response>>();
        auto future = promise->get_future();
        router_.handle(request, [promise](Response r) { promise->set_value(std::move(r)); });
        if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
            throw std::runtime_error("the router did not answer " + target);
        }
        return future.get();
    }
    Response get(const std::string& target) { return call(beast_http::verb::get, target); }

    static std::string message_of(const Response& r) {
        return std::string(boost::json::parse(r.body()).at("message").as_string());
    }

    config::MemberConfig config_;
    partition::PartitionThreads threads_{271, 2, nullptr};
    partition::PartitionService service_{threads_, [](std::string_view) { return 0; }};
    partition::MapOperations maps_{threads_, service_};
    cluster::ClusterService cluster_{config_, maps_};
    http::HttpCounters counters_;
    // What the member reports about its persistence; the test sets it.
    std::optional<http::PersistenceStatus> persistence_;
    http::Router router_{{config_, maps_, cluster_, counters_, [this] {
                              return persistence_.value_or(http::PersistenceStatus{});
                          }}};
};

TEST_F(HttpRouter, PersistenceStatusIsReportedAsJsonAndSaysWhenItIsOff) {
    EXPECT_EQ(get("/hazelcast/rest/persistence").body(), R"({"enabled":false})");
    persistence_ = http::PersistenceStatus{true, "LOADING", "/data/persistence", 10, 12, 4096, 7, 0};
    const Response loading = get("/hazelcast/rest/persistence");
    EXPECT_EQ(loading.result_int(), 200u);
    const auto body = boost::json::parse(loading.body());
    EXPECT_EQ(body.at("phase").as_string(), "LOADING");
    EXPECT_EQ(body.at("dir").as_string(), "/data/persistence");
    EXPECT_EQ(body.at("entries").to_number<std::uint64_t>(), 10u);
    EXPECT_EQ(body.at("records").to_number<std::uint64_t>(), 12u);
    EXPECT_EQ(body.at("bytes").to_number<std::uint64_t>(), 4096u);
    EXPECT_EQ(body.at("cutBytes").to_number<std::uint64_t>(), 7u);
    EXPECT_EQ(call(beast_http::verb::post, "/hazelcast/rest/persistence").result_int(), 405u);
}

TEST_F(HttpRouter, ReadyAndClusterSafeAre503UntilTheMemberHasJoined) {
    const Response not_ready = get("/hazelcast/health/ready");
    EXPECT_EQ(not_ready.result_int(), 503u);
    EXPECT_EQ(not_ready.body(), R"({"status":"NOT_READY","nodeState":"ACTIVE"})");
    EXPECT_EQ(get("/hazelcast/health/cluster-safe").result_int(), 503u);
    EXPECT_EQ(get("/hazelcast/health/node-state").result_int(), 200u);  // alive, just not ready
    join();
    const Response ready = get("/hazelcast/health/ready");
    EXPECT_EQ(ready.result_int(), 200u);
    EXPECT_EQ(ready.body(), R"({"status":"READY"})");
    EXPECT_EQ(get("/hazelcast/health/cluster-safe").result_int(), 200u);
}

TEST_F(HttpRouter, NodeStateIs503OnlyOnceShutDown) {
    join();
    cluster_.begin_shutdown();
    Response r = get("/hazelcast/health/node-state");
    EXPECT_EQ(r.result_int(), 200u);
    EXPECT_EQ(r.body(), "\"SHUTTING_DOWN\"");
    EXPECT_EQ(get("/hazelcast/health/ready").result_int(), 503u);
    cluster_.finish_shutdown();
    r = get("/hazelcast/health/node-state");
    EXPECT_EQ(r.result_int(), 503u);
    EXPECT_EQ(r.body(), "\"SHUT_DOWN\"");
    EXPECT_EQ(r[beast_http::field::content_type], "application/json");
    EXPECT_EQ(get("/hazelcast/health/cluster-safe").result_int(), 503u);
    EXPECT_EQ(boost::json::parse(get("/hazelcast/health").body()).at("nodeState").as_string(), "SHUT_DOWN");
}

TEST_F(HttpRouter, EveryReplyCarriesServerContentTypeAndLength) {
    join();
    using verb = beast_http::verb;
    const std::vector<std::pair<verb, std::string>> requests = {
        {verb::get, "/hazelcast/health"},           {verb::get, "/hazelcast/health/nope"},
        {verb::get, "/nope"},                       {verb::post, "/hazelcast/health/ready"},
        {verb::put, "/hazelcast/rest/maps/m/k"},    {verb::get, "/hazelcast/rest/maps/m/k"},
        {verb::get, "/hazelcast/rest/maps/m"},      {verb::get, "/hazelcast/rest/cluster"},
        {verb::get, "/metrics"},                    {verb::get, "/hazelcast/rest/maps/m?limit=x"},
        {verb::post, "/hazelcast/rest/management/cluster/changeState"},
    };
    for (const auto& [method, target] : requests) {
        const Response r = call(method, target, "v");
        SCOPED_TRACE(target);
        EXPECT_EQ(r[beast_http::field::server], "shoal/" SHOAL_VERSION);
        EXPECT_FALSE(r[beast_http::field::content_type].empty());
        ASSERT_TRUE(r.has_content_length());
        EXPECT_EQ(r[beast_http::field::content_length], std::to_string(r.body().size()));
        if (r.result_int() >= 400) {
            EXPECT_FALSE(message_of(r).empty()) << r.body();
        }
    }
}

TEST_F(HttpRouter, WrongMethodIs405WithAllow) {
    const Response r = call(beast_http::verb::patch, "/hazelcast/rest/maps/m/k");
    EXPECT_EQ(r.result_int(), 405u);
    EXPECT_EQ(r[beast_http::field::allow], "GET, HEAD, POST, PUT, DELETE");
    EXPECT_NE(message_of(r).find("PATCH"), std::string::npos);
    EXPECT_EQ(call(beast_http::verb::post, "/hazelcast/rest/maps/m")[beast_http::field::allow], "GET, HEAD, DELETE");
    EXPECT_EQ(call(beast_http::verb::delete_, "/metrics").result_int(), 405u);
    EXPECT_EQ(call(beast_http::verb::post, "/hazelcast/rest/cluster").result_int(), 405u);
}

TEST_F(HttpRouter, MapNameIsTheFirstSegmentAndTheKeyEverythingAfter) {
    ASSERT_EQ(call(beast_http::verb::post, "/hazelcast/rest/maps/m/a/b", "v", {{"Content-Type", "text/plain"}})
                  .result_int(),
              200u);
    auto stored = await<std::optional<std::string>>([&](auto done) { maps_.get("m", map::string_data("a/b"), done); });
    ASSERT_TRUE(stored.value.has_value());
    EXPECT_EQ(get("/hazelcast/rest/maps/m/a%2Fb").body(), "v");  // the same key, encoded
    // A trailing slash after the map name is the map itself.
    const auto listing = boost::json::parse(get("/hazelcast/rest/maps/m/").body());
    EXPECT_EQ(listing.at("name").as_string(), "m");
    EXPECT_EQ(listing.at("size").as_int64(), 1);
    // Map names are decoded too.
    ASSERT_EQ(call(beast_http::verb::put, "/hazelcast/rest/maps/my%20map/k", "v").result_int(), 200u);
    auto spaced = await<std::size_t>([&](auto done) { maps_.size("my map", done); });
    EXPECT_EQ(spaced.value, 1u);
}

TEST_F(HttpRouter, BadMapNamesAndKeysAre400NamingThePart) {
    Response r = get("/hazelcast/rest/maps//k");
    EXPECT_EQ(r.result_int(), 400u);
    EXPECT_NE(message_of(r).find("map name is empty"), std::string::npos);
    r = get("/hazelcast/rest/maps/m%G1/k");
    EXPECT_EQ(r.result_int(), 400u);
    EXPECT_NE(message_of(r).find("map name"), std::string::npos);
    r = get("/hazelcast/rest/maps/m/k%4");
    EXPECT_EQ(r.result_int(), 400u);
    EXPECT_NE(message_of(r).find("percent-escape in the key"), std::string::npos);
    r = get("/hazelcast/rest/maps/m/%C3%28");  // not UTF-8: no Java String could hold it
    EXPECT_EQ(r.result_int(), 400u);
    EXPECT_NE(message_of(r).find("key is not UTF-8"), std::string::npos);
    EXPECT_EQ(get("/hazelcast/rest/maps/m/k?ttl=%zz").result_int(), 400u);
    EXPECT_EQ(get("/hazelcast/rest/maps").result_int(), 404u);
}

TEST_F(HttpRouter, QueryParametersAreCheckedAndNamed) {
    Response r = call(beast_http::verb::post, "/hazelcast/rest/maps/m/k?maxIdle=1.5", "v");
    EXPECT_EQ(r.result_int(), 400u);
    EXPECT_NE(message_of(r).find("'maxIdle'"), std::string::npos);
    r = get("/hazelcast/rest/maps/m?cursor=271");
    EXPECT_EQ(r.result_int(), 400u);
    EXPECT_NE(message_of(r).find("'cursor'"), std::string::npos);
    r = get("/hazelcast/rest/maps/m?limit=10001");
    EXPECT_EQ(r.result_int(), 400u);
    EXPECT_NE(message_of(r).find("'limit'"), std::string::npos);
    EXPECT_EQ(get("/hazelcast/rest/maps/m?limit=10000&cursor=270").result_int(), 200u);
    EXPECT_EQ(call(beast_http::verb::post, "/hazelcast/rest/maps/m/k?ttl=0&maxIdle=0", "v").result_int(), 200u);
}

TEST_F(HttpRouter, TextPlainBodiesMustBeUtf8) {
    const Response r = call(beast_http::verb::post, "/hazelcast/rest/maps/m/k", std::string("caf\xe9", 4),
                            {{"Content-Type", "text/plain; charset=ISO-8859-1"}});
    EXPECT_EQ(r.result_int(), 400u);
    EXPECT_NE(message_of(r).find("application/octet-stream"), std::string::npos);
    EXPECT_EQ(get("/hazelcast/rest/maps/m/k").result_int(), 204u);  // nothing stored
}

TEST_F(HttpRouter, ManagementFailuresUseHazelcastsShape) {
    join();
    Response r = call(beast_http::verb::post, "/hazelcast/rest/management/cluster/changeState", "dev&&SLEEPY");
    EXPECT_EQ(r.result_int(), 400u);
    auto body = boost::json::parse(r.body());
    EXPECT_EQ(body.at("status").as_string(), "fail");
    EXPECT_NE(std::string(body.at("message").as_string()).find("SLEEPY"), std::string::npos);
    r = call(beast_http::verb::post, "/hazelcast/rest/management/cluster/changeState", "dev&pw");
    EXPECT_EQ(r.result_int(), 400u);
    EXPECT_EQ(boost::json::parse(r.body()).at("status").as_string(), "fail");
    r = call(beast_http::verb::post, "/hazelcast/rest/management/cluster/changeState", "d%65v&secret&no%5Fmigration");
    EXPECT_EQ(r.result_int(), 200u) << r.body();  // URL-decoded pieces; the password is ignored
    EXPECT_EQ(r.body(), R"({"status":"success","state":"no_migration"})");
    EXPECT_EQ(cluster_.state(), cluster::ClusterState::kNoMigration);
    cluster_.begin_shutdown();
    r = call(beast_http::verb::put, "/hazelcast/rest/management/cluster/state", R"({"state":"ACTIVE"})");
    EXPECT_EQ(r.result_int(), 400u);
    EXPECT_EQ(boost::json::parse(r.body()).at("message").as_string(), "the member is shutting down");
}

TEST_F(HttpRouter, EndpointGroupsGateTheirPaths) {
    config_.network.rest_api.cluster_write = false;
    join();
    Response r = call(beast_http::verb::post, "/hazelcast/rest/management/cluster/changeState", "dev&&PASSIVE");
    EXPECT_EQ(r.result_int(), 403u);
    EXPECT_NE(message_of(r).find("network.rest-api.endpoint-groups.CLUSTER_WRITE.enabled"), std::string::npos);
    EXPECT_EQ(call(beast_http::verb::put, "/hazelcast/rest/management/cluster/state", R"({"state":"PASSIVE"})")
                  .result_int(),
              403u);
    EXPECT_EQ(get("/hazelcast/rest/management/cluster/state").result_int(), 200u);  // reads stay open
    EXPECT_EQ(cluster_.state(), cluster::ClusterState::kActive);

    config_.network.rest_api.enabled = false;
    r = get("/hazelcast/health/node-state");
    EXPECT_EQ(r.result_int(), 403u);
    EXPECT_NE(message_of(r).find("HEALTH_CHECK"), std::string::npos);
    EXPECT_EQ(get("/hazelcast/rest/cluster").result_int(), 403u);
    EXPECT_EQ(get("/metrics").result_int(), 200u);  // metrics are not a REST endpoint group
}

TEST_F(HttpRouter, MetricsEscapeLabelValues) {
    join();
    const std::string odd_name = std::string("we\"ird\\na\nme\xff", 13);
    ASSERT_TRUE(await<bool>([&](auto done) { maps_.set(odd_name, map::string_data("k"), map::string_data("v"), {}, done); })
                    .ok());
    const Response r = get("/metrics");
    EXPECT_EQ(r[beast_http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(r.body().find(R"(shoal_map_entries{map="we\"ird\\na\nme\\xFF"} 1)"), std::string::npos) << r.body();
    EXPECT_TRUE(http::is_valid_utf8(r.body()));
}

TEST_F(HttpRouter, MetricsHistogramIsCumulativeAndEndsAtInf) {
    join();
    for (int i = 0; i < 5; ++i) {
        call(beast_http::verb::put, "/hazelcast/rest/maps/h/k" + std::to_string(i), "v");
    }
    const std::string body = get("/metrics").body();
    std::uint64_t previous = 0;
    int buckets = 0;
    std::size_t at = 0;
    const std::string prefix = "shoal_map_operation_latency_seconds_bucket{op=\"set\",le=\"";
    while ((at = body.find(prefix, at)) != std::string::npos) {
        const auto end = body.find('\n', at);
        const std::string line = body.substr(at, end - at);
        const std::uint64_t value = std::stoull(line.substr(line.rfind(' ') + 1));
        EXPECT_GE(value, previous) << line;
        previous = value;
        ++buckets;
        at = end;
    }
    EXPECT_EQ(buckets, 15);  // 14 bounds + Inf
    EXPECT_EQ(previous, 5u);
    EXPECT_NE(body.find("le=\"+Inf\"} 5\n"), std::string::npos);
    EXPECT_NE(body.find("le=\"1e-05\"}"), std::string::npos) << body;
    EXPECT_NE(body.find("shoal_map_operation_latency_seconds_count{op=\"set\"} 5\n"), std::string::npos);
    EXPECT_EQ(body.find("op=\"get\""), std::string::npos);  // never ran: not listed
    EXPECT_NE(body.find("shoal_member_info{version=\"" SHOAL_VERSION "\",uuid=\"" +
                        cluster_.local_member().uuid.to_string() + "\""),
              std::string::npos);
    EXPECT_NE(body.find("shoal_cluster_state{state=\"ACTIVE\"} 1\n"), std::string::npos);
}

// ---- parse errors: the session's replies -------------------------------------------------------

TEST(HttpReadErrors, MapToStatusesWithTheLimitInTheMessage) {
    config::HttpConfig limits;
    limits.max_header_bytes = 1234;
    limits.max_body_bytes = 5678;
    auto header = http::read_error_response(beast_http::error::header_limit, limits);
    ASSERT_TRUE(header);
    EXPECT_EQ(header->result_int(), 431u);
    EXPECT_NE(header->body().find("1234 bytes (shoal.http.max-header-bytes)"), std::string::npos);
    EXPECT_FALSE(header->keep_alive());
    auto body = http::read_error_response(beast_http::error::body_limit, limits);
    ASSERT_TRUE(body);
    EXPECT_EQ(body->result_int(), 413u);
    EXPECT_NE(body->body().find("5678 bytes"), std::string::npos);
    auto bad = http::read_error_response(beast_http::error::bad_target, limits);
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->result_int(), 400u);
    EXPECT_FALSE(http::read_error_response(boost::beast::error::timeout, limits));
    EXPECT_FALSE(http::read_error_response(beast_http::error::end_of_stream, limits));
}

// ---- REST bodies ---------------------------------------------------------------------------

std::string data_of(std::int32_t type, const std::string& payload) {
    std::string out;
    map::append_int32_be(out, 0);
    map::append_int32_be(out, type);
    return out + payload;
}

TEST(HttpRestBody, ContentTypesChooseTheStoredType) {
    EXPECT_EQ(http::value_data_from_body("Text/Plain; charset=UTF-8", "hi").data, map::string_data("hi"));
    EXPECT_EQ(http::value_data_from_body("text/plainish", "hi").data, map::string_data("hi"));
    EXPECT_EQ(http::value_data_from_body("application/json; charset=utf-8", "{").data, map::json_data("{"));
    EXPECT_EQ(http::value_data_from_body("", "b").data, map::bytes_data("b"));
    EXPECT_EQ(http::value_data_from_body("application/octet-stream", "b").data, map::bytes_data("b"));
    const auto png = http::value_data_from_body("image/png", "\x89PNG");
    EXPECT_EQ(map::data_type(png.data), map::type_id::kIdentified);
    EXPECT_EQ(http::render_value(png.data).content_type, "image/png");
    EXPECT_EQ(http::render_value(png.data).body, "\x89PNG");
}

TEST(HttpRestBody, RendersJavaPrimitivesAsText) {
    std::string integer;
    map::append_int32_be(integer, -7);
    EXPECT_EQ(http::render_value(data_of(map::type_id::kInteger, integer)).body, "-7");
    EXPECT_EQ(http::render_value(map::long_data(INT64_MIN)).body, "-9223372036854775808");
    EXPECT_EQ(http::render_value(data_of(map::type_id::kBoolean, std::string(1, '\1'))).body, "true");
    const auto double_data = [](double v) {
        std::string bits;
        map::append_int64_be(bits, std::bit_cast<std::int64_t>(v));
        return data_of(map::type_id::kDouble, bits);
    };
    EXPECT_EQ(http::render_value(double_data(3.5)).body, "3.5");
    EXPECT_EQ(http::render_value(double_data(1.0)).body, "1.0");
    EXPECT_EQ(http::render_value(double_data(0.1)).body, "0.1");
    EXPECT_EQ(http::render_value(double_data(1e20)).body, "1.0E20");
    EXPECT_EQ(http::render_value(double_data(-2.5e-7)).body, "-2.5E-7");
    EXPECT_EQ(http::render_value(double_data(std::numeric_limits<double>::quiet_NaN())).body, "NaN");
    EXPECT_EQ(http::render_value(double_data(-std::numeric_limits<double>::infinity())).body, "-Infinity");
    EXPECT_EQ(http::render_value(double_data(2.0)).content_type, "text/plain; charset=utf-8");
}

TEST(HttpRestBody, OtherTypesComeBackRawWithTheirTypeId) {
    const std::string portable = data_of(-1, "\x01\x02\x03");
    const auto rendered = http::render_value(portable);
    EXPECT_EQ(rendered.content_type, "application/octet-stream");
    EXPECT_EQ(rendered.body, portable);
    EXPECT_EQ(rendered.raw_type_id, -1);
    // An Integer of the wrong size is not an Integer.
    EXPECT_EQ(http::render_value(data_of(map::type_id::kInteger, "\x01")).raw_type_id, map::type_id::kInteger);
    // A REST value whose content type could break the response headers is not trusted.
    const auto injected = map::rest_value_data("text/html\r\nSet-Cookie: x=1", "v");
    EXPECT_EQ(http::render_value(injected).content_type, "application/octet-stream");
    EXPECT_EQ(http::render_value(injected).raw_type_id, map::type_id::kIdentified);
}

TEST(HttpRestBody, KeysAreTextOnlyWhenValidUtf8Strings) {
    EXPECT_EQ(http::key_as_text(map::string_data("ключ")), "ключ");
    EXPECT_FALSE(http::key_as_text(map::string_data("\xff")));
    EXPECT_FALSE(http::key_as_text(map::long_data(1)));
    EXPECT_FALSE(http::key_as_text("abc"));
}

TEST(HttpRestValue, LayoutIsTheDocumentedOne) {
    const std::string data = map::rest_value_data("image/png", "AB");
    const std::string expected = std::string("\0\0\0\0", 4) + "\xff\xff\xff\xfe" + "\x01" + "\xff\xff\xff\xdb" +
                                 std::string("\0\0\0\x01", 4) + std::string("\0\0\0\x02", 4) + "AB" +
                                 std::string("\0\0\0\x09", 4) + "image/png";
    EXPECT_EQ(data, expected);
    const auto back = map::read_rest_value(data);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->content_type, "image/png");
    EXPECT_EQ(back->value, "AB");
    for (std::size_t cut = 0; cut < data.size(); ++cut) {
        EXPECT_FALSE(map::read_rest_value(data.substr(0, cut))) << cut;
    }
    EXPECT_FALSE(map::read_rest_value(data + "x"));
    std::string other_class = data;
    other_class[16] = 2;  // the last byte of the class id
    EXPECT_FALSE(map::read_rest_value(other_class));
}

// ---- URIs ----------------------------------------------------------------------------------

TEST(HttpUri, PercentDecoding) {
    EXPECT_EQ(http::percent_decode("a%20b%2Fc"), "a b/c");
    EXPECT_EQ(http::percent_decode("a+b"), "a+b");
    EXPECT_EQ(http::percent_decode("a+b", true), "a b");
    EXPECT_EQ(http::percent_decode("%e2%82%AC"), "\xe2\x82\xac");
    EXPECT_FALSE(http::percent_decode("%"));
    EXPECT_FALSE(http::percent_decode("%4"));
    EXPECT_FALSE(http::percent_decode("ab%4"));
    EXPECT_FALSE(http::percent_decode("%g0"));
    EXPECT_EQ(http::percent_decode(http::percent_encode("a b/ü~")), "a b/ü~");
    const auto target = http::parse_target("/p/q?ttl=5&x&maxIdle=%31&=v");
    ASSERT_TRUE(target);
    EXPECT_EQ(target->path, "/p/q");
    EXPECT_EQ(target->query.at("ttl"), "5");
    EXPECT_EQ(target->query.at("x"), "");
    EXPECT_EQ(target->query.at("maxIdle"), "1");
    EXPECT_EQ(target->query.size(), 3u);
    EXPECT_EQ(http::parse_target("http://pod-0:5701/hazelcast/health?x=1")->path, "/hazelcast/health");
    EXPECT_EQ(http::parse_target("http://pod-0:5701")->path, "/");
    EXPECT_EQ(http::parse_target("http://pod-0:5701?a=b")->query.at("a"), "b");
}

TEST(HttpUri, StrictUtf8) {
    EXPECT_TRUE(http::is_valid_utf8(""));
    EXPECT_TRUE(http::is_valid_utf8("plain"));
    EXPECT_TRUE(http::is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x9f"));
    EXPECT_FALSE(http::is_valid_utf8("\xc3"));              // truncated
    EXPECT_FALSE(http::is_valid_utf8("\xc0\xaf"));          // overlong '/'
    EXPECT_FALSE(http::is_valid_utf8("\xe0\x80\xaf"));      // overlong
    EXPECT_FALSE(http::is_valid_utf8("\xed\xa0\x80"));      // a surrogate
    EXPECT_FALSE(http::is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(http::is_valid_utf8("\x80"));
    EXPECT_EQ(http::utf8_or_escaped("ok\xff\xc3\xa9"), "ok\\xFF\xc3\xa9");
}

}  // namespace
}  // namespace shoal::test
