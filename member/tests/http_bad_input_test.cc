// Bad HTTP input gets a 4xx with a clear message (or, for silent and slow clients, a closed
// connection), and the member keeps serving everyone else.
#include "member_fixture.h"

namespace shoal::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr milliseconds kReadTimeout{300};
constexpr milliseconds kIdleTimeout{400};

class HttpBadInput : public MemberFixture {
protected:
    void configure(config::MemberConfig& c) override {
        c.http.max_header_bytes = 2048;
        c.http.max_body_bytes = 4096;
        c.http.read_timeout = kReadTimeout;
        c.http.idle_timeout = kIdleTimeout;
    }
    // After each bad client, a normal request on a new connection still succeeds.
    void expect_still_serving() {
        EXPECT_EQ(get("/hazelcast/health/ready").status, 200);
        EXPECT_EQ(send("PUT", "/hazelcast/rest/maps/after/k", "v").status, 200);
    }
    static std::string status_line(const std::string& answer) { return answer.substr(0, answer.find("\r\n")); }
};

TEST_F(HttpBadInput, OversizedHeadersGet431) {
    const std::string answer = raw_exchange("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(5000, 'a') + "\r\n\r\n");
    EXPECT_EQ(status_line(answer), "HTTP/1.1 431 Request Header Fields Too Large") << answer;
    EXPECT_NE(answer.find("2048 bytes (shoal.http.max-header-bytes)"), std::string::npos);
    expect_still_serving();
}

TEST_F(HttpBadInput, ManySmallHeadersAddUpTo431) {
    std::string request = "GET /hazelcast/health HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 200; ++i) request += "X-H" + std::to_string(i) + ": v\r\n";
    const std::string answer = raw_exchange(request + "\r\n");
    EXPECT_EQ(status_line(answer), "HTTP/1.1 431 Request Header Fields Too Large") << answer;
    expect_still_serving();
}

TEST_F(HttpBadInput, OversizedBodyGets413) {
    const std::string answer = raw_exchange("POST /hazelcast/rest/maps/m/k HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" +
                                            std::string(100000, 'b'));
    EXPECT_EQ(status_line(answer), "HTTP/1.1 413 Payload Too Large") << answer.substr(0, 200);
    EXPECT_NE(answer.find("4096 bytes (shoal.http.max-body-bytes)"), std::string::npos);
    EXPECT_NE(answer.find("Connection: close"), std::string::npos);
    EXPECT_EQ(get("/hazelcast/rest/maps/m/k").status, 204);  // nothing half-written
    expect_still_serving();
}

// The 413 must reach a client that is still uploading: the member reads and drops the rest
// (for a bounded time) before closing, instead of closing with unread input, which resets the
// connection and can destroy the reply in flight.
TEST_F(HttpBadInput, LargeUploadStillReceivesIts413) {
    RawConnection c("127.0.0.1", port());
    ASSERT_TRUE(c.send("POST /hazelcast/rest/maps/m/k HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                       "Content-Length: 8388608\r\n\r\n"));
    ASSERT_TRUE(c.wait_for("\"}", seconds(5))) << c.received();  // the whole 413 reply
    EXPECT_EQ(status_line(c.received()), "HTTP/1.1 413 Payload Too Large") << c.received();
    // The client keeps uploading, as curl does until it reads the reply: no reset while the
    // member drains.
    const std::string chunk(64 * 1024, 'u');
    int sent = 0;
    while (sent < 16 && c.send(chunk)) ++sent;
    EXPECT_EQ(sent, 16);
    EXPECT_TRUE(c.wait_closed(seconds(5)));
    expect_still_serving();
}

TEST_F(HttpBadInput, ChunkedBodiesCountTowardTheLimitToo) {
    std::string request = "POST /hazelcast/rest/maps/m/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 5; ++i) request += "400\r\n" + std::string(1024, 'c') + "\r\n";
    const std::string answer = raw_exchange(request + "0\r\n\r\n");
    EXPECT_EQ(status_line(answer), "HTTP/1.1 413 Payload Too Large") << answer;
    expect_still_serving();
}

TEST_F(HttpBadInput, ExpectContinueWithATooLargeBodyGets413WithoutTheGoAhead) {
    RawConnection c("127.0.0.1", port());
    ASSERT_TRUE(c.send("PUT /hazelcast/rest/maps/m/k HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n"
                       "Expect: 100-continue\r\n\r\n"));
    ASSERT_TRUE(c.wait_closed(seconds(5)));
    EXPECT_EQ(status_line(c.received()), "HTTP/1.1 413 Payload Too Large") << c.received();
    EXPECT_EQ(c.received().find("100 Continue"), std::string::npos);
    expect_still_serving();
}

TEST_F(HttpBadInput, GarbageGets400) {
    const std::string answer = raw_exchange("HELLO\x01\x02 there\r\n\r\n");
    EXPECT_EQ(status_line(answer), "HTTP/1.1 400 Bad Request") << answer;
    EXPECT_NE(answer.find("malformed HTTP request"), std::string::npos);
    expect_still_serving();
}

TEST_F(HttpBadInput, BinaryNoiseGets400OrClose) {
    std::string noise;
    for (int i = 0; i < 3000; ++i) noise.push_back(static_cast<char>((i * 7919) & 0xff));
    const std::string answer = raw_exchange(noise);
    EXPECT_TRUE(answer.empty() || status_line(answer).rfind("HTTP/1.1 4", 0) == 0) << answer;
    expect_still_serving();
}

TEST_F(HttpBadInput, BadChunkedEncodingGets400) {
    const std::string answer = raw_exchange(
        "POST /hazelcast/rest/maps/m/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n");
    EXPECT_EQ(status_line(answer), "HTTP/1.1 400 Bad Request") << answer;
    expect_still_serving();
}

TEST_F(HttpBadInput, RequestCutShortGets400) {
    RawConnection c("127.0.0.1", port());
    ASSERT_TRUE(c.send("PUT /hazelcast/rest/maps/m/k HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"));
    c.shutdown_send();  // the client is done sending, 7 bytes short
    ASSERT_TRUE(c.wait_closed(seconds(5)));
    EXPECT_EQ(status_line(c.received()), "HTTP/1.1 400 Bad Request") << c.received();
    EXPECT_NE(c.received().find("ended mid-request"), std::string::npos);
    EXPECT_EQ(get("/hazelcast/rest/maps/m/k").status, 204);
    expect_still_serving();
}

TEST_F(HttpBadInput, BadMethodGets405) {
    const std::string answer = raw_exchange("BREW /hazelcast/rest/maps/m/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(status_line(answer), "HTTP/1.1 405 Method Not Allowed") << answer;
    EXPECT_NE(answer.find("Allow: GET, HEAD, POST, PUT, DELETE"), std::string::npos);
    expect_still_serving();
}

TEST_F(HttpBadInput, BadPercentEncodingGets400) {
    const auto key = get("/hazelcast/rest/maps/m/100%");
    EXPECT_EQ(key.status, 400);
    EXPECT_NE(key.body.find("percent-escape in the key"), std::string::npos) << key.body;
    EXPECT_EQ(get("/hazelcast/rest/maps/m%zz/k").status, 400);
    EXPECT_EQ(get("/hazelcast/rest/maps/m/k?ttl=%").status, 400);
    EXPECT_EQ(get("/hazelcast/rest/management/cluster/st%4te").status, 400);
    expect_still_serving();
}

TEST_F(HttpBadInput, SlowClientIsDroppedWithinTheReadTimeout) {
    RawConnection c("127.0.0.1", port());
    const auto start = steady_clock::now();
    // Half a request, then silence: the member must close the connection, not wait forever.
    ASSERT_TRUE(c.send("GET /hazelcast/health HTTP/1.1\r\nHost:"));
    EXPECT_TRUE(c.wait_closed(seconds(5)));
    const auto waited = steady_clock::now() - start;
    EXPECT_TRUE(c.received().empty()) << c.received();
    EXPECT_GE(waited, kReadTimeout - milliseconds(50));
    EXPECT_LT(waited, kReadTimeout + seconds(1));
    expect_still_serving();
}

// Slowloris: a byte every 50 ms never lets a per-read timeout fire; the deadline is for the
// whole request.
TEST_F(HttpBadInput, TricklingClientIsDroppedWithinTheReadTimeout) {
    RawConnection c("127.0.0.1", port());
    const auto start = steady_clock::now();
    const std::string request = "GET /hazelcast/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 's');
    for (char byte : request) {
        if (!c.send(std::string(1, byte)) || c.wait_closed(milliseconds(50))) break;
    }
    EXPECT_TRUE(c.wait_closed(seconds(5)));
    EXPECT_LT(steady_clock::now() - start, kReadTimeout + seconds(1));
    EXPECT_TRUE(c.received().empty()) << c.received();
    expect_still_serving();
}

TEST_F(HttpBadInput, SilentConnectionIsClosed) {
    RawConnection c("127.0.0.1", port());
    const auto start = steady_clock::now();
    EXPECT_TRUE(c.wait_closed(seconds(5)));
    EXPECT_TRUE(c.received().empty());
    EXPECT_LT(steady_clock::now() - start, kReadTimeout + seconds(1));
    expect_still_serving();
}

TEST_F(HttpBadInput, IdleKeepAliveConnectionClosesAfterTheIdleTimeout) {
    RawConnection c("127.0.0.1", port());
    ASSERT_TRUE(c.send("GET /hazelcast/health/cluster-size HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(c.wait_for("\r\n\r\n1", seconds(5)));
    // Still open well within the idle timeout: a second request on it works.
    EXPECT_FALSE(c.wait_closed(kIdleTimeout / 4));
    ASSERT_TRUE(c.send("GET /hazelcast/health/node-state HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(c.wait_for("\"ACTIVE\"", seconds(5)));
    const auto answered = steady_clock::now();
    EXPECT_TRUE(c.wait_closed(seconds(5)));
    const auto idle = steady_clock::now() - answered;
    EXPECT_GE(idle, kIdleTimeout - milliseconds(50));
    EXPECT_LT(idle, kIdleTimeout + seconds(1));
}

TEST_F(HttpBadInput, KeepAliveServesPipelinedRequestsInOrder) {
    RawConnection c("127.0.0.1", port());
    ASSERT_TRUE(c.send("PUT /hazelcast/rest/maps/p/k HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
                       "GET /hazelcast/rest/maps/p/k HTTP/1.1\r\nHost: x\r\n\r\n"
                       "PUT /hazelcast/rest/maps/p/k HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\ntwo"
                       "GET /hazelcast/rest/maps/p/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    ASSERT_TRUE(c.wait_closed(seconds(5)));
    const std::string& answer = c.received();
    const auto one = answer.find("\r\n\r\none");
    const auto two = answer.find("\r\n\r\ntwo");
    ASSERT_NE(one, std::string::npos) << answer;
    ASSERT_NE(two, std::string::npos) << answer;
    EXPECT_LT(one, two);
    std::size_t responses = 0;
    for (std::size_t at = 0; (at = answer.find("HTTP/1.1 200 OK", at)) != std::string::npos; ++at) ++responses;
    EXPECT_EQ(responses, 4u);
}

TEST_F(HttpBadInput, Http10WithoutKeepAliveIsAnsweredAndClosed) {
    RawConnection c("127.0.0.1", port());
    ASSERT_TRUE(c.send("GET /hazelcast/health/cluster-size HTTP/1.0\r\n\r\n"));
    ASSERT_TRUE(c.wait_closed(kIdleTimeout / 2));  // closed right after the reply, not at the idle timeout
    EXPECT_EQ(status_line(c.received()), "HTTP/1.0 200 OK") << c.received();
}

}  // namespace
}  // namespace shoal::test
