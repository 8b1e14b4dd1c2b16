#include "config/properties.h"

#include <chrono>
#include <functional>
#include <map>

#include "util/log.h"

namespace shoal::config {
namespace {

struct TypedProperty {
    std::function<void(MemberConfig&, const std::string& name, const RawValue&)> apply;
    std::function<std::string(const MemberConfig&)> read;  // null: kept only in the map
};

// Properties later modules read from config.properties; validated here as integers >= 0.
const char* const kIntegerProperties[] = {
    "hazelcast.cluster.shutdown.timeout.seconds",  "hazelcast.stale.join.prevention.duration.seconds",
    "hazelcast.heartbeat.interval.seconds",        "hazelcast.max.no.heartbeat.seconds",
    "hazelcast.merge.first.run.delay.seconds",     "hazelcast.merge.next.run.delay.seconds",
};

bool is_ip_literal(const std::string& text) {
    if (text.empty()) return false;
    if (text.find(':') != std::string::npos) {
        return text.find_first_not_of("0123456789abcdefABCDEF:.") == std::string::npos;
    }
    int dots = 0;
    int digits = 0;
    for (char c : text) {
        if (c == '.') {
            if (digits == 0) return false;
            ++dots;
            digits = 0;
        } else if (c >= '0' && c <= '9') {
            if (++digits > 3) return false;
        } else {
            return false;
        }
    }
    return dots == 3 && digits > 0;
}

std::map<std::string, TypedProperty> build_typed() {
    std::map<std::string, TypedProperty> t;
    t["hazelcast.partition.count"] = {
        [](MemberConfig& c, const std::string& n, const RawValue& v) { c.partition_count = static_cast<int>(parse_int(v, n, 1, 65535)); },
        [](const MemberConfig& c) { return std::to_string(c.partition_count); }};
    t["hazelcast.local.localAddress"] = {
        [](MemberConfig& c, const std::string& n, const RawValue& v) {
            if (!v.scalar.empty() && !is_ip_literal(v.scalar)) fail_value(v, n, "must be an IPv4 or IPv6 address");
            c.local_address = v.scalar;
        },
        [](const MemberConfig& c) { return c.local_address; }};
    t["hazelcast.shutdownhook.policy"] = {
        [](MemberConfig& c, const std::string& n, const RawValue& v) {
            c.shutdown_policy = parse_enum(v, n, {"TERMINATE", "GRACEFUL"}) == "GRACEFUL" ? ShutdownPolicy::kGraceful
                                                                                          : ShutdownPolicy::kTerminate;
        },
        [](const MemberConfig& c) { return c.shutdown_policy == ShutdownPolicy::kGraceful ? "GRACEFUL" : "TERMINATE"; }};
    t["hazelcast.shutdownhook.enabled"] = {
        [](MemberConfig&, const std::string& n, const RawValue& v) { parse_bool(v, n); }, nullptr};
    t["hazelcast.graceful.shutdown.max.wait"] = {
        [](MemberConfig& c, const std::string& n, const RawValue& v) {
            c.graceful_shutdown_max_wait = std::chrono::seconds(parse_int(v, n, 1, 86400 * 7));
        },
        [](const MemberConfig& c) { return std::to_string(c.graceful_shutdown_max_wait.count()); }};
    t["hazelcast.io.thread.count"] = {
        [](MemberConfig& c, const std::string& n, const RawValue& v) { c.io_thread_count = static_cast<int>(parse_int(v, n, 0, 1024)); },
        [](const MemberConfig& c) { return std::to_string(c.io_thread_count); }};
    t["hazelcast.partition.operation.thread.count"] = {
        [](MemberConfig& c, const std::string& n, const RawValue& v) {
            c.partition_thread_count = static_cast<int>(parse_int(v, n, 0, 1024));
        },
        [](const MemberConfig& c) { return std::to_string(c.partition_thread_count); }};
    auto log_level = [](MemberConfig& c, const std::string& n, const RawValue& v) {
        util::LogLevel level;
        if (v.is_list || !util::parse_log_level(v.scalar, level)) fail_value(v, n, "must be one of debug, info, warn, error");
        c.log_level = v.scalar;
    };
    t["shoal.log.level"] = {log_level, [](const MemberConfig& c) { return c.log_level; }};
    t["hazelcast.logging.level"] = {log_level, nullptr};
    t["shoal.http.max-header-bytes"] = {
        [](MemberConfig& c, const std::string& n, const RawValue& v) {
            c.http.max_header_bytes = static_cast<std::size_t>(parse_int(v, n, 512, 1 << 20));
        },
        [](const MemberConfig& c) { return std::to_string(c.http.max_header_bytes); }};
    t["shoal.http.max-body-bytes"] = {
        [](MemberConfig& c, const std::string& n, const RawValue& v) {
            c.http.max_body_bytes = static_cast<std::size_t>(parse_int(v, n, 1, 1L << 30));
        },
        [](const MemberConfig& c) { return std::to_string(c.http.max_body_bytes); }};
    t["shoal.http.read-timeout-ms"] = {
        [](MemberConfig& c, const std::string& n, const RawValue& v) {
            c.http.read_timeout = std::chrono::milliseconds(parse_int(v, n, 10, 3'600'000));
        },
        [](const MemberConfig& c) { return std::to_string(c.http.read_timeout.count()); }};
    t["shoal.http.idle-timeout-ms"] = {
        [](MemberConfig& c, const std::string& n, const RawValue& v) {
            c.http.idle_timeout = std::chrono::milliseconds(parse_int(v, n, 10, 3'600'000));
        },
        [](const MemberConfig& c) { return std::to_string(c.http.idle_timeout.count()); }};
    t["hazelcast.persistence.auto.cluster.state"] = {
        [](MemberConfig&, const std::string& n, const RawValue& v) { parse_bool(v, n); }, nullptr};
    t["hazelcast.persistence.auto.cluster.state.strategy"] = {
        [](MemberConfig&, const std::string& n, const RawValue& v) {
            if (!v.is_list && (v.scalar == "ACTIVE" || v.scalar == "active")) {
                fail_value(v, n, "must be NO_MIGRATION or FROZEN (ACTIVE would rebalance partitions whenever "
                                 "a member restarts, which automatic cluster state exists to avoid)");
            }
            parse_enum(v, n, {"NO_MIGRATION", "FROZEN"});
        },
        nullptr};
    for (const char* name : kIntegerProperties) {
        t[name] = {[](MemberConfig&, const std::string& n, const RawValue& v) { parse_int(v, n, 0, INT32_MAX); }, nullptr};
    }
    return t;
}

const std::map<std::string, TypedProperty>& typed() {
    static const auto table = build_typed();
    return table;
}

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

bool apply_config_path(MemberConfig& config, const std::string& path, const RawValue& value) {
    std::string map_name;
    const Field* field = find_field(path, &map_name);
    if (field == nullptr && path == "network.port") field = find_field("network.port.port");
    if (field == nullptr) return false;
    field->apply(config, map_name, value);
    return true;
}

void apply_property(MemberConfig& config, const std::string& name, const RawValue& value) {
    if (value.is_list) fail_value(value, name, "must be a single value");
    if (auto it = typed().find(name); it != typed().end()) {
        it->second.apply(config, name, value);
        config.properties[name] = value.scalar;
        return;
    }
    if (starts_with(name, "hazelcast.kubernetes.")) {
        const std::string key = name.substr(std::string_view("hazelcast.kubernetes.").size());
        if (!apply_config_path(config, "network.join.kubernetes." + key, value)) {
            throw ConfigError(value.where + ": unknown Kubernetes discovery setting '" + key + "'");
        }
        return;
    }
    for (std::string_view prefix : {"hz.", "shoal."}) {
        if (starts_with(name, prefix)) {
            if (apply_config_path(config, name.substr(prefix.size()), value)) return;
            if (prefix == "shoal.") throw ConfigError(value.where + ": unknown property '" + name + "'");
            throw ConfigError(value.where + ": '" + name + "' names no configuration key");
        }
    }
    if (starts_with(name, "hazelcast.")) {
        config.properties[name] = value.scalar;
        config.warnings.push_back("property " + name + " is not supported by Shoal and is ignored");
    }
    // Anything else (java.*, jdk.*) is a JVM setting: nothing to do for a native member.
}

void record_typed_properties(MemberConfig& config) {
    for (const auto& [name, property] : typed()) {
        if (property.read) config.properties[name] = property.read(config);
    }
}

}  // namespace shoal::config
