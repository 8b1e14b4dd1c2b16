#include "config/member_config.h"

namespace shoal::config {
namespace {

// Hazelcast's wildcard rule: '*' matches any run of characters; the longest matching pattern wins.
bool wildcard_matches(const std::string& pattern, const std::string& name) {
    const auto star = pattern.find('*');
    if (star == std::string::npos) return pattern == name;
    const std::string prefix = pattern.substr(0, star);
    const std::string suffix = pattern.substr(star + 1);
    return name.size() >= prefix.size() + suffix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

const MapConfig& MemberConfig::map_config(const std::string& map_name) const {
    if (auto exact = maps.find(map_name); exact != maps.end()) return exact->second;
    const MapConfig* best = nullptr;
    std::size_t best_length = 0;
    for (const auto& [pattern, map] : maps) {
        if (pattern.find('*') != std::string::npos && wildcard_matches(pattern, map_name) &&
            (best == nullptr || pattern.size() > best_length)) {
            best = &map;
            best_length = pattern.size();
        }
    }
    return best != nullptr ? *best : map_default;
}

}  // namespace shoal::config
