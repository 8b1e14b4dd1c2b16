// ConfigState: the MemberConfig being built, plus where each key got its value, so a check that
// spans keys (two Kubernetes selectors, backups over 6) can point at the line that set them.
#pragma once

#include <map>
#include <string>

#include "config/member_config.h"

namespace shoal::config {

struct ConfigState {
    MemberConfig config;
    // Dotted key path ("network.join.kubernetes.service-name", "map.orders.backup-count", or
    // "map.orders" for a block) -> the `where` of the value that set it last.
    std::map<std::string, std::string> origins;

    // The recorded origin of `path`, or empty.
    std::string origin(const std::string& path) const {
        const auto it = origins.find(path);
        return it == origins.end() ? std::string() : it->second;
    }
};

}  // namespace shoal::config
