// The shoalctl commands: each checks its arguments, asks the MemberApi, prints the answer.
#pragma once

#include <ostream>

#include "cli_options.h"
#include "member_api.h"

namespace shoal::cli {

// Runs options.command; returns the exit code. Throws CliError for failures.
int run_command(const CliOptions& options, MemberApi& api, std::ostream& out);

// The member list as Hazelcast prints it, from the /hazelcast/rest/cluster JSON.
std::string format_cluster(const boost::json::object& cluster);

}  // namespace shoal::cli
