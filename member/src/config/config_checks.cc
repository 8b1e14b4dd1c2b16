#include "config/config_checks.h"

#include <utility>
#include <vector>

#include "config/config_loader.h"

namespace shoal::config {
namespace {

const std::string kKubernetes = "network.join.kubernetes.";

// Where `path` was set, to start a message; "configuration" when it kept its default.
std::string at(const ConfigState& state, const std::string& path) {
    const std::string where = state.origin(path);
    return where.empty() ? "configuration" : where;
}

std::string set_at(const ConfigState& state, const std::string& path) {
    const std::string where = state.origin(path);
    return where.empty() ? "" : " (set at " + where + ")";
}

void check_kubernetes(const ConfigState& state) {
    const auto& k = state.config.network.join.kubernetes;
    std::vector<std::string> selectors;
    if (!k.service_name.empty()) selectors.push_back("service-name");
    if (!k.service_label_name.empty()) selectors.push_back("service-label-name");
    if (!k.pod_label_name.empty()) selectors.push_back("pod-label-name");
    if (selectors.size() > 1) {
        throw ConfigError(at(state, kKubernetes + selectors[1]) + ": '" + kKubernetes + selectors[1] +
                          "' cannot be combined with '" + selectors[0] + "'" +
                          set_at(state, kKubernetes + selectors[0]) +
                          ": service-name, service-label-name and pod-label-name select members in different ways; "
                          "set at most one");
    }
    if (!k.service_dns.empty() && !selectors.empty()) {
        throw ConfigError(at(state, kKubernetes + "service-dns") + ": '" + kKubernetes +
                          "service-dns' (DNS lookup) cannot be combined with '" + selectors[0] + "'" +
                          set_at(state, kKubernetes + selectors[0]) + " (Kubernetes API lookup); use one of the two");
    }
}

void check_join(const ConfigState& state) {
    const auto& join = state.config.network.join;
    if (join.kubernetes.enabled && join.tcp_ip.enabled) {
        throw ConfigError(at(state, "network.join.tcp-ip.enabled") +
                          ": 'network.join.tcp-ip.enabled' and 'network.join.kubernetes.enabled'" +
                          set_at(state, kKubernetes + "enabled") + " are both true; enable one join method");
    }
}

void check_interfaces(const ConfigState& state) {
    const auto& network = state.config.network;
    if (network.interfaces_enabled && network.interfaces.empty()) {
        throw ConfigError(at(state, "network.interfaces.enabled") +
                          ": 'network.interfaces.enabled' is true but 'network.interfaces.interfaces' lists no "
                          "interface to bind to");
    }
}

void check_map(const ConfigState& state, const std::string& name, const MapConfig& map) {
    if (map.backup_count + map.async_backup_count <= 6) return;
    const std::string prefix = "map." + name + ".";
    const std::string key =
        state.origin(prefix + "async-backup-count").empty() ? prefix + "backup-count" : prefix + "async-backup-count";
    throw ConfigError(at(state, key) + ": map '" + name +
                      "': backup-count + async-backup-count must be at most 6, got " +
                      std::to_string(map.backup_count) + " + " + std::to_string(map.async_backup_count));
}

// Two wildcard patterns of the same length that can match one name leave Hazelcast unable to
// choose (it fails the lookup); Shoal takes the first in name order and says so up front.
// "A*B" and "C*D" share a name exactly when one prefix starts the other and one suffix ends the other.
void warn_ambiguous_patterns(ConfigState& state) {
    std::vector<std::pair<std::string, std::string>> patterns;  // prefix, suffix
    std::vector<std::string> names;
    for (const auto& [name, map] : state.config.maps) {
        const auto star = name.find('*');
        if (star == std::string::npos) continue;
        patterns.emplace_back(name.substr(0, star), name.substr(star + 1));
        names.push_back(name);
    }
    auto prefix_compatible = [](const std::string& a, const std::string& b) {
        return a.compare(0, b.size(), b) == 0 || b.compare(0, a.size(), a) == 0;
    };
    auto suffix_compatible = [](const std::string& a, const std::string& b) {
        const std::string& longer = a.size() >= b.size() ? a : b;
        const std::string& shorter = a.size() >= b.size() ? b : a;
        return longer.compare(longer.size() - shorter.size(), shorter.size(), shorter) == 0;
    };
    for (std::size_t i = 0; i < patterns.size(); ++i) {
        for (std::size_t j = i + 1; j < patterns.size(); ++j) {
            const auto& [p1, s1] = patterns[i];
            const auto& [p2, s2] = patterns[j];
            if (names[i].size() != names[j].size() || !prefix_compatible(p1, p2) || !suffix_compatible(s1, s2))
                continue;
            const std::string example = (p1.size() >= p2.size() ? p1 : p2) + (s1.size() >= s2.size() ? s1 : s2);
            state.config.warnings.push_back("map patterns '" + names[i] + "' and '" + names[j] +
                                            "' match some names equally well (e.g. '" + example + "'); Shoal uses '" +
                                            names[i] + "' for them, where Hazelcast would reject the name");
        }
    }
}

void warn_lonely_tcp_ip(ConfigState& state) {
    const auto& tcp_ip = state.config.network.join.tcp_ip;
    if (tcp_ip.enabled && tcp_ip.members.empty()) {
        state.config.warnings.push_back(
            "tcp-ip join is enabled but lists no members: this member will only "
            "find members that connect to it");
    }
}

}  // namespace

void check_consistency(ConfigState& state) {
    check_kubernetes(state);
    check_join(state);
    check_interfaces(state);
    check_map(state, "default", state.config.map_default);
    for (const auto& [name, map] : state.config.maps) check_map(state, name, map);
    warn_ambiguous_patterns(state);
    warn_lonely_tcp_ip(state);
}

}  // namespace shoal::config
