// Fuzzes the HTTP request path: bytes -> Beast's request parser with the member's limits (as the
// session reads them) -> the session's error replies or the real Router over real partition
// threads. Every input must yield a well-formed reply, never a crash or a hang.
#include <atomic>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>

#include "cluster/cluster_service.h"
#include "http/responses.h"
#include "http/router.h"
#include "partition/map_operations.h"
#include "partition/partition_threads.h"

namespace {

namespace http = shoal::http;

struct Member {
    shoal::config::MemberConfig config = small_limits();
    shoal::partition::PartitionThreads threads{271, 2, nullptr};
    shoal::partition::PartitionService service{threads, [](std::string_view) { return 0; }};
    shoal::partition::MapOperations maps{threads, service};
    shoal::cluster::ClusterService cluster{config, maps};
    http::HttpCounters counters;
    http::Router router{{config, maps, cluster, counters, {}}};

    Member() {
        service.run_standalone();
        threads.start();
        cluster.start("127.0.0.1", 5701);
    }

    // Small limits, so the fuzzer reaches the 413 and 431 paths with short inputs.
    static shoal::config::MemberConfig small_limits() {
        shoal::config::MemberConfig c;
        c.http.max_header_bytes = 2048;
        c.http.max_body_bytes = 4096;
        return c;
    }
};

Member& member() {
    static Member* m = new Member();  // lives for the whole run; never destroyed mid-fuzzing
    return *m;
}

// Every input starts from an empty, ACTIVE member: runs stay reproducible, and no entry outlives
// its input (the record table tags its pointers, which LeakSanitizer cannot follow mid-run).
void reset(Member& m) {
    m.cluster.change_state(shoal::cluster::ClusterState::kActive);
    std::promise<void> names_done;
    m.maps.map_names([&](shoal::partition::OpResult<std::vector<std::string>> names) {
        auto remaining = std::make_shared<std::atomic<std::size_t>>(names.value.size());
        if (names.value.empty()) return names_done.set_value();
        for (const auto& name : names.value) {
            m.maps.clear(name, [remaining, &names_done](shoal::partition::OpResult<bool>) {
                if (remaining->fetch_sub(1) == 1) names_done.set_value();
            });
        }
    });
    names_done.get_future().wait();
}

// What every reply must look like on the wire.
void check_reply(const http::Response& response) {
    const unsigned status = response.result_int();
    if (status < 200 || status > 599) __builtin_trap();
    if (response[boost::beast::http::field::server].empty()) __builtin_trap();
    if (status != 204 && !response.has_content_length()) __builtin_trap();
    if (status >= 400 && response.body().empty()) __builtin_trap();  // errors always say why
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace beast_http = boost::beast::http;
    Member& m = member();
    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(m.config.http.max_header_bytes));
    parser.body_limit(m.config.http.max_body_bytes);
    parser.eager(true);
    boost::beast::error_code ec;
    auto input = boost::asio::buffer(data, size);
    while (!ec && !parser.is_done() && input.size() > 0) {
        const std::size_t used = parser.put(input, ec);
        if (ec == beast_http::error::need_more) break;  // what a socket would wait for: a timeout
        if (used == 0) break;
        input += used;
    }
    // A connection closed before sending a byte is no request at all (and Beast asserts on it).
    if (!ec && !parser.got_some()) return 0;
    if (!ec && !parser.is_done()) parser.put_eof(ec);  // the client closed the connection
    if (ec) {
        // The session's reply to an unreadable request (nullopt: it just closes).
        if (auto reply = http::read_error_response(ec, m.config.http)) check_reply(*reply);
        return 0;
    }
    std::promise<http::Response> answered;
    auto response = answered.get_future();
    m.router.handle(parser.release(), [&answered](http::Response r) { answered.set_value(std::move(r)); });
    if (response.wait_for(std::chrono::seconds(5)) != std::future_status::ready) __builtin_trap();  // a hang
    check_reply(response.get());
    reset(m);
    return 0;
}
