// YamlReader: walks the config file into a ConfigState, key by key against the schema, so every
// unknown key, duplicate key, wrong kind of node or bad value fails with file:line:column.
#pragma once

#include <map>
#include <string>

#include "config/config_state.h"

namespace shoal::config {

// Reads `text` (the file's content) into `state`. `file` names it in messages; `variables`
// resolve ${name} placeholders in values, as Hazelcast does with system properties (the
// Hazelcast chart writes `service-name: ${serviceName}` and passes -DserviceName=...).
// Throws ConfigError, also for YAML syntax errors.
void read_yaml(ConfigState& state, const std::string& text, const std::string& file,
               const std::map<std::string, std::string>& variables);

}  // namespace shoal::config
