// CliOptions: shoalctl's command line, parsed.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shoal::cli {

struct CliOptions {
    std::string host = "127.0.0.1";
    int port = 5701;
    std::string cluster_name = "dev";
    std::chrono::milliseconds timeout{10'000};
    bool json = false;
    bool help = false;
    bool version = false;
    std::string command;
    std::vector<std::string> arguments;            // positional arguments after the command
    std::map<std::string, std::string> flags;      // command flags: --ttl, --content-type, --limit, --wait-ready
};

// Throws CliError(kExitUsage) naming the bad argument. `env_address` is $SHOAL_ADDRESS.
CliOptions parse_cli_options(const std::vector<std::string>& args, const char* env_address);

const char* cli_usage();

}  // namespace shoal::cli
