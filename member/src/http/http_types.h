// The HTTP message types of the http module, and the counters it keeps. Includes Beast: only
// http/*.cc, the HTTP tests and the HTTP fuzz target include this.
#pragma once

#include <array>
#include <atomic>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <functional>

namespace shoal::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;
// Called exactly once with the response, possibly on another thread.
using Respond = std::function<void(Response)>;
// Answers one request by calling `respond` exactly once (the Router, or an app's own endpoints).
using RequestHandler = std::function<void(const Request&, Respond)>;

struct HttpCounters {
    std::atomic<long> open_connections{0};
    std::array<std::atomic<std::uint64_t>, 600> responses_by_status{};  // index = status code

    void count_response(unsigned status) {
        if (status < responses_by_status.size()) responses_by_status[status].fetch_add(1, std::memory_order_relaxed);
    }
};

}  // namespace shoal::http
