#include "config/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>

#include "config/config_schema.h"
#include "config/properties.h"

namespace shoal::config {
namespace {

// yaml-cpp parses recursively; a config nested this deep is a mistake or an attack.
constexpr int kMaxDepth = 32;

std::string location(const std::string& file, const YAML::Mark& mark) {
    if (mark.is_null()) return file;
    return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::string suggestion(const std::string& key, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = 3;  // more than two edits away is no longer a typo
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(key, c);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

class YamlWalker {
public:
    YamlWalker(MemberConfig& config, std::string file) : config_(config), file_(std::move(file)) {}

    void walk_root(const YAML::Node& root) {
        if (!root || root.IsNull()) return;
        if (!root.IsMap()) throw ConfigError(location(file_, root.Mark()) + ": the file must be a map with root key 'shoal' or 'hazelcast'");
        if (root.size() != 1) {
            throw ConfigError(location(file_, root.Mark()) + ": expected exactly one root key, 'shoal' or 'hazelcast'");
        }
        const auto it = root.begin();
        const std::string name = it->first.as<std::string>();
        if (name != "shoal" && name != "hazelcast") {
            throw ConfigError(location(file_, it->first.Mark()) + ": unknown root key '" + name +
                              "': use 'shoal' or 'hazelcast'");
        }
        if (it->second.IsNull()) return;
        walk_section(it->second, "", name, 1);
    }

private:
    void walk_section(const YAML::Node& node, const std::string& path, const std::string& shown, int depth) {
        if (depth > kMaxDepth) throw ConfigError(location(file_, node.Mark()) + ": nesting too deep");
        if (!node.IsMap()) {
            throw ConfigError(location(file_, node.Mark()) + ": '" + shown + "' must be a map of keys");
        }
        for (const auto& item : node) {
            if (!item.first.IsScalar()) throw ConfigError(location(file_, item.first.Mark()) + ": keys must be plain text");
            const std::string key = item.first.as<std::string>();
            const std::string child = path.empty() ? key : path + "." + key;
            walk_key(item.first, item.second, path, child, depth);
        }
    }

    void walk_key(const YAML::Node& key_node, const YAML::Node& value, const std::string& parent,
                  const std::string& path, int depth) {
        const std::string where = location(file_, key_node.Mark());
        if (parent == "properties") {
            apply_property(config_, path.substr(11), raw(value, where, path, depth));
            return;
        }
        if (parent == "map") {  // a map name: its block holds map fields
            if (std::count(path.begin(), path.end(), '*') > 1) {
                throw ConfigError(where + ": map name pattern '" + path.substr(4) + "' may hold at most one '*'");
            }
            if (value.IsNull()) return;
            walk_section(value, path, path, depth + 1);
            return;
        }
        std::string map_name;
        if (const Field* field = find_field(path, &map_name)) {
            if (value.IsMap()) throw ConfigError(where + ": '" + path + "' must be a value, not a map");
            field->apply(config_, map_name, raw(value, location(file_, value.Mark()), path, depth));
            return;
        }
        if (path == "network.port" && value.IsScalar()) {  // `port: 5701`, the short form
            apply_config_path(config_, path, raw(value, location(file_, value.Mark()), path, depth));
            return;
        }
        if (is_section(path)) {
            if (value.IsNull()) return;
            walk_section(value, path, path, depth + 1);
            return;
        }
        const std::string under = parent.empty() ? "the root" : "'" + parent + "'";
        throw ConfigError(where + ": unknown key '" + path.substr(parent.empty() ? 0 : parent.size() + 1) +
                          "' under " + under + suggestion(path.substr(parent.empty() ? 0 : parent.size() + 1),
                                                        keys_under(parent)));
    }

    RawValue raw(const YAML::Node& node, const std::string& where, const std::string& path, int depth) {
        RawValue v;
        v.where = where;
        if (node.IsScalar()) {
            v.scalar = node.Scalar();
        } else if (node.IsSequence()) {
            v.is_list = true;
            for (const auto& item : node) {
                if (!item.IsScalar()) throw ConfigError(location(file_, item.Mark()) + ": '" + path + "' items must be plain values");
                v.list.push_back(item.Scalar());
            }
        } else if (node.IsNull()) {
            v.scalar = "";
        } else {
            throw ConfigError(where + ": '" + path + "' must be a value, not a map");
        }
        (void)depth;
        return v;
    }

    MemberConfig& config_;
    std::string file_;
};

// HZ_NETWORK_JOIN_KUBERNETES_SERVICENAME -> the field whose path normalizes to the same text.
std::string env_form(const std::string& path) {
    std::string out;
    for (char c : path) {
        if (c == '-') continue;
        out.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return out;
}

void apply_environment(MemberConfig& config, const std::map<std::string, std::string>& env) {
    static const std::vector<std::string> kReserved = {"SHOAL_CONFIG", "HZ_LICENSEKEY", "SHOAL_ADDRESS", "SHOAL_LOG_LEVEL"};
    for (const auto& [name, text] : env) {
        RawValue value;
        value.scalar = text;
        value.where = "environment variable " + name;
        if (name == "SHOAL_LOG_LEVEL") {
            apply_property(config, "shoal.log.level", value);
            continue;
        }
        if (name.rfind("HAZELCAST_KUBERNETES_", 0) == 0) {
            std::string key = name.substr(21);
            std::transform(key.begin(), key.end(), key.begin(), [](char c) {
                return c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            });
            if (!apply_config_path(config, "network.join.kubernetes." + key, value)) {
                throw ConfigError(value.where + ": unknown Kubernetes discovery setting '" + key + "'");
            }
            continue;
        }
        std::string rest;
        if (name.rfind("HZ_", 0) == 0) rest = name.substr(3);
        else if (name.rfind("SHOAL_", 0) == 0) rest = name.substr(6);
        else continue;
        if (std::find(kReserved.begin(), kReserved.end(), name) != kReserved.end()) continue;
        bool applied = false;
        for (const Field& field : config_fields()) {
            if (field.path.rfind("map.*.", 0) == 0) {
                const std::string as_default = "map.default." + field.path.substr(6);
                if (env_form(as_default) == rest) {
                    field.apply(config, "default", value);
                    applied = true;
                }
            } else if (env_form(field.path) == rest) {
                field.apply(config, "", value);
                applied = true;
            }
            if (applied) break;
        }
        if (!applied && rest == "NETWORK_PORT") applied = apply_config_path(config, "network.port", value);
        if (!applied) throw ConfigError(value.where + ": matches no configuration key");
    }
}

void check_map(const std::string& name, const MapConfig& map) {
    if (map.backup_count + map.async_backup_count > 6) {
        throw ConfigError("map '" + name + "': backup-count + async-backup-count must be at most 6, got " +
                          std::to_string(map.backup_count + map.async_backup_count));
    }
}

void check_consistency(const MemberConfig& c) {
    const auto& k = c.network.join.kubernetes;
    const int selectors = !k.service_name.empty() + !k.service_label_name.empty() + !k.pod_label_name.empty();
    if (selectors > 1) {
        throw ConfigError("network.join.kubernetes: service-name, service-label-name and pod-label-name "
                          "select members in different ways; set at most one");
    }
    if (!k.service_dns.empty() && selectors > 0) {
        throw ConfigError("network.join.kubernetes: service-dns (DNS discovery) cannot be combined with "
                          "service-name, service-label-name or pod-label-name (Kubernetes API discovery)");
    }
    if (k.enabled && c.network.join.tcp_ip.enabled) {
        throw ConfigError("network.join: kubernetes and tcp-ip are both enabled; enable one join method");
    }
    if (c.network.join.multicast_enabled) {
        throw ConfigError("network.join.multicast: multicast discovery is not supported (it does not work "
                          "on Kubernetes networks); use kubernetes or tcp-ip");
    }
    check_map("default", c.map_default);
    for (const auto& [name, map] : c.maps) check_map(name, map);
}

}  // namespace

MemberConfig load_config(const ConfigSources& sources) {
    MemberConfig config;
    const std::string file = sources.yaml_name.empty() ? "config" : sources.yaml_name;
    try {
        if (!sources.yaml_text.empty()) YamlWalker(config, file).walk_root(YAML::Load(sources.yaml_text));
    } catch (const YAML::Exception& e) {
        throw ConfigError(location(file, e.mark) + ": " + e.msg);
    }
    apply_environment(config, sources.environment);
    for (const std::string& item : sources.properties) {
        const auto eq = item.find('=');
        RawValue value;
        const std::string name = item.substr(0, eq);
        value.scalar = eq == std::string::npos ? "true" : item.substr(eq + 1);
        value.where = "property " + name;
        apply_property(config, name, value);
    }
    check_consistency(config);
    return config;
}

std::vector<std::string> properties_from_java_opts(std::string_view java_opts) {
    std::vector<std::string> tokens;
    std::string current;
    bool in_token = false;
    char quote = 0;
    for (char c : java_opts) {
        if (quote != 0) {
            if (c == quote) quote = 0;
            else current.push_back(c);
        } else if (c == '"' || c == '\'') {
            quote = c;
            in_token = true;
        } else if (std::isspace(static_cast<unsigned char>(c))) {
            if (in_token) tokens.push_back(current);
            current.clear();
            in_token = false;
        } else {
            current.push_back(c);
            in_token = true;
        }
    }
    if (in_token) tokens.push_back(current);
    std::vector<std::string> properties;
    for (const auto& token : tokens) {
        if (token.rfind("-D", 0) != 0 || token.size() < 3) continue;
        std::string property = token.substr(2);
        if (property.find('=') == std::string::npos) property += "=true";
        properties.push_back(property);
    }
    return properties;
}

}  // namespace shoal::config
