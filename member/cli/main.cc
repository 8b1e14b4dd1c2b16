// shoalctl: the Shoal command-line client. See cli_usage() for commands and exit codes.
#include <cstdlib>
#include <iostream>

#include "cli_error.h"
#include "cli_options.h"
#include "commands.h"
#include "client_member_api.h"

int main(int argc, char** argv) {
    using namespace shoal::cli;
    try {
        const CliOptions options = parse_cli_options({argv + 1, argv + argc}, std::getenv("SHOAL_ADDRESS"));
        if (options.version) {
            std::cout << "shoalctl " << SHOAL_VERSION << '\n';
            return kExitOk;
        }
        if (options.help || options.command.empty() || options.command == "help") {
            std::cout << cli_usage();
            return options.command.empty() && !options.help ? kExitUsage : kExitOk;
        }
        auto api = make_client_member_api({options.host, options.port}, options.cluster_name, options.timeout);
        return run_command(options, *api, std::cout);
    } catch (const CliError& e) {
        std::cerr << "shoalctl: " << e.what() << '\n';
        if (e.exit_code() == kExitUsage) std::cerr << "run 'shoalctl --help' for usage\n";
        return e.exit_code();
    } catch (const std::exception& e) {
        std::cerr << "shoalctl: " << e.what() << '\n';
        return kExitFailure;
    }
}
