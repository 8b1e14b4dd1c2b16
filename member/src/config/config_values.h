// ConfigValues: one raw value as a source gave it (YAML, environment, -D property) and the typed
// parsers every source shares, so "must be an integer between 1 and 65535" reads the same
// whichever way the value arrived.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace shoal::config {

// A value before it is typed. `where` names the source for messages ("shoal.yaml:12:5",
// "environment variable HZ_CLUSTERNAME", "property hz.cluster-name"); `key` is the key as the
// user should read it ("network.port"), empty when `where` already names it.
struct RawValue {
    std::string text;
    std::vector<std::string> list;
    bool is_list = false;
    bool is_map = false;  // only the YAML reader sees maps; every parser rejects them
    bool append = false;  // YAML: list keys that share a target (tcp-ip member keys) add up
    std::string where;
    std::string key;
    std::vector<std::string> item_wheres;  // per list item, when the source knows them

    static RawValue of(std::string text, std::string where = {}, std::string key = {});

    // List item `i` as a value of its own, named "key[i]" in messages.
    RawValue item(std::size_t i, std::string text) const;
};

// "<where>: '<key>' <expectation>, got '<text>'" — the one shape of value errors.
[[noreturn]] void fail_value(const RawValue& value, std::string_view expectation);

// "<where>: '<key>' <problem>" — for errors that are not about a rejected text.
[[noreturn]] void fail_at(const RawValue& value, std::string_view problem);

// "<where>: <problem>" — when the problem is the name itself, not the value.
[[noreturn]] void fail_where(const RawValue& value, std::string_view problem);

// Each parser throws ConfigError through fail_value when the text does not fit.
bool parse_bool(const RawValue& value);                     // true/false, any case (as Hazelcast: no yes/no)
long parse_int(const RawValue& value, long min, long max);  // the whole text, range checked
std::string parse_enum(const RawValue& value, const std::vector<std::string>& choices);  // upper-cased
const std::string& parse_scalar(const RawValue& value);      // any single value, not a list or map
std::vector<std::string> parse_list(const RawValue& value);  // a list, or one comma-separated text

// "debug", "info", "warn" or "error" for the log level names Shoal and Hazelcast use
// (FINE/FINEST, WARNING and SEVERE too); empty when the name is unknown.
std::string canonical_log_level(std::string_view name);

bool is_ip_literal(const std::string& text);  // IPv4 dotted quad or IPv6, no brackets

// Valid UTF-8 without control characters (tab, CR and LF allowed when `allow_line_breaks`).
// Text values and names must be printable so --print-config reproduces them exactly.
bool is_printable_text(std::string_view text, bool allow_line_breaks = false);

std::string to_upper(std::string_view text);
std::string to_lower(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
std::string join(const std::vector<std::string>& items, std::string_view separator);

// The candidate a mistyped `name` most likely meant, or empty: at most two edits (a swap of
// neighbours counts as one) and fewer edits than half the name, ignoring case.
std::string nearest(std::string_view name, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or empty, for appending to an error.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace shoal::config
