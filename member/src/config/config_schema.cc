#include "config/config_schema.h"

#include <algorithm>
#include <climits>
#include <set>
#include <string_view>

#include "config/config_loader.h"

namespace shoal::config {
namespace {

// Accessors for the field table: one generic lambda serves both applying (MemberConfig&) and
// printing (const MemberConfig&). A macro keeps each table row to one readable line.
#define KEY(member)                            \
    [](auto& c, const std::string&) -> auto& { \
        return c.member;                       \
    }
#define MAP_KEY(member)                             \
    [](auto& c, const std::string& name) -> auto& { \
        return map_block(c, name).member;           \
    }

MapConfig& map_block(MemberConfig& c, const std::string& name) {
    return name == "default" ? c.map_default : c.maps[name];
}

const MapConfig& map_block(const MemberConfig& c, const std::string& name) {
    return name == "default" ? c.map_default : c.maps.at(name);
}

// Checks a parsed string; throws through fail_value/fail_at when it does not fit.
using TextCheck = std::function<void(const RawValue&, const std::string&)>;

template <typename Access, typename Parse, typename Show>
Field make_field(std::string path, FieldKind kind, Access access, Parse parse, Show show) {
    Field f;
    f.path = std::move(path);
    f.kind = kind;
    f.apply = [access, parse](MemberConfig& c, const std::string& map, const RawValue& v) {
        access(c, map) = parse(v);
    };
    f.read = [access, show](const MemberConfig& c, const std::string& map) { return show(access(c, map)); };
    return f;
}

RawValue text_of(std::string text) {
    return RawValue::of(std::move(text));
}

template <typename Access>
Field bool_field(std::string path, Access access) {
    return make_field(
        std::move(path), FieldKind::kBool, access, [](const RawValue& v) { return parse_bool(v); },
        [](bool b) { return text_of(b ? "true" : "false"); });
}

template <typename Access>
Field int_field(std::string path, Access access, long min, long max) {
    return make_field(
        std::move(path), FieldKind::kInt, access,
        [min, max](const RawValue& v) { return static_cast<int>(parse_int(v, min, max)); },
        [](int i) { return text_of(std::to_string(i)); });
}

template <typename Access>
Field string_field(std::string path, Access access, TextCheck check = nullptr) {
    return make_field(
        std::move(path), FieldKind::kString, access,
        [check](const RawValue& v) {
            const std::string& text = parse_scalar(v);
            if (check) check(v, text);
            return text;
        },
        [](const std::string& s) { return text_of(s); });
}

// YAML list keys that share a target add up (tcp-ip `member`, `members`, `member-list`, as
// in Hazelcast); an override from the environment or a property replaces the list.
template <typename Access>
Field list_field(std::string path, Access access, TextCheck check_item = nullptr) {
    Field f;
    f.path = std::move(path);
    f.kind = FieldKind::kList;
    f.apply = [access, check_item](MemberConfig& c, const std::string& map, const RawValue& v) {
        std::vector<std::string> items = parse_list(v);
        for (std::size_t i = 0; i < items.size(); ++i) {
            // Items are named "key[i]" in messages, so the bad one is easy to find.
            const RawValue item = v.item(i, items[i]);
            if (items[i].empty()) fail_value(item, "must not be empty");
            if (check_item) check_item(item, items[i]);
        }
        auto& target = access(c, map);
        if (!v.append) target.clear();
        target.insert(target.end(), items.begin(), items.end());
    };
    f.read = [access](const MemberConfig& c, const std::string& map) {
        RawValue v;
        v.is_list = true;
        v.list = access(c, map);
        return v;
    };
    return f;
}

template <typename E, typename Access>
Field enum_field(std::string path, Access access, std::vector<std::pair<std::string, E>> names) {
    std::vector<std::string> choices;
    for (const auto& entry : names) choices.push_back(entry.first);
    return make_field(
        std::move(path), FieldKind::kEnum, access,
        [names, choices](const RawValue& v) {
            const std::string chosen = parse_enum(v, choices);
            return std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.first == chosen; })->second;
        },
        [names](E current) {
            const auto it =
                std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.second == current; });
            return text_of(it->first);
        });
}

// A key Hazelcast has and Shoal accepts without acting on it; its value is still checked so a
// typo there fails as anywhere else.
Field ignored_field(std::string path, FieldKind value_kind) {
    Field f;
    f.path = std::move(path);
    f.kind = FieldKind::kIgnored;
    f.apply = [value_kind](MemberConfig&, const std::string&, const RawValue& v) {
        if (value_kind == FieldKind::kBool)
            parse_bool(v);
        else
            parse_scalar(v);
    };
    return f;
}

Field alias_of(Field field, std::string path) {
    field.path = std::move(path);
    field.read = nullptr;  // printed once, under the name it aliases
    return field;
}

void not_empty(const RawValue& v, const std::string& text) {
    if (text.empty()) fail_value(v, "must not be empty");
}

void no_spaces(const RawValue& v, const std::string& text) {
    if (text.find_first_of(" \t\r\n") != std::string::npos) fail_value(v, "must not contain spaces");
}

bool valid_port_text(const std::string& text) {
    if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos) return false;
    const int port = std::stoi(text);
    return port >= 1 && port <= 65535;
}

// "host", "host:port", "[ipv6]" or "[ipv6]:port", or a bare IPv6 address; empty means unset.
void host_and_optional_port(const RawValue& v, const std::string& text) {
    if (text.empty()) return;
    no_spaces(v, text);
    constexpr std::string_view kExpected = "must be host, host:port or [ipv6]:port with a port between 1 and 65535";
    std::string host = text;
    std::optional<std::string> port;
    const auto colons = std::count(text.begin(), text.end(), ':');
    if (text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos) fail_value(v, kExpected);
        host = text.substr(1, close - 1);
        const std::string rest = text.substr(close + 1);
        if (!rest.empty() && rest.front() != ':') fail_value(v, kExpected);
        if (!rest.empty()) port = rest.substr(1);
        if (!is_ip_literal(host)) fail_value(v, kExpected);
    } else if (colons == 1) {
        host = text.substr(0, text.find(':'));
        port = text.substr(text.find(':') + 1);
    } else if (colons > 1 && !is_ip_literal(text)) {
        fail_value(v, kExpected);
    }
    if (host.empty() || (port && !valid_port_text(*port))) fail_value(v, kExpected);
}

// One octet of an interface pattern: '*', 0..255 or a range a-b (network.interfaces).
bool valid_octet_pattern(const std::string& octet) {
    if (octet == "*") return true;
    const auto dash = octet.find('-');
    auto number = [](const std::string& s) {
        return !s.empty() && s.size() <= 3 && s.find_first_not_of("0123456789") == std::string::npos &&
               std::stoi(s) <= 255;
    };
    if (dash == std::string::npos) return number(octet);
    const std::string low = octet.substr(0, dash);
    const std::string high = octet.substr(dash + 1);
    return number(low) && number(high) && std::stoi(low) <= std::stoi(high);
}

void interface_pattern(const RawValue& v, const std::string& text) {
    std::vector<std::string> octets{""};
    for (char c : text) {
        if (c == '.')
            octets.emplace_back();
        else
            octets.back().push_back(c);
    }
    if (octets.size() != 4 || !std::all_of(octets.begin(), octets.end(), valid_octet_pattern)) {
        fail_value(v, "must be an IPv4 pattern like 10.0.*.1-9");
    }
}

void url(const RawValue& v, const std::string& text) {
    if (!starts_with(text, "https://") && !starts_with(text, "http://")) {
        fail_value(v, "must be a URL starting with https:// or http://");
    }
}

Field multicast_field() {
    Field f = bool_field("network.join.multicast.enabled", KEY(network.join.multicast_enabled));
    auto parse_only = f.apply;
    f.apply = [parse_only](MemberConfig& c, const std::string& map, const RawValue& v) {
        if (parse_bool(v)) {
            fail_at(v,
                    "cannot be true: multicast discovery is not supported (multicast does not work on "
                    "Kubernetes networks); use kubernetes or tcp-ip join instead");
        }
        parse_only(c, map, v);
    };
    return f;
}

void add_network_fields(std::vector<Field>& f) {
    f.push_back(int_field("network.port.port", KEY(network.port), 1, 65535));
    f.push_back(bool_field("network.port.auto-increment", KEY(network.port_auto_increment)));
    f.push_back(int_field("network.port.port-count", KEY(network.port_count), 1, 65535));
    f.push_back(string_field("network.public-address", KEY(network.public_address), host_and_optional_port));
    f.push_back(bool_field("network.interfaces.enabled", KEY(network.interfaces_enabled)));
    f.push_back(list_field("network.interfaces.interfaces", KEY(network.interfaces), interface_pattern));
    const std::string rest = "network.rest-api.";
    const std::string groups = rest + "endpoint-groups.";
    f.push_back(bool_field(rest + "enabled", KEY(network.rest_api.enabled)));
    f.push_back(bool_field(groups + "HEALTH_CHECK.enabled", KEY(network.rest_api.health_check)));
    f.push_back(bool_field(groups + "CLUSTER_READ.enabled", KEY(network.rest_api.cluster_read)));
    f.push_back(bool_field(groups + "CLUSTER_WRITE.enabled", KEY(network.rest_api.cluster_write)));
    f.push_back(bool_field(groups + "DATA.enabled", KEY(network.rest_api.data)));
    for (const char* group : {"PERSISTENCE", "HOT_RESTART", "WAN", "CP"}) {
        f.push_back(ignored_field(groups + group + ".enabled", FieldKind::kBool));
    }
}

void add_join_fields(std::vector<Field>& f) {
    f.push_back(multicast_field());
    const std::string tcp = "network.join.tcp-ip.";
    f.push_back(bool_field(tcp + "enabled", KEY(network.join.tcp_ip.enabled)));
    f.push_back(list_field(tcp + "members", KEY(network.join.tcp_ip.members), no_spaces));
    f.push_back(alias_of(f.back(), tcp + "member-list"));
    f.push_back(alias_of(f.back(), tcp + "member"));
    f.push_back(
        int_field(tcp + "connection-timeout-seconds", KEY(network.join.tcp_ip.connection_timeout_seconds), 1, 3600));

    const std::string k = "network.join.kubernetes.";
    f.push_back(bool_field(k + "enabled", KEY(network.join.kubernetes.enabled)));
    f.push_back(string_field(k + "namespace", KEY(network.join.kubernetes.namespace_), no_spaces));
    f.push_back(string_field(k + "service-name", KEY(network.join.kubernetes.service_name), no_spaces));
    f.push_back(string_field(k + "service-label-name", KEY(network.join.kubernetes.service_label_name), no_spaces));
    f.push_back(string_field(k + "service-label-value", KEY(network.join.kubernetes.service_label_value)));
    f.push_back(string_field(k + "pod-label-name", KEY(network.join.kubernetes.pod_label_name), no_spaces));
    f.push_back(string_field(k + "pod-label-value", KEY(network.join.kubernetes.pod_label_value)));
    f.push_back(string_field(k + "service-dns", KEY(network.join.kubernetes.service_dns), no_spaces));
    f.push_back(
        int_field(k + "service-dns-timeout", KEY(network.join.kubernetes.service_dns_timeout_seconds), 1, 3600));
    f.push_back(int_field(k + "service-port", KEY(network.join.kubernetes.service_port), 0, 65535));
    f.push_back(
        bool_field(k + "resolve-not-ready-addresses", KEY(network.join.kubernetes.resolve_not_ready_addresses)));
    f.push_back(int_field(k + "kubernetes-api-retries", KEY(network.join.kubernetes.kubernetes_api_retries), 0, 100));
    f.push_back(string_field(k + "kubernetes-master", KEY(network.join.kubernetes.kubernetes_master), url));
    f.push_back(string_field(k + "api-token", KEY(network.join.kubernetes.api_token)));
    f.push_back(string_field(k + "ca-certificate", KEY(network.join.kubernetes.ca_certificate)));
    for (const char* key : {"expose-externally", "use-node-name-as-external-address"}) {
        f.push_back(ignored_field(k + key, FieldKind::kBool));
    }
    for (const char* key : {"service-per-pod-label-name", "service-per-pod-label-value"}) {
        f.push_back(ignored_field(k + key, FieldKind::kString));
    }
}

void add_map_fields(std::vector<Field>& f) {
    f.push_back(int_field("map.*.backup-count", MAP_KEY(backup_count), 0, 6));
    f.push_back(int_field("map.*.async-backup-count", MAP_KEY(async_backup_count), 0, 6));
    f.push_back(int_field("map.*.time-to-live-seconds", MAP_KEY(time_to_live_seconds), 0, INT_MAX));
    f.push_back(int_field("map.*.max-idle-seconds", MAP_KEY(max_idle_seconds), 0, INT_MAX));
}

void add_partition_group_fields(std::vector<Field>& f) {
    f.push_back(bool_field("partition-group.enabled", KEY(partition_group_enabled)));
    f.push_back(enum_field<PartitionGroupType>("partition-group.group-type", KEY(partition_group),
                                               {{"PER_MEMBER", PartitionGroupType::kPerMember},
                                                {"NODE_AWARE", PartitionGroupType::kNodeAware},
                                                {"ZONE_AWARE", PartitionGroupType::kZoneAware}}));
}

void add_persistence_fields(std::vector<Field>& f) {
    const std::string p = "persistence.";
    f.push_back(bool_field(p + "enabled", KEY(persistence.enabled)));
    f.push_back(string_field(p + "base-dir", KEY(persistence.base_dir), not_empty));
    f.push_back(int_field(p + "validation-timeout-seconds", KEY(persistence.validation_timeout_seconds), 1, INT_MAX));
    f.push_back(int_field(p + "data-load-timeout-seconds", KEY(persistence.data_load_timeout_seconds), 1, INT_MAX));
    f.push_back(enum_field<RecoveryPolicy>(p + "cluster-data-recovery-policy",
                                           KEY(persistence.cluster_data_recovery_policy),
                                           {{"FULL_RECOVERY_ONLY", RecoveryPolicy::kFullRecoveryOnly},
                                            {"PARTIAL_RECOVERY_MOST_RECENT", RecoveryPolicy::kPartialMostRecent},
                                            {"PARTIAL_RECOVERY_MOST_COMPLETE", RecoveryPolicy::kPartialMostComplete}}));
    f.push_back(bool_field(p + "auto-remove-stale-data", KEY(persistence.auto_remove_stale_data)));
}

// The order here is the order of --print-config.
std::vector<Field> build_fields() {
    std::vector<Field> f;
    f.push_back(string_field("cluster-name", KEY(cluster_name), not_empty));
    add_network_fields(f);
    add_join_fields(f);
    add_partition_group_fields(f);
    add_map_fields(f);
    add_persistence_fields(f);
    return f;
}

#undef KEY
#undef MAP_KEY

}  // namespace

const std::vector<Field>& config_fields() {
    static const std::vector<Field> fields = build_fields();
    return fields;
}

const Field* field_at(const std::string& schema_path) {
    for (const Field& f : config_fields()) {
        if (f.path == schema_path) return &f;
    }
    return nullptr;
}

const Field* short_form(const std::string& schema_path) {
    return schema_path == "network.port" ? field_at("network.port.port") : nullptr;
}

bool is_section(const std::string& schema_path) {
    if (schema_path == "map" || schema_path == "properties") return true;
    const std::string prefix = schema_path + ".";
    return std::any_of(config_fields().begin(), config_fields().end(),
                       [&](const Field& f) { return starts_with(f.path, prefix); });
}

std::vector<std::string> keys_under(const std::string& schema_path) {
    std::set<std::string> keys;
    const std::string prefix = schema_path.empty() ? "" : schema_path + ".";
    for (const Field& f : config_fields()) {
        if (!starts_with(f.path, prefix)) continue;
        const std::string rest = f.path.substr(prefix.size());
        keys.insert(rest.substr(0, rest.find('.')));
    }
    if (schema_path.empty()) keys.insert("properties");
    keys.erase("*");  // map names are free
    return {keys.begin(), keys.end()};
}

std::optional<PathMatch> resolve_path(const std::string& dotted) {
    PathMatch match;
    if (starts_with(dotted, "map.")) {
        const auto last_dot = dotted.rfind('.');
        if (last_dot <= 4) return std::nullopt;  // "map.x": a block, not a key
        match.map_name = dotted.substr(4, last_dot - 4);
        match.field = field_at("map.*." + dotted.substr(last_dot + 1));
        match.path = dotted;
    } else if (const Field* shortcut = short_form(dotted)) {
        match.field = shortcut;
        match.path = shortcut->path;
    } else {
        match.field = field_at(dotted);
        match.path = dotted;
    }
    if (match.field == nullptr) return std::nullopt;
    return match;
}

std::vector<std::string> all_paths() {
    std::vector<std::string> paths;
    for (const Field& f : config_fields()) {
        paths.push_back(starts_with(f.path, "map.*.") ? "map.default." + f.path.substr(6) : f.path);
    }
    paths.push_back("network.port");
    return paths;
}

void check_map_name(const std::string& name, const RawValue& where) {
    if (name.empty()) fail_where(where, "map names must not be empty");
    if (!is_printable_text(name)) throw ConfigError(where.where + ": map names must be printable UTF-8 text");
    if (std::count(name.begin(), name.end(), '*') > 1) {
        throw ConfigError(where.where + ": map name pattern '" + name + "' may hold at most one '*'");
    }
    if (name.find('@') != std::string::npos) {
        // Hazelcast reads "orders@key" as map "orders" with partition key "key".
        throw ConfigError(where.where + ": map name '" + name +
                          "' may not hold '@' (a name with '@' is the map "
                          "before it, with a partition key after it)");
    }
}

void apply_field(ConfigState& state, const PathMatch& match, const RawValue& value) {
    const bool map_field = starts_with(match.field->path, "map.*.");
    if (map_field) check_map_name(match.map_name, value);
    match.field->apply(state.config, match.map_name, value);
    state.origins[match.path] = value.where;
    if (map_field) state.origins.emplace("map." + match.map_name, value.where);
}

}  // namespace shoal::config
