#include "config/config_schema.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

namespace shoal::config {
namespace {

template <typename T>
using Access = std::function<T&(MemberConfig&)>;
template <typename T>
using MapAccess = std::function<T&(MapConfig&)>;

Field make_field(std::string path, FieldKind kind, long min = 0, long max = 0) {
    Field f;
    f.path = std::move(path);
    f.kind = kind;
    f.min = min;
    f.max = max;
    return f;
}

RawValue scalar(std::string text) {
    RawValue v;
    v.scalar = std::move(text);
    return v;
}

std::string upper(std::string_view text) {
    std::string out;
    for (char c : text) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    return out;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += sep;
        out += item;
    }
    return out;
}

Field bool_field(std::string path, Access<bool> access) {
    Field f = make_field(std::move(path), FieldKind::kBool);
    f.apply = [access, p = f.path](MemberConfig& c, const std::string&, const RawValue& v) {
        access(c) = parse_bool(v, p);
    };
    f.read = [access](const MemberConfig& c, const std::string&) {
        return scalar(access(const_cast<MemberConfig&>(c)) ? "true" : "false");
    };
    return f;
}

Field int_field(std::string path, Access<int> access, long min, long max) {
    Field f = make_field(std::move(path), FieldKind::kInt, min, max);
    f.apply = [access, p = f.path, min, max](MemberConfig& c, const std::string&, const RawValue& v) {
        access(c) = static_cast<int>(parse_int(v, p, min, max));
    };
    f.read = [access](const MemberConfig& c, const std::string&) {
        return scalar(std::to_string(access(const_cast<MemberConfig&>(c))));
    };
    return f;
}

Field string_field(std::string path, Access<std::string> access) {
    Field f = make_field(std::move(path), FieldKind::kString);
    f.apply = [access, p = f.path](MemberConfig& c, const std::string&, const RawValue& v) {
        if (v.is_list) fail_value(v, p, "must be a single value, not a list");
        access(c) = v.scalar;
    };
    f.read = [access](const MemberConfig& c, const std::string&) {
        return scalar(access(const_cast<MemberConfig&>(c)));
    };
    return f;
}

// A list, also accepted as one comma-separated string (as hazelcast.yaml allows for members).
Field list_field(std::string path, Access<std::vector<std::string>> access) {
    Field f = make_field(std::move(path), FieldKind::kStringList);
    f.apply = [access](MemberConfig& c, const std::string&, const RawValue& v) {
        std::vector<std::string> items = v.list;
        if (!v.is_list) {
            std::string item;
            for (char ch : v.scalar + ",") {
                if (ch == ',') {
                    item.erase(0, item.find_first_not_of(" \t"));
                    item.erase(item.find_last_not_of(" \t") + 1);
                    if (!item.empty()) items.push_back(item);
                    item.clear();
                } else {
                    item.push_back(ch);
                }
            }
        }
        auto& target = access(c);
        target = items;
    };
    f.read = [access](const MemberConfig& c, const std::string&) {
        RawValue v;
        v.is_list = true;
        v.list = access(const_cast<MemberConfig&>(c));
        return v;
    };
    return f;
}

template <typename E>
Field enum_field(std::string path, Access<E> access, std::vector<std::pair<std::string, E>> names) {
    Field f = make_field(std::move(path), FieldKind::kEnum);
    for (const auto& [name, value] : names) f.choices.push_back(name);
    f.apply = [access, names, p = f.path, choices = f.choices](MemberConfig& c, const std::string&,
                                                                const RawValue& v) {
        const std::string chosen = parse_enum(v, p, choices);
        for (const auto& [name, value] : names) {
            if (name == chosen) access(c) = value;
        }
    };
    f.read = [access, names](const MemberConfig& c, const std::string&) {
        const E current = access(const_cast<MemberConfig&>(c));
        for (const auto& [name, value] : names) {
            if (value == current) return scalar(name);
        }
        return scalar("");
    };
    return f;
}

// Keys Hazelcast has and Shoal accepts without acting on them (documented in the README).
Field ignored_field(std::string path) {
    Field f = make_field(std::move(path), FieldKind::kIgnored);
    f.apply = [](MemberConfig&, const std::string&, const RawValue&) {};
    f.read = nullptr;
    return f;
}

MapConfig& map_block(MemberConfig& c, const std::string& name) {
    return name == "default" ? c.map_default : c.maps[name];
}

Field map_int_field(std::string key, MapAccess<int> access, long min, long max) {
    Field f = make_field("map.*." + key, FieldKind::kInt, min, max);
    f.apply = [access, key, min, max](MemberConfig& c, const std::string& map, const RawValue& v) {
        access(map_block(c, map)) = static_cast<int>(parse_int(v, "map." + map + "." + key, min, max));
    };
    f.read = [access](const MemberConfig& c, const std::string& map) {
        return scalar(std::to_string(access(map_block(const_cast<MemberConfig&>(c), map))));
    };
    return f;
}

std::vector<Field> build_fields() {
    using K = KubernetesJoinConfig;
    auto k8s = [](auto member) {
        return [member](MemberConfig& c) -> auto& { return c.network.join.kubernetes.*member; };
    };
    std::vector<Field> f;
    f.push_back(string_field("cluster-name", [](MemberConfig& c) -> std::string& { return c.cluster_name; }));
    f.push_back(int_field("network.port.port", [](MemberConfig& c) -> int& { return c.network.port; }, 1, 65535));
    f.push_back(bool_field("network.port.auto-increment",
                           [](MemberConfig& c) -> bool& { return c.network.port_auto_increment; }));
    f.push_back(int_field("network.port.port-count", [](MemberConfig& c) -> int& { return c.network.port_count; }, 1, 65535));
    f.push_back(string_field("network.public-address",
                             [](MemberConfig& c) -> std::string& { return c.network.public_address; }));
    f.push_back(bool_field("network.interfaces.enabled",
                           [](MemberConfig& c) -> bool& { return c.network.interfaces_enabled; }));
    f.push_back(list_field("network.interfaces.interfaces",
                           [](MemberConfig& c) -> std::vector<std::string>& { return c.network.interfaces; }));
    f.push_back(bool_field("network.rest-api.enabled", [](MemberConfig& c) -> bool& { return c.network.rest_api.enabled; }));
    f.push_back(bool_field("network.rest-api.endpoint-groups.HEALTH_CHECK.enabled",
                           [](MemberConfig& c) -> bool& { return c.network.rest_api.health_check; }));
    f.push_back(bool_field("network.rest-api.endpoint-groups.CLUSTER_READ.enabled",
                           [](MemberConfig& c) -> bool& { return c.network.rest_api.cluster_read; }));
    f.push_back(bool_field("network.rest-api.endpoint-groups.CLUSTER_WRITE.enabled",
                           [](MemberConfig& c) -> bool& { return c.network.rest_api.cluster_write; }));
    f.push_back(bool_field("network.rest-api.endpoint-groups.DATA.enabled",
                           [](MemberConfig& c) -> bool& { return c.network.rest_api.data; }));
    for (const char* group : {"PERSISTENCE", "HOT_RESTART", "WAN", "CP"}) {
        f.push_back(ignored_field(std::string("network.rest-api.endpoint-groups.") + group + ".enabled"));
    }
    f.push_back(bool_field("network.join.multicast.enabled",
                           [](MemberConfig& c) -> bool& { return c.network.join.multicast_enabled; }));
    f.push_back(bool_field("network.join.tcp-ip.enabled", [](MemberConfig& c) -> bool& { return c.network.join.tcp_ip.enabled; }));
    f.push_back(list_field("network.join.tcp-ip.members",
                           [](MemberConfig& c) -> std::vector<std::string>& { return c.network.join.tcp_ip.members; }));
    f.push_back(list_field("network.join.tcp-ip.member-list",
                           [](MemberConfig& c) -> std::vector<std::string>& { return c.network.join.tcp_ip.members; }));
    f.back().read = nullptr;  // an alias of members: printed once, there
    f.push_back(list_field("network.join.tcp-ip.member",
                           [](MemberConfig& c) -> std::vector<std::string>& { return c.network.join.tcp_ip.members; }));
    f.back().read = nullptr;
    f.push_back(int_field("network.join.tcp-ip.connection-timeout-seconds",
                          [](MemberConfig& c) -> int& { return c.network.join.tcp_ip.connection_timeout_seconds; }, 1, 3600));
    const std::string kj = "network.join.kubernetes.";
    f.push_back(bool_field(kj + "enabled", k8s(&K::enabled)));
    f.push_back(string_field(kj + "namespace", k8s(&K::namespace_)));
    f.push_back(string_field(kj + "service-name", k8s(&K::service_name)));
    f.push_back(string_field(kj + "service-label-name", k8s(&K::service_label_name)));
    f.push_back(string_field(kj + "service-label-value", k8s(&K::service_label_value)));
    f.push_back(string_field(kj + "pod-label-name", k8s(&K::pod_label_name)));
    f.push_back(string_field(kj + "pod-label-value", k8s(&K::pod_label_value)));
    f.push_back(string_field(kj + "service-dns", k8s(&K::service_dns)));
    f.push_back(int_field(kj + "service-dns-timeout", k8s(&K::service_dns_timeout_seconds), 1, 3600));
    f.push_back(int_field(kj + "service-port", k8s(&K::service_port), 0, 65535));
    f.push_back(bool_field(kj + "resolve-not-ready-addresses", k8s(&K::resolve_not_ready_addresses)));
    f.push_back(int_field(kj + "kubernetes-api-retries", k8s(&K::kubernetes_api_retries), 0, 100));
    f.push_back(string_field(kj + "kubernetes-master", k8s(&K::kubernetes_master)));
    f.push_back(string_field(kj + "api-token", k8s(&K::api_token)));
    f.push_back(string_field(kj + "ca-certificate", k8s(&K::ca_certificate)));
    for (const char* key : {"expose-externally", "use-node-name-as-external-address",
                            "service-per-pod-label-name", "service-per-pod-label-value"}) {
        f.push_back(ignored_field(kj + key));
    }
    f.push_back(bool_field("partition-group.enabled", [](MemberConfig& c) -> bool& { return c.partition_group_enabled; }));
    f.push_back(enum_field<PartitionGroupType>(
        "partition-group.group-type", [](MemberConfig& c) -> PartitionGroupType& { return c.partition_group; },
        {{"PER_MEMBER", PartitionGroupType::kPerMember},
         {"NODE_AWARE", PartitionGroupType::kNodeAware},
         {"ZONE_AWARE", PartitionGroupType::kZoneAware}}));
    f.push_back(map_int_field("backup-count", [](MapConfig& m) -> int& { return m.backup_count; }, 0, 6));
    f.push_back(map_int_field("async-backup-count", [](MapConfig& m) -> int& { return m.async_backup_count; }, 0, 6));
    f.push_back(map_int_field("time-to-live-seconds", [](MapConfig& m) -> int& { return m.time_to_live_seconds; }, 0,
                              INT32_MAX));
    f.push_back(map_int_field("max-idle-seconds", [](MapConfig& m) -> int& { return m.max_idle_seconds; }, 0, INT32_MAX));
    f.push_back(bool_field("persistence.enabled", [](MemberConfig& c) -> bool& { return c.persistence.enabled; }));
    f.push_back(string_field("persistence.base-dir", [](MemberConfig& c) -> std::string& { return c.persistence.base_dir; }));
    f.push_back(int_field("persistence.validation-timeout-seconds",
                          [](MemberConfig& c) -> int& { return c.persistence.validation_timeout_seconds; }, 1, INT32_MAX));
    f.push_back(int_field("persistence.data-load-timeout-seconds",
                          [](MemberConfig& c) -> int& { return c.persistence.data_load_timeout_seconds; }, 1, INT32_MAX));
    f.push_back(enum_field<RecoveryPolicy>(
        "persistence.cluster-data-recovery-policy",
        [](MemberConfig& c) -> RecoveryPolicy& { return c.persistence.cluster_data_recovery_policy; },
        {{"FULL_RECOVERY_ONLY", RecoveryPolicy::kFullRecoveryOnly},
         {"PARTIAL_RECOVERY_MOST_RECENT", RecoveryPolicy::kPartialMostRecent},
         {"PARTIAL_RECOVERY_MOST_COMPLETE", RecoveryPolicy::kPartialMostComplete}}));
    f.push_back(bool_field("persistence.auto-remove-stale-data",
                           [](MemberConfig& c) -> bool& { return c.persistence.auto_remove_stale_data; }));
    return f;
}

bool is_map_path(const std::vector<std::string>& parts) { return parts.size() >= 2 && parts[0] == "map"; }

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::string part;
    for (char c : path) {
        if (c == '.') {
            parts.push_back(part);
            part.clear();
        } else {
            part.push_back(c);
        }
    }
    parts.push_back(part);
    return parts;
}

}  // namespace

const std::vector<Field>& config_fields() {
    static const std::vector<Field> fields = build_fields();
    return fields;
}

const Field* find_field(const std::string& path, std::string* map_name) {
    std::string lookup = path;
    const auto parts = split_path(path);
    // Map names may contain dots ("com.example.sessions"): the name is everything between
    // "map." and the last part.
    if (is_map_path(parts) && parts.size() >= 3) {
        const std::string name = path.substr(4, path.size() - 4 - parts.back().size() - 1);
        if (map_name != nullptr) *map_name = name;
        lookup = "map.*." + parts.back();
    }
    for (const Field& f : config_fields()) {
        if (f.path == lookup) return &f;
    }
    return nullptr;
}

bool is_section(const std::string& path) {
    if (path == "map" || path == "properties") return true;
    for (const Field& f : config_fields()) {
        if (f.path.size() > path.size() && f.path.compare(0, path.size(), path) == 0 && f.path[path.size()] == '.') {
            return true;
        }
    }
    return false;
}

std::vector<std::string> keys_under(const std::string& section) {
    std::set<std::string> keys;
    const std::string prefix = section.empty() ? "" : section + ".";
    for (const Field& f : config_fields()) {
        if (f.path.compare(0, prefix.size(), prefix) != 0) continue;
        const std::string rest = f.path.substr(prefix.size());
        keys.insert(rest.substr(0, rest.find('.')));
    }
    if (section.empty()) keys.insert("properties");
    if (section.rfind("map.", 0) == 0) {
        for (const Field& f : config_fields()) {
            if (f.path.rfind("map.*.", 0) == 0) keys.insert(f.path.substr(6));
        }
    }
    return {keys.begin(), keys.end()};
}

void fail_value(const RawValue& value, const std::string& what, const std::string& expectation) {
    std::string got = value.is_list ? "a list" : "'" + value.scalar + "'";
    throw ConfigError(value.where + ": '" + what + "' " + expectation + ", got " + got);
}

bool parse_bool(const RawValue& value, const std::string& what) {
    const std::string u = upper(value.scalar);
    if (!value.is_list && u == "TRUE") return true;
    if (!value.is_list && u == "FALSE") return false;
    fail_value(value, what, "must be true or false");
}

long parse_int(const RawValue& value, const std::string& what, long min, long max) {
    long result = 0;
    const std::string& s = value.scalar;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), result);
    if (value.is_list || s.empty() || ec != std::errc() || end != s.data() + s.size() || result < min ||
        result > max) {
        fail_value(value, what, "must be an integer between " + std::to_string(min) + " and " + std::to_string(max));
    }
    return result;
}

std::string parse_enum(const RawValue& value, const std::string& what, const std::vector<std::string>& choices) {
    const std::string u = upper(value.scalar);
    if (!value.is_list && std::find(choices.begin(), choices.end(), u) != choices.end()) return u;
    fail_value(value, what, "must be one of " + join(choices, ", "));
}

}  // namespace shoal::config
