// CommandLine: what `shoal-member` was asked to do, parsed from argv.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace shoal::app {

struct CommandLine {
    enum class Action { kRun, kPrintConfig, kValidateConfig, kVersion, kHelp };
    Action action = Action::kRun;
    std::optional<std::string> config_file;  // --config FILE, --validate-config FILE
    std::vector<std::string> properties;     // "name=value" from -Dname=value
};

// Throws std::invalid_argument naming the bad argument.
CommandLine parse_command_line(int argc, const char* const argv[]);

const char* usage_text();

}  // namespace shoal::app
