// shoal-member: runs one member until SIGTERM or SIGINT, then shuts it down through the
// shutdown policy and exits 0. Exit 2: bad command line or config. Exit 1: could not start.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <unistd.h>

#include "app/command_line.h"
#include "app/member.h"
#include "config/config_loader.h"
#include "util/log.h"

extern char** environ;

namespace {

using shoal::app::CommandLine;
const shoal::util::Logger logger("shoal.main");

constexpr int kExitStartFailure = 1;
constexpr int kExitBadConfig = 2;

std::map<std::string, std::string> environment() {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string_view entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string_view::npos) env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
    return env;
}

// The config file: --config, then $SHOAL_CONFIG, then -Dhazelcast.config (as the Hazelcast
// image is started), then /etc/shoal/shoal.yaml when present. Empty: defaults only.
std::string config_path(const CommandLine& cl, const std::map<std::string, std::string>& env,
                        std::vector<std::string>& properties) {
    std::string from_property;
    std::erase_if(properties, [&](const std::string& p) {
        if (p.rfind("hazelcast.config=", 0) != 0) return false;
        from_property = p.substr(17);
        return true;
    });
    if (cl.config_file) return *cl.config_file;
    if (auto it = env.find("SHOAL_CONFIG"); it != env.end() && !it->second.empty()) return it->second;
    if (!from_property.empty()) return from_property;
    if (access("/etc/shoal/shoal.yaml", R_OK) == 0) return "/etc/shoal/shoal.yaml";
    return {};
}

shoal::config::MemberConfig load(const CommandLine& cl) {
    shoal::config::ConfigSources sources;
    sources.environment = environment();
    std::vector<std::string> properties;
    if (auto it = sources.environment.find("JAVA_OPTS"); it != sources.environment.end()) {
        properties = shoal::config::properties_from_java_opts(it->second);
    }
    properties.insert(properties.end(), cl.properties.begin(), cl.properties.end());
    const std::string path = config_path(cl, sources.environment, properties);
    if (!path.empty()) {
        std::ifstream file(path);
        if (!file) throw shoal::config::ConfigError(path + ": cannot read the config file");
        std::stringstream text;
        text << file.rdbuf();
        sources.yaml_text = text.str();
        sources.yaml_name = path;
    }
    sources.properties = std::move(properties);
    auto config = shoal::config::load_config(sources);
    config.source = path.empty() ? "defaults" : path;
    return config;
}

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
        config = load(cl);
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
