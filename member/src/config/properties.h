// Properties: `hazelcast.*` and `shoal.*` names with typed values, from the YAML `properties:`
// block, -Dname=value arguments and JAVA_OPTS. Also the property forms of config keys:
// `hz.<path>` / `shoal.<path>` override any key, `hazelcast.kubernetes.<key>` a Kubernetes key.
#pragma once

#include <string>

#include "config/config_schema.h"
#include "config/member_config.h"

namespace shoal::config {

// Applies one property. Throws ConfigError for a bad value or an unknown `shoal.*` name; an
// unknown `hazelcast.*` name is kept in config.properties and reported in config.warnings;
// other names (JVM settings like java.net.preferIPv4Stack) are ignored.
void apply_property(MemberConfig& config, const std::string& name, const RawValue& value);

// Writes the typed properties' effective values into config.properties (for printing).
void record_typed_properties(MemberConfig& config);

// Applies a value to a config path ("network.join.kubernetes.service-name"); false if no such key.
bool apply_config_path(MemberConfig& config, const std::string& path, const RawValue& value);

}  // namespace shoal::config
