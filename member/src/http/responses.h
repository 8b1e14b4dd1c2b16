// Responses: the one place HTTP replies are built, so every reply carries the same headers
// (Server, Content-Type, Content-Length) and every error the same body shape:
// {"status": "<reason phrase>", "message": "<what went wrong and how to fix it>"}.
// Every reply is counted by status code where it is sent (HttpCounters, shoal_http_requests_total).
#pragma once

#include <boost/system/error_code.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "config/member_config.h"
#include "http/http_types.h"

namespace shoal::http {

inline constexpr std::string_view kJson = "application/json";
inline constexpr std::string_view kText = "text/plain; charset=utf-8";

Response make_response(const Request& request, beast_http::status status, std::string_view content_type,
                       std::string body);
Response json_response(const Request& request, beast_http::status status, std::string body);
// An error reply: JSON {"status": "<reason>", "message": "<message>"}.
Response error_response(const Request& request, beast_http::status status, std::string_view message);
// A 405 naming the methods the path accepts, in the message and in the Allow header.
Response method_not_allowed(const Request& request, std::string_view allowed);

// A 403 for a disabled REST endpoint group (HEALTH_CHECK, DATA, CLUSTER_READ, CLUSTER_WRITE),
// naming the configuration key that enables it.
Response group_disabled(const Request& request, std::string_view group);

// What to answer when reading a request failed, before closing the connection: 431 (headers
// too large), 413 (body too large), 400 (malformed). nullopt when there is nobody to answer:
// the client left, the read timed out, or the member is stopping.
std::optional<Response> read_error_response(const boost::system::error_code& ec, const config::HttpConfig& limits);

// The request without its body: what asynchronous handlers keep to build their reply later.
Request without_body(const Request& request);

}  // namespace shoal::http
