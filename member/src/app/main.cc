// shoal-member: runs one member until SIGTERM or SIGINT, then shuts it down through the
// shutdown policy and exits 0. Exit 2: bad command line or config. Exit 1: could not start.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "app/command_line.h"
#include "app/config_sources.h"
#include "app/member.h"
#include "config/config_loader.h"
#include "util/log.h"

namespace {

using shoal::app::CommandLine;
const shoal::util::Logger logger("shoal.main");

constexpr int kExitStartFailure = 1;
constexpr int kExitBadConfig = 2;

void apply_log_level(const shoal::config::MemberConfig& config) {
    shoal::util::LogLevel level;
    if (shoal::util::parse_log_level(config.log_level, level)) shoal::util::set_log_level(level);
}

// Blocks SIGTERM/SIGINT in every thread (threads inherit the mask), so only sigwait sees them.
sigset_t block_shutdown_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

int run(const shoal::config::MemberConfig& config) {
    const sigset_t signals = block_shutdown_signals();
    logger.info(std::string("Shoal ") + SHOAL_VERSION + " starting: cluster '" + config.cluster_name +
                "', config " + config.source + ", " + std::to_string(config.partition_count) +
                " partitions, shutdown policy " +
                (config.shutdown_policy == shoal::config::ShutdownPolicy::kGraceful ? "GRACEFUL" : "TERMINATE"));
    for (const auto& warning : config.warnings) logger.warn(warning);
    // Construction can fail too (a persistence directory in use or damaged): the same clear exit.
    std::unique_ptr<shoal::app::Member> started;
    try {
        started = std::make_unique<shoal::app::Member>(config);
        started->start();
    } catch (const std::exception& e) {
        logger.error(std::string("cannot start: ") + e.what());
        return kExitStartFailure;
    }
    shoal::app::Member& member = *started;
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    logger.info(std::string("received ") + (signal_number == SIGTERM ? "SIGTERM" : "SIGINT"));
    member.shutdown();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CommandLine cl;
    try {
        cl = shoal::app::parse_command_line(argc, argv);
    } catch (const std::invalid_argument& e) {
        std::cerr << "shoal-member: " << e.what() << "\n\n" << shoal::app::usage_text();
        return kExitBadConfig;
    }
    if (cl.action == CommandLine::Action::kHelp) {
        std::cout << shoal::app::usage_text();
        return 0;
    }
    if (cl.action == CommandLine::Action::kVersion) {
        std::cout << "shoal-member " << SHOAL_VERSION << "\n";
        return 0;
    }
    shoal::config::MemberConfig config;
    try {
        config = shoal::app::load_member_config(cl, shoal::app::process_environment());
    } catch (const shoal::config::ConfigError& e) {
        std::cerr << "shoal-member: invalid configuration: " << e.what() << "\n";
        return kExitBadConfig;
    }
    apply_log_level(config);
    switch (cl.action) {
        case CommandLine::Action::kPrintConfig:
            std::cout << shoal::config::print_config(config);
            return 0;
        case CommandLine::Action::kValidateConfig:
            for (const auto& warning : config.warnings) std::cerr << "warning: " << warning << "\n";
            std::cout << config.source << ": valid\n";
            return 0;
        default:
            return run(config);
    }
}
