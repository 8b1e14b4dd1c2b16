// EnvOverrides: Hazelcast-style environment variables over the file.
//   HZ_<PATH> / SHOAL_<PATH>: a config key, path parts upper-cased and joined by '_', dashes and
//     underscores inside a part dropped (HZ_NETWORK_JOIN_KUBERNETES_SERVICENAME,
//     HZ_NETWORK_RESTAPI_ENDPOINTGROUPS_HEALTHCHECK_ENABLED, HZ_MAP_DEFAULT_BACKUPCOUNT).
//   HAZELCAST_KUBERNETES_<KEY>: a Kubernetes discovery key (HAZELCAST_KUBERNETES_SERVICE_NAME).
//   SHOAL_LOG_LEVEL: the shoal.log.level property.
// Variables are applied in name order, so SHOAL_* wins over HZ_*, which wins over HAZELCAST_*.
#pragma once

#include <map>
#include <string>

#include "config/config_state.h"

namespace shoal::config {

// Applies the variables with those prefixes; others are not looked at. Throws ConfigError
// naming the variable when one matches no key or holds a bad value.
void apply_environment(ConfigState& state, const std::map<std::string, std::string>& environment);

}  // namespace shoal::config
