// Fuzzes the HTTP request path: bytes -> Beast's parser (with the member's limits) -> the real
// Router over real partition threads. Any input must yield a response, never a crash or hang.
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <cstdint>
#include <atomic>
#include <future>
#include <memory>

#include "cluster/cluster_service.h"
#include "http/router.h"
#include "partition/map_operations.h"
#include "partition/partition_threads.h"

namespace {

struct Member {
    shoal::config::MemberConfig config;
    shoal::partition::PartitionThreads threads{271, 2, nullptr};
    shoal::partition::MapOperations maps{threads};
    shoal::cluster::ClusterService cluster{config, maps};
    shoal::http::HttpCounters counters;
    shoal::http::Router router{{config, maps, cluster, counters}};

    Member() {
        threads.start();
        cluster.start("127.0.0.1", 5701);
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace http = boost::beast::http;
    Member& m = member();
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(m.config.http.max_header_bytes));
    parser.body_limit(m.config.http.max_body_bytes);
    parser.eager(true);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (!ec && !parser.is_done()) parser.put_eof(ec);
    if (ec || !parser.is_done()) return 0;
    std::promise<shoal::http::Response> answered;
    auto response = answered.get_future();
    m.router.handle(parser.release(), [&answered](shoal::http::Response r) { answered.set_value(std::move(r)); });
    if (response.wait_for(std::chrono::seconds(5)) != std::future_status::ready) __builtin_trap();  // a hang is a bug
    const auto status = response.get().result_int();
    if (status < 200 || status > 599) __builtin_trap();
    reset(m);
    return 0;
}
