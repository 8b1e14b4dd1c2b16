// ConfigSchema: every configuration key Shoal understands, with its type, range and where it
// lands in MemberConfig. The YAML reader, the environment overrides (HZ_*), the -Dhz.* path
// overrides and --print-config all read this one table, so a key added here works everywhere.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config_state.h"
#include "config/config_values.h"
#include "config/member_config.h"

namespace shoal::config {

enum class FieldKind { kBool, kInt, kString, kList, kEnum, kIgnored };

struct Field {
    // Dotted, from below the root key; fields of map blocks are "map.*.<key>".
    std::string path;
    FieldKind kind = FieldKind::kString;
    // Parses `value` and stores it; `map_name` names the map block for "map.*." fields.
    std::function<void(MemberConfig&, const std::string& map_name, const RawValue&)> apply;
    // The effective value, for --print-config; null for aliases and accepted-but-ignored keys.
    std::function<RawValue(const MemberConfig&, const std::string& map_name)> read;
};

const std::vector<Field>& config_fields();

// The field at an exact schema path ("map.*.backup-count", not "map.orders.backup-count").
const Field* field_at(const std::string& schema_path);

// A section that also takes a single value: `network.port: 5701` sets network.port.port.
const Field* short_form(const std::string& schema_path);

// True for paths that hold keys: "network", "map", "map.*", "properties", ...
bool is_section(const std::string& schema_path);

// The keys allowed directly under a section, for "did you mean" suggestions.
std::vector<std::string> keys_under(const std::string& schema_path);

// A concrete dotted path as overrides name it ("map.com.example.cache.backup-count": a map
// name may hold dots), resolved to its field.
struct PathMatch {
    const Field* field = nullptr;
    std::string map_name;  // for map fields
    std::string path;      // canonical: "network.port" resolves to "network.port.port"
};
std::optional<PathMatch> resolve_path(const std::string& dotted);

// Every concrete key path (map fields under "map.default"), for suggestions.
std::vector<std::string> all_paths();

// Throws unless `name` is a usable map block name (not empty, at most one '*').
void check_map_name(const std::string& name, const RawValue& where);

// Applies `value` through the matched field and records where it came from.
void apply_field(ConfigState& state, const PathMatch& match, const RawValue& value);

}  // namespace shoal::config
