// Request targets: splitting path and query, percent-decoding.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shoal::http {

struct Target {
    std::string path;                          // still encoded
    std::map<std::string, std::string> query;  // decoded
};

// nullopt when the query holds a malformed escape.
std::optional<Target> parse_target(std::string_view target);

// Decodes %XX escapes (and '+' as space when `plus_is_space`); nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

// Encodes everything but unreserved characters (RFC 3986), for path segments.
std::string percent_encode(std::string_view text);

// Splits an encoded path on '/' into decoded segments (empty segments dropped); nullopt on a
// malformed escape.
std::optional<std::vector<std::string>> decoded_segments(std::string_view path);

}  // namespace shoal::http
