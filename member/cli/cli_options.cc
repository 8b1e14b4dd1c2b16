#include "cli_options.h"

#include <algorithm>
#include <charconv>

#include "cli_error.h"

namespace shoal::cli {
namespace {

// The flags each command takes, and whether they carry a value.
const std::map<std::string, std::vector<std::string>> kCommandFlags = {
    {"put", {"--ttl", "--content-type"}}, {"get", {}}, {"remove", {}}, {"size", {}}, {"keys", {"--limit"}},
    {"health", {"--wait-ready"}},         {"cluster", {}}, {"state", {}}, {"persistence", {}}, {"help", {}},
};

long parse_number(const std::string& text, const std::string& what) {
    long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0) {
        throw CliError(kExitUsage, what + " must be a non-negative whole number, got '" + text + "'");
    }
    return value;
}

void set_address(CliOptions& options, const std::string& address) {
    const auto colon = address.rfind(':');
    if (colon == std::string::npos) {
        options.host = address;
        return;
    }
    options.host = address.substr(0, colon);
    const long port = parse_number(address.substr(colon + 1), "the port in --address");
    if (port < 1 || port > 65535 || options.host.empty()) {
        throw CliError(kExitUsage, "--address must be host:port with a port between 1 and 65535, got '" + address + "'");
    }
    options.port = static_cast<int>(port);
}

}  // namespace

const char* cli_usage() {
    return "usage: shoalctl [--address host:port] [--cluster-name NAME] [--timeout SECONDS] [--json] COMMAND ...\n"
           "\n"
           "commands:\n"
           "  put MAP KEY VALUE [--ttl SECONDS] [--content-type TYPE]   write an entry (default text/plain)\n"
           "  get MAP KEY                                               print an entry's value\n"
           "  remove MAP KEY                                            remove an entry\n"
           "  size MAP                                                  number of entries\n"
           "  keys MAP [--limit N]                                      list keys, one per line\n"
           "  health [--wait-ready SECONDS]                             health of the member (or wait until ready)\n"
           "  cluster                                                   the member list\n"
           "  state [active|no_migration|frozen|passive]               show or change the cluster state\n"
           "  persistence                                               the member's data on disk (phase, entries, bytes)\n"
           "\n"
           "--address defaults to $SHOAL_ADDRESS, else 127.0.0.1:5701; --cluster-name to dev.\n"
           "exit codes: 0 ok, 1 the member could not be reached or answered an error, 2 usage error,\n"
           "            3 get found no entry\n";
}

CliOptions parse_cli_options(const std::vector<std::string>& args, const char* env_address) {
    CliOptions options;
    if (env_address != nullptr && *env_address != '\0') set_address(options, env_address);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size()) throw CliError(kExitUsage, arg + " needs a value");
            return args[++i];
        };
        if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else if (arg == "--version") {
            options.version = true;
        } else if (arg == "--json") {
            options.json = true;
        } else if (options.command.empty() && arg == "--address") {
            set_address(options, value());
        } else if (options.command.empty() && arg == "--cluster-name") {
            options.cluster_name = value();
        } else if (options.command.empty() && arg == "--timeout") {
            options.timeout = std::chrono::seconds(parse_number(value(), "--timeout"));
        } else if (arg.rfind("--", 0) == 0 && !options.command.empty()) {
            const auto& allowed = kCommandFlags.at(options.command);
            if (std::find(allowed.begin(), allowed.end(), arg) == allowed.end()) {
                throw CliError(kExitUsage, "'" + options.command + "' has no option " + arg);
            }
            options.flags[arg] = value();
        } else if (arg.rfind("--", 0) == 0) {
            throw CliError(kExitUsage, "unknown option " + arg);
        } else if (options.command.empty()) {
            if (kCommandFlags.count(arg) == 0) throw CliError(kExitUsage, "unknown command '" + arg + "'");
            options.command = arg;
        } else {
            options.arguments.push_back(arg);
        }
    }
    if (options.flags.count("--ttl")) parse_number(options.flags["--ttl"], "--ttl");
    if (options.flags.count("--limit")) parse_number(options.flags["--limit"], "--limit");
    if (options.flags.count("--wait-ready")) parse_number(options.flags["--wait-ready"], "--wait-ready");
    return options;
}

}  // namespace shoal::cli
