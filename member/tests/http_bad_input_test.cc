// Bad HTTP input gets a 4xx with a clear message (or, for silent clients, a closed connection),
// and the member keeps serving everyone else.
#include "member_fixture.h"

namespace shoal::test {
namespace {

class HttpBadInput : public MemberFixture {
protected:
    void configure(config::MemberConfig& c) override {
        c.http.max_header_bytes = 2048;
        c.http.max_body_bytes = 4096;
        c.http.read_timeout = std::chrono::milliseconds(300);
        c.http.idle_timeout = std::chrono::milliseconds(300);
    }
    void expect_still_serving() { EXPECT_EQ(get("/hazelcast/health/ready").status, 200); }
};

TEST_F(HttpBadInput, OversizedHeadersGet431) {
    const std::string answer = raw_exchange("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(5000, 'a') + "\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 431", 0), 0u) << answer;
    EXPECT_NE(answer.find("shoal.http.max-header-bytes"), std::string::npos);
    expect_still_serving();
}

TEST_F(HttpBadInput, OversizedBodyGets413) {
    const std::string answer = raw_exchange("POST /hazelcast/rest/maps/m/k HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" +
                                            std::string(100000, 'b'));
    EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 200);
    EXPECT_NE(answer.find("shoal.http.max-body-bytes"), std::string::npos);
    EXPECT_EQ(get("/hazelcast/rest/maps/m/k").status, 204);  // nothing half-written
    expect_still_serving();
}

TEST_F(HttpBadInput, GarbageGets400) {
    const std::string answer = raw_exchange("HELLO\x01\x02 there\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
    EXPECT_NE(answer.find("malformed HTTP request"), std::string::npos);
    expect_still_serving();
}

TEST_F(HttpBadInput, BadChunkedEncodingGets400) {
    const std::string answer = raw_exchange(
        "POST /hazelcast/rest/maps/m/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
    expect_still_serving();
}

TEST_F(HttpBadInput, BadMethodGets405) {
    const std::string answer = raw_exchange("BREW /hazelcast/rest/maps/m/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 405", 0), 0u) << answer;
    expect_still_serving();
}

TEST_F(HttpBadInput, SlowClientIsDroppedWithinTheReadTimeout) {
    const auto start = std::chrono::steady_clock::now();
    // Half a request, then silence: the member must close the connection, not wait forever.
    const std::string answer = raw_exchange("GET /hazelcast/health HTTP/1.1\r\nHost:", std::chrono::seconds(5));
    const auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_TRUE(answer.empty()) << answer;
    EXPECT_LT(waited, std::chrono::seconds(3));
    expect_still_serving();
}

TEST_F(HttpBadInput, SilentConnectionIsClosed) {
    const auto start = std::chrono::steady_clock::now();
    const std::string answer = raw_exchange("", std::chrono::seconds(5));
    EXPECT_TRUE(answer.empty());
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
    expect_still_serving();
}

TEST_F(HttpBadInput, KeepAliveServesPipelinedRequestsInOrder) {
    const std::string answer = raw_exchange(
        "GET /hazelcast/health/cluster-size HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /hazelcast/health/node-state HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const auto first = answer.find("\r\n\r\n1");
    const auto second = answer.find("\"ACTIVE\"");
    ASSERT_NE(first, std::string::npos) << answer;
    ASSERT_NE(second, std::string::npos) << answer;
    EXPECT_LT(first, second);
}

}  // namespace
}  // namespace shoal::test
