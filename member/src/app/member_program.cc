#include "app/member_program.h"

#include <pthread.h>

#include <iostream>
#include <stdexcept>

#include "app/command_line.h"
#include "app/config_sources.h"
#include "config/config_loader.h"
#include "util/log.h"

namespace shoal::app {
namespace {
const util::Logger logger("shoal.main");
}

int run_member_program(int argc, char** argv, const MemberProgram& program) {
    CommandLine cl;
    try {
        cl = parse_command_line(argc, argv);
    } catch (const std::invalid_argument& e) {
        std::cerr << program.name << ": " << e.what() << "\n\n" << usage_text();
        return kExitBadConfig;
    }
    if (cl.action == CommandLine::Action::kHelp) {
        std::cout << program.help_intro << usage_text();
        return 0;
    }
    if (cl.action == CommandLine::Action::kVersion) {
        std::cout << program.name << " " << SHOAL_VERSION << "\n";
        return 0;
    }
    const auto environment = process_environment();
    if (program.check_environment) {
        if (const auto error = program.check_environment(environment)) {
            std::cerr << program.name << ": " << *error << "\n";
            return kExitBadConfig;
        }
    }
    config::MemberConfig config;
    try {
        config = load_member_config(cl, environment);
    } catch (const config::ConfigError& e) {
        std::cerr << program.name << ": invalid configuration: " << e.what() << "\n";
        return kExitBadConfig;
    }
    util::LogLevel level;
    if (util::parse_log_level(config.log_level, level)) util::set_log_level(level);
    switch (cl.action) {
        case CommandLine::Action::kPrintConfig:
            std::cout << config::print_config(config);
            return 0;
        case CommandLine::Action::kValidateConfig:
            for (const auto& warning : config.warnings) std::cerr << "warning: " << warning << "\n";
            std::cout << config.source << ": valid\n";
            return 0;
        default:
            return program.run(config, environment);
    }
}

sigset_t block_shutdown_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

void wait_for_shutdown_signal(const sigset_t& signals) {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    logger.info(std::string("received ") + (signal_number == SIGTERM ? "SIGTERM" : "SIGINT"));
}

}  // namespace shoal::app
