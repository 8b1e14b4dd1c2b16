// Config sources of a member process: where shoal-member (and the embedded app, which starts a
// member exactly as shoal-member does) finds its configuration. The file comes from --config,
// then $SHOAL_CONFIG, then -Dhazelcast.config (as the Hazelcast image is started), then
// /etc/shoal/shoal.yaml when present; then the environment; then -D properties, read from
// JAVA_OPTS first and the command line last.
#pragma once

#include <map>
#include <string>

#include "app/command_line.h"
#include "config/member_config.h"

namespace shoal::app {

// This process's environment as a map.
std::map<std::string, std::string> process_environment();

// The validated config; throws config::ConfigError naming the file, key and line.
config::MemberConfig load_member_config(const CommandLine& command_line,
                                        const std::map<std::string, std::string>& environment);

}  // namespace shoal::app
