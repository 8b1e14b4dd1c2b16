// ConfigSchema: every configuration key Shoal understands, with its type, range and where it
// lands in MemberConfig. The YAML walker, the environment overrides (HZ_*), the -Dhz.* path
// overrides and --print-config all read this one table, so a key added here works everywhere.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_loader.h"
#include "config/member_config.h"

namespace shoal::config {

// A value as found in a source, before it is typed; `where` names the source for messages
// ("shoal.yaml:12:5", "environment variable HZ_CLUSTERNAME", "property hz.cluster-name").
struct RawValue {
    std::string scalar;
    std::vector<std::string> list;
    bool is_list = false;
    std::string where;
};

enum class FieldKind { kBool, kInt, kString, kStringList, kEnum, kIgnored };

struct Field {
    std::string path;  // dotted, relative to the root; "map.*." fields apply to every map name
    FieldKind kind = FieldKind::kString;
    long min = 0;
    long max = 0;
    std::vector<std::string> choices;  // for kEnum, upper-case
    // Applies a typed value; `map_name` is set for map.* fields.
    std::function<void(MemberConfig&, const std::string& map_name, const RawValue&)> apply;
    // The effective value as YAML text (scalar) or list, for --print-config.
    std::function<RawValue(const MemberConfig&, const std::string& map_name)> read;
};

const std::vector<Field>& config_fields();

// The field for a concrete path ("map.sessions.backup-count" matches "map.*.backup-count");
// `map_name` receives the map name when it matched a map field.
const Field* find_field(const std::string& path, std::string* map_name = nullptr);

// True when `path` is a section (a prefix of some field path, or a map block) rather than a leaf.
bool is_section(const std::string& path);

// Keys allowed directly under `section`, for "did you mean" suggestions.
std::vector<std::string> keys_under(const std::string& section);

// Typed parsing helpers shared with properties; each throws ConfigError naming `what`.
bool parse_bool(const RawValue& value, const std::string& what);
long parse_int(const RawValue& value, const std::string& what, long min, long max);
std::string parse_enum(const RawValue& value, const std::string& what, const std::vector<std::string>& choices);

// "where: 'what' must be ..., got '...'" — the one shape of value errors.
[[noreturn]] void fail_value(const RawValue& value, const std::string& what, const std::string& expectation);

}  // namespace shoal::config
