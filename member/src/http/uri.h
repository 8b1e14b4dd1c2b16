// Request targets: splitting path and query, percent-decoding, UTF-8 checks. No Beast here:
// shoalctl includes this header for percent_encode.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shoal::http {

struct Target {
    std::string path;                          // still encoded
    std::map<std::string, std::string> query;  // decoded; the last of repeated names wins
};

// Splits "path?query" (origin form, or absolute form "http://host/path?query" whose scheme and
// authority are dropped); nullopt when the query holds a malformed escape.
std::optional<Target> parse_target(std::string_view target);

// Decodes %XX escapes (and '+' as space when `plus_is_space`, as in form bodies and queries);
// nullopt on a malformed escape. Paths are decoded with plus_is_space = false (RFC 3986).
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

// Encodes everything but unreserved characters (RFC 3986), for path segments.
std::string percent_encode(std::string_view text);

// Splits an encoded path on '/' into decoded segments (empty segments dropped); nullopt on a
// malformed escape.
std::optional<std::vector<std::string>> decoded_segments(std::string_view path);

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. Java Strings (keys,
// text values) and Prometheus label values must be valid UTF-8.
bool is_valid_utf8(std::string_view text);

// `text` with every byte that is not part of valid UTF-8 written as the four characters \xNN:
// for echoing client input in messages and metrics labels.
std::string utf8_or_escaped(std::string_view text);

}  // namespace shoal::http
