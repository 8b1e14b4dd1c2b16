// Responses: the one place HTTP replies are built, so every reply carries the same headers and
// every error the same body shape ({"status": "...", "message": "..."}).
#pragma once

#include <string>
#include <string_view>

#include "http/http_types.h"

namespace shoal::http {

inline constexpr std::string_view kJson = "application/json";
inline constexpr std::string_view kText = "text/plain; charset=utf-8";

Response make_response(const Request& request, beast_http::status status, std::string_view content_type,
                       std::string body);
Response json_response(const Request& request, beast_http::status status, std::string body);
// An error reply: JSON {"status": "<reason>", "message": "<message>"}.
Response error_response(const Request& request, beast_http::status status, std::string_view message);
// An error for a request that could not be parsed (no request to echo the version from).
Response parse_error_response(beast_http::status status, std::string_view message);

}  // namespace shoal::http
