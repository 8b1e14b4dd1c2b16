#include "config/properties.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <functional>
#include <map>

#include "config/config_loader.h"
#include "config/config_schema.h"

namespace shoal::config {
namespace {

struct TypedProperty {
    // Parses and stores the value; returns the text to keep in config.properties (canonical, so
    // later modules can read it without parsing again), or empty to keep nothing (aliases).
    std::function<std::string(MemberConfig&, const RawValue&)> apply;
    // The effective value for --print-config; null: print what was kept.
    std::function<std::string(const MemberConfig&)> read;
};

// Integer properties that later modules read from config.properties, with their lower bounds.
const std::pair<const char*, long> kIntegerProperties[] = {
    {"hazelcast.stale.join.prevention.duration.seconds", 0},
    {"hazelcast.heartbeat.interval.seconds", 1},       {"hazelcast.max.no.heartbeat.seconds", 1},
    {"hazelcast.merge.first.run.delay.seconds", 0},    {"hazelcast.merge.next.run.delay.seconds", 0},
    {"hazelcast.partition.backup.sync.interval", 1},
};

constexpr std::string_view kLogLevels = "must be one of debug, info, warn, error";

std::string bool_text(bool b) {
    return b ? "true" : "false";
}

// An integer property stored in a typed field; Field is int, long or a std::chrono duration.
template <typename Access>
TypedProperty integer(Access access, long min, long max) {
    return {[access, min, max](MemberConfig& c, const RawValue& v) {
                using Stored = std::remove_reference_t<decltype(access(c))>;
                const long parsed = parse_int(v, min, max);
                access(c) = Stored(parsed);
                return std::to_string(parsed);
            },
            [access](const MemberConfig& c) {
                const auto& value = access(c);
                if constexpr (requires { value.count(); }) {
                    return std::to_string(value.count());
                } else {
                    return std::to_string(value);
                }
            }};
}

template <typename Access>
TypedProperty boolean(Access access) {
    return {[access](MemberConfig& c, const RawValue& v) { return bool_text(access(c) = parse_bool(v)); },
            [access](const MemberConfig& c) { return bool_text(access(c)); }};
}

TypedProperty local_address() {
    return {[](MemberConfig& c, const RawValue& v) {
                const std::string& text = parse_scalar(v);
                if (!text.empty() && !is_ip_literal(text)) fail_value(v, "must be an IPv4 or IPv6 address");
                return c.local_address = text;
            },
            [](const MemberConfig& c) { return c.local_address; }};
}

TypedProperty shutdown_policy() {
    return {[](MemberConfig& c, const RawValue& v) {
                const std::string policy = parse_enum(v, {"TERMINATE", "GRACEFUL"});
                c.shutdown_policy = policy == "GRACEFUL" ? ShutdownPolicy::kGraceful : ShutdownPolicy::kTerminate;
                return policy;
            },
            [](const MemberConfig& c) {
                return std::string(c.shutdown_policy == ShutdownPolicy::kGraceful ? "GRACEFUL" : "TERMINATE");
            }};
}

// auto | true | false, kept as nullopt | true | false.
TypedProperty auto_or_boolean(std::optional<bool> MemberConfig::*field) {
    return {[field](MemberConfig& c, const RawValue& v) {
                const std::string text = parse_enum(v, {"AUTO", "TRUE", "FALSE"});
                c.*field = text == "AUTO" ? std::nullopt : std::optional<bool>(text == "TRUE");
                return to_lower(text);
            },
            [field](const MemberConfig& c) { return (c.*field) ? bool_text(*(c.*field)) : std::string("auto"); }};
}

TypedProperty auto_cluster_state_strategy() {
    return {[](MemberConfig& c, const RawValue& v) {
                if (!v.is_list && !v.is_map && to_upper(v.text) == "ACTIVE") {
                    fail_value(v,
                               "must be NO_MIGRATION or FROZEN: ACTIVE would let partitions migrate while a "
                               "member restarts, which is what the automatic cluster state is there to prevent");
                }
                const std::string strategy = parse_enum(v, {"NO_MIGRATION", "FROZEN"});
                c.auto_cluster_state_strategy =
                    strategy == "FROZEN" ? AutoClusterStateStrategy::kFrozen : AutoClusterStateStrategy::kNoMigration;
                return strategy;
            },
            [](const MemberConfig& c) {
                return std::string(c.auto_cluster_state_strategy == AutoClusterStateStrategy::kFrozen ? "FROZEN"
                                                                                                      : "NO_MIGRATION");
            }};
}

TypedProperty fsync_policy() {
    static const std::vector<std::string> names = {"EVERY_WRITE", "BATCHED", "NEVER"};
    return {[](MemberConfig& c, const RawValue& v) {
                const std::string name = parse_enum(v, names);
                c.persistence.fsync = static_cast<FsyncPolicy>(std::find(names.begin(), names.end(), name) - names.begin());
                return name;
            },
            [](const MemberConfig& c) { return names[static_cast<std::size_t>(c.persistence.fsync)]; }};
}

// shoal.log.level takes Shoal's four names; hazelcast.logging.level, an alias kept for
// Hazelcast habits, also takes the java.util.logging and log4j names Hazelcast users write.
TypedProperty log_level(bool hazelcast_names) {
    TypedProperty p;
    p.apply = [hazelcast_names](MemberConfig& c, const RawValue& v) {
        const std::string& text = parse_scalar(v);
        std::string level = canonical_log_level(text);
        if (!hazelcast_names && level != to_lower(text)) level.clear();
        if (level.empty()) fail_value(v, kLogLevels);
        c.log_level = level;
        return hazelcast_names ? std::string() : level;
    };
    if (!hazelcast_names) p.read = [](const MemberConfig& c) { return c.log_level; };
    return p;
}

// A free-text property stored in a typed field (e.g. a node or zone name).
template <typename Access>
TypedProperty text(Access access) {
    return {[access](MemberConfig& c, const RawValue& v) { return access(c) = parse_scalar(v); },
            [access](const MemberConfig& c) { return access(c); }};
}

// Validated here, kept as canonical text for the modules that read them.
TypedProperty stored_integer(long min) {
    return {[min](MemberConfig&, const RawValue& v) { return std::to_string(parse_int(v, min, INT_MAX)); }, nullptr};
}

// One generic accessor serves applying (MemberConfig&) and printing (const MemberConfig&).
#define FIELD(member)      \
    [](auto& c) -> auto& { \
        return c.member;   \
    }

std::map<std::string, TypedProperty> build_typed() {
    std::map<std::string, TypedProperty> t;
    t["hazelcast.partition.count"] = integer(FIELD(partition_count), 1, 65535);
    t["hazelcast.local.localAddress"] = local_address();
    t["hazelcast.shutdownhook.policy"] = shutdown_policy();
    t["hazelcast.shutdownhook.enabled"] = boolean(FIELD(shutdown_hook_enabled));
    t["hazelcast.graceful.shutdown.max.wait"] = integer(FIELD(graceful_shutdown_max_wait), 1, INT_MAX);
    t["hazelcast.cluster.shutdown.timeout.seconds"] = integer(FIELD(cluster_shutdown_timeout), 0, INT_MAX);
    t["hazelcast.io.thread.count"] = integer(FIELD(io_thread_count), 0, 1024);
    t["hazelcast.partition.operation.thread.count"] = integer(FIELD(partition_thread_count), 0, 1024);
    t["shoal.partition.operations-on-io-threads"] = auto_or_boolean(&MemberConfig::operations_on_io_threads);
    t["hazelcast.partition.group.node"] = text(FIELD(placement_node));
    t["hazelcast.partition.group.zone"] = text(FIELD(placement_zone));
    t["shoal.log.level"] = log_level(false);
    t["hazelcast.logging.level"] = log_level(true);
    t["shoal.http.max-header-bytes"] = integer(FIELD(http.max_header_bytes), 512, 1L << 20);
    t["shoal.http.max-body-bytes"] = integer(FIELD(http.max_body_bytes), 1, 1L << 30);
    t["shoal.http.read-timeout-ms"] = integer(FIELD(http.read_timeout), 10, 3'600'000);
    t["shoal.http.idle-timeout-ms"] = integer(FIELD(http.idle_timeout), 10, 3'600'000);
    t["hazelcast.persistence.auto.cluster.state"] = boolean(FIELD(auto_cluster_state));
    t["hazelcast.persistence.auto.cluster.state.strategy"] = auto_cluster_state_strategy();
    t["shoal.persistence.fsync"] = fsync_policy();
    t["shoal.persistence.fsync-interval-ms"] = integer(FIELD(persistence.fsync_interval), 1, 60'000);
    for (const auto& [name, min] : kIntegerProperties) t[name] = stored_integer(min);
    return t;
}

#undef FIELD

const std::map<std::string, TypedProperty>& typed() {
    static const auto table = build_typed();
    return table;
}

void apply_path(ConfigState& state, const PathMatch& match, RawValue value) {
    if (value.key.empty()) value.key = match.path == "network.port.port" ? "network.port" : match.path;
    apply_field(state, match, value);
}

std::vector<std::string> kubernetes_keys() {
    std::vector<std::string> keys;
    for (const std::string& path : all_paths()) {
        if (starts_with(path, "network.join.kubernetes.")) keys.push_back(path.substr(24));
    }
    return keys;
}

void apply_kubernetes_property(ConfigState& state, const std::string& key, const RawValue& value) {
    const auto match = resolve_path("network.join.kubernetes." + key);
    if (!match) {
        fail_where(value, "unknown Kubernetes discovery setting '" + key + "'" + did_you_mean(key, kubernetes_keys()));
    }
    apply_path(state, *match, value);
}

// `hz.<path>` and (when no Shoal property has the name) `shoal.<path>` set a config key.
bool apply_path_property(ConfigState& state, const std::string& path, const RawValue& value) {
    const auto match = resolve_path(path);
    if (!match) return false;
    apply_path(state, *match, value);
    return true;
}

std::vector<std::string> shoal_names() {
    std::vector<std::string> names;
    for (const std::string& name : known_property_names()) {
        if (starts_with(name, "shoal.")) names.push_back(name);
    }
    for (const std::string& path : all_paths()) names.push_back("shoal." + path);
    return names;
}

std::vector<std::string> hz_names() {
    std::vector<std::string> names;
    for (const std::string& path : all_paths()) names.push_back("hz." + path);
    return names;
}

void add_warning(MemberConfig& config, std::string warning) {
    if (std::find(config.warnings.begin(), config.warnings.end(), warning) == config.warnings.end()) {
        config.warnings.push_back(std::move(warning));
    }
}

}  // namespace

void apply_property(ConfigState& state, const std::string& name, const RawValue& value, PropertySource source) {
    if (const auto it = typed().find(name); it != typed().end()) {
        const std::string kept = it->second.apply(state.config, value);
        if (!kept.empty()) state.config.properties[name] = kept;
        state.origins[name] = value.where;
    } else if (starts_with(name, "hazelcast.kubernetes.")) {
        apply_kubernetes_property(state, name.substr(21), value);
    } else if (starts_with(name, "hz.")) {
        if (!apply_path_property(state, name.substr(3), value)) {
            fail_where(value, "'" + name + "' names no configuration key" + did_you_mean(name, hz_names()));
        }
    } else if (starts_with(name, "shoal.")) {
        if (!apply_path_property(state, name.substr(6), value)) {
            fail_where(value, "unknown property '" + name + "': neither a Shoal property nor a configuration key" +
                                  did_you_mean(name, shoal_names()));
        }
    } else if (starts_with(name, "hazelcast.")) {
        if (!is_printable_text(name)) fail_where(value, "property names must be printable UTF-8 text");
        state.config.properties[name] = parse_scalar(value);  // warned about once loaded
    } else if (source == PropertySource::kFile) {
        add_warning(state.config, value.where + ": property '" + name +
                                      "' is not a hazelcast.*, shoal.* or hz.* property and is ignored");
    }
    // Anything else from the command line (java.*, jdk.*) is a JVM setting: nothing to do.
}

void warn_unsupported_properties(MemberConfig& config) {
    for (const auto& [name, value] : config.properties) {
        if (!typed().contains(name))
            add_warning(config, "property " + name + " is not supported by Shoal and is ignored");
    }
}

void record_typed_properties(MemberConfig& config) {
    for (const auto& [name, property] : typed()) {
        if (property.read) config.properties[name] = property.read(config);
    }
}

std::vector<std::string> known_property_names() {
    std::vector<std::string> names;
    for (const auto& [name, property] : typed()) names.push_back(name);
    return names;
}

}  // namespace shoal::config

namespace shoal::config {
namespace {

// Shell-like words: whitespace separates, '...' and "..." quote (without escapes), as the
// JAVA_OPTS of container images and charts are written.
std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    std::string current;
    bool in_word = false;
    char quote = 0;
    for (char c : text) {
        if (quote != 0) {
            if (c == quote)
                quote = 0;
            else
                current.push_back(c);
        } else if (c == '"' || c == '\'') {
            quote = c;
            in_word = true;
        } else if (std::isspace(static_cast<unsigned char>(c))) {
            if (in_word) words.push_back(std::move(current));
            current.clear();
            in_word = false;
        } else {
            current.push_back(c);
            in_word = true;
        }
    }
    if (in_word) words.push_back(std::move(current));
    return words;
}

}  // namespace

std::vector<std::string> properties_from_java_opts(std::string_view java_opts) {
    std::vector<std::string> properties;
    for (const std::string& word : split_words(java_opts)) {
        if (!starts_with(word, "-D") || word.size() < 3 || word[2] == '=') continue;
        const std::string property = word.substr(2);
        properties.push_back(property.find('=') == std::string::npos ? property + "=true" : property);
    }
    return properties;
}

}  // namespace shoal::config
