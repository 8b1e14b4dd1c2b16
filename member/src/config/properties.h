// Properties: `hazelcast.*` and `shoal.*` names with typed values, from the YAML `properties:`
// block, the environment (SHOAL_LOG_LEVEL), JAVA_OPTS and -Dname=value arguments. Also the
// property forms of config keys: `hz.<path>` / `shoal.<path>` set any key and
// `hazelcast.kubernetes.<key>` a Kubernetes discovery key.
#pragma once

#include <string>
#include <vector>

#include "config/config_state.h"
#include "config/config_values.h"

namespace shoal::config {

enum class PropertySource { kFile, kEnvironment, kCommandLine };

// Applies one property. Throws ConfigError for a bad value, an unknown `shoal.*` name or an
// `hz.*` path that names no key. An unknown `hazelcast.*` name is kept in config.properties and
// reported in config.warnings; other names (JVM settings such as java.net.preferIPv4Stack) are
// ignored, with a warning when they come from the file, where they are more likely a typo.
void apply_property(ConfigState& state, const std::string& name, const RawValue& value, PropertySource source);

// Adds one warning per unsupported hazelcast.* property kept in config.properties, in name
// order, so the warnings do not depend on which source set them.
void warn_unsupported_properties(MemberConfig& config);

// Writes every typed property's effective value into config.properties, for printing.
void record_typed_properties(MemberConfig& config);

// The names of the properties Shoal understands, for suggestions and documentation.
std::vector<std::string> known_property_names();

}  // namespace shoal::config
