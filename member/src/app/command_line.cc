#include "app/command_line.h"

#include <stdexcept>
#include <string_view>

namespace shoal::app {

const char* usage_text() {
    return "usage: shoal-member [--config FILE] [-Dname=value ...]\n"
           "       shoal-member --print-config [--config FILE] [-Dname=value ...]\n"
           "       shoal-member --validate-config FILE [-Dname=value ...]\n"
           "       shoal-member --version | --help\n"
           "\n"
           "The config file is YAML with root key 'shoal' (or 'hazelcast', with hazelcast.yaml key\n"
           "names). Without --config: $SHOAL_CONFIG, then -Dhazelcast.config, then\n"
           "/etc/shoal/shoal.yaml if it exists. Environment (HZ_*, SHOAL_*, HAZELCAST_KUBERNETES_*)\n"
           "overrides the file; -D properties (also read from $JAVA_OPTS) override both.\n";
}

CommandLine parse_command_line(int argc, const char* const argv[]) {
    CommandLine cl;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto next_value = [&](std::string_view flag) -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a file name");
            return argv[++i];
        };
        if (arg == "--config" || arg == "-c") {
            cl.config_file = next_value(arg);
        } else if (arg.rfind("--config=", 0) == 0) {
            cl.config_file = std::string(arg.substr(9));
        } else if (arg == "--validate-config") {
            cl.action = CommandLine::Action::kValidateConfig;
            cl.config_file = next_value(arg);
        } else if (arg == "--print-config") {
            cl.action = CommandLine::Action::kPrintConfig;
        } else if (arg == "--version") {
            cl.action = CommandLine::Action::kVersion;
        } else if (arg == "--help" || arg == "-h") {
            cl.action = CommandLine::Action::kHelp;
        } else if (arg.rfind("-D", 0) == 0 && arg.size() > 2) {
            std::string property(arg.substr(2));
            if (property.find('=') == std::string::npos) property += "=true";
            cl.properties.push_back(std::move(property));
        } else {
            throw std::invalid_argument("unknown argument '" + std::string(arg) + "'");
        }
    }
    return cl;
}

}  // namespace shoal::app
