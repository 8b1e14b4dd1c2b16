#include "config/member_config.h"

namespace shoal::config {
namespace {

// A pattern with one '*' matches names that start with the part before it and end with the
// part after it, the two parts not overlapping.
bool wildcard_matches(const std::string& pattern, const std::string& name) {
    const auto star = pattern.find('*');
    if (star == std::string::npos) return false;
    const std::size_t prefix = star;
    const std::size_t suffix = pattern.size() - star - 1;
    return name.size() >= prefix + suffix && name.compare(0, prefix, pattern, 0, prefix) == 0 &&
           name.compare(name.size() - suffix, suffix, pattern, star + 1, suffix) == 0;
}

}  // namespace

const MapConfig& MemberConfig::map_config(const std::string& map_name) const {
    // Hazelcast configures a partition-aware name "orders@key" as "orders".
    const std::string name = map_name.substr(0, map_name.find('@'));
    if (const auto exact = maps.find(name); exact != maps.end()) return exact->second;
    // Hazelcast's rule: the matching pattern with the most fixed characters wins; on a tie (see
    // the warning at load) the first pattern in name order.
    const MapConfig* best = nullptr;
    std::size_t best_length = 0;
    for (const auto& [pattern, map] : maps) {
        if (wildcard_matches(pattern, name) && (best == nullptr || pattern.size() > best_length)) {
            best = &map;
            best_length = pattern.size();
        }
    }
    return best != nullptr ? *best : map_default;
}

}  // namespace shoal::config
