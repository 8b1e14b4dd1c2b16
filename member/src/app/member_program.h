// MemberProgram: the front of a process that runs a member, shared by shoal-member and the
// embedded example app (which starts a member exactly as shoal-member does): the command line
// (--help, --version, --print-config, --validate-config), the config from its sources, the log
// level, the exit codes, and waiting for SIGTERM/SIGINT.
#pragma once

#include <signal.h>

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "config/member_config.h"

namespace shoal::app {

inline constexpr int kExitStartFailure = 1;  // the member (or the app's own port) could not start
inline constexpr int kExitBadConfig = 2;     // a bad command line, environment or config

struct MemberProgram {
    std::string name;        // for messages: "shoal-member"
    std::string help_intro;  // printed before the options by --help; may be empty
    // The environment the program needs beyond the member's: an error message, or nullopt.
    std::function<std::optional<std::string>(const std::map<std::string, std::string>&)> check_environment;
    // Starts and runs until shut down; returns the exit code.
    std::function<int(const config::MemberConfig&, const std::map<std::string, std::string>& environment)> run;
};

// Parses argv, answers the informational actions, loads the config (exit 2 naming what is
// wrong), sets the log level, and calls program.run for a start.
int run_member_program(int argc, char** argv, const MemberProgram& program);

// Blocks SIGTERM and SIGINT in every thread (threads inherit the mask), so only
// wait_for_shutdown_signal sees them. Call before starting any thread.
sigset_t block_shutdown_signals();
// Waits for one of them and logs which.
void wait_for_shutdown_signal(const sigset_t& signals);

}  // namespace shoal::app
