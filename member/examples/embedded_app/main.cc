// shoal-embedded-app: Hazelcast's embedded topology in C++. The app links the member library
// and starts a member in-process exactly as shoal-member would (same command line, config
// sources, member port with its health probes, REST and client protocol), then serves its own
// web endpoints (web_endpoints.h) on $PORT (default 5000) by calling into that member.
//
// SIGTERM or SIGINT: stop accepting web connections, run the member's shutdown policy (GRACEFUL
// hands every partition to the other members first), then exit 0. Exit 2: bad command line or
// config. Exit 1: the member or the web port could not start.
#include <pthread.h>
#include <signal.h>

#include <boost/asio/ip/tcp.hpp>
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "app/command_line.h"
#include "app/config_sources.h"
#include "app/member.h"
#include "cluster/cluster_service.h"
#include "config/config_loader.h"
#include "http/http_session.h"
#include "net/io_threads.h"
#include "net/listener.h"
#include "util/log.h"
#include "web_endpoints.h"

namespace {

using shoal::app::CommandLine;
const shoal::util::Logger logger("shoal.embedded");

constexpr int kExitStartFailure = 1;
constexpr int kExitBadConfig = 2;
constexpr int kDefaultPort = 5000;  // the seed's app port (Flask's default), as the sidecar app

// $PORT: 1..65535, or the default when unset; -1 when malformed.
int app_port(const std::map<std::string, std::string>& env) {
    const auto it = env.find("PORT");
    if (it == env.end() || it->second.empty()) return kDefaultPort;
    int port = 0;
    const auto& text = it->second;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535) return -1;
    return port;
}

sigset_t block_shutdown_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

// The app's web port: one IO thread, the member's HTTP session (bounded reads, timeouts,
// keep-alive) with the app's endpoints as its handler. Other protocols are refused.
class WebServer {
public:
    WebServer(shoal::app::Member& member)
        : io_(1),
          listener_(io_, member.config().http.read_timeout),
          handler_(std::make_shared<const shoal::http::RequestHandler>(
              shoal::examples::web_endpoints(member.maps(), member.cluster()))),
          counters_(std::make_shared<shoal::http::HttpCounters>()),
          limits_(member.config().http) {
        listener_.on(shoal::net::Protocol::kHttp, [this](boost::asio::ip::tcp::socket socket, std::string first) {
            shoal::http::start_http_session(std::move(socket), std::move(first), handler_, limits_, counters_);
        });
    }
    void start(const std::string& host, int port) {
        listener_.open(host, port);
        io_.start();
        listener_.start_accepting();
    }
    void stop_accepting() { listener_.close(); }
    void stop() { io_.stop(); }

private:
    shoal::net::IoThreads io_;
    shoal::net::Listener listener_;
    std::shared_ptr<const shoal::http::RequestHandler> handler_;
    std::shared_ptr<shoal::http::HttpCounters> counters_;
    shoal::config::HttpConfig limits_;
};

int run(const shoal::config::MemberConfig& config, int port) {
    const sigset_t signals = block_shutdown_signals();
    logger.info(std::string("Shoal embedded app ") + SHOAL_VERSION + " starting a member: cluster '" +
                config.cluster_name + "', config " + config.source);
    for (const auto& warning : config.warnings) logger.warn(warning);
    std::unique_ptr<shoal::app::Member> member;
    std::unique_ptr<WebServer> web;
    try {
        member = std::make_unique<shoal::app::Member>(config);
        member->start();
        web = std::make_unique<WebServer>(*member);
        // The app listens where the member does (all interfaces in a pod, its own address in
        // the tests, which run several apps on one machine).
        web->start(member->bind_host(), port);
    } catch (const std::exception& e) {
        logger.error(std::string("cannot start: ") + e.what());
        if (member) member->shutdown();
        return kExitStartFailure;
    }
    logger.info("app endpoints /put, /get and /health on " + member->bind_host() + ":" + std::to_string(port) +
                "; member " + member->host() + ":" + std::to_string(member->port()));
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    logger.info(std::string("received ") + (signal_number == SIGTERM ? "SIGTERM" : "SIGINT"));
    web->stop_accepting();
    member->shutdown();
    web->stop();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CommandLine cl;
    try {
        cl = shoal::app::parse_command_line(argc, argv);
    } catch (const std::invalid_argument& e) {
        std::cerr << "shoal-embedded-app: " << e.what() << "\n\n" << shoal::app::usage_text();
        return kExitBadConfig;
    }
    if (cl.action == CommandLine::Action::kHelp) {
        std::cout << "shoal-embedded-app: a web app (/put, /get, /health on $PORT, default 5000) with a member "
                     "inside; it takes shoal-member's options:\n\n"
                  << shoal::app::usage_text();
        return 0;
    }
    if (cl.action == CommandLine::Action::kVersion) {
        std::cout << "shoal-embedded-app " << SHOAL_VERSION << "\n";
        return 0;
    }
    const auto environment = shoal::app::process_environment();
    const int port = app_port(environment);
    if (port < 0) {
        std::cerr << "shoal-embedded-app: PORT must be a port number from 1 to 65535\n";
        return kExitBadConfig;
    }
    shoal::config::MemberConfig config;
    try {
        config = shoal::app::load_member_config(cl, environment);
    } catch (const shoal::config::ConfigError& e) {
        std::cerr << "shoal-embedded-app: invalid configuration: " << e.what() << "\n";
        return kExitBadConfig;
    }
    shoal::util::LogLevel level;
    if (shoal::util::parse_log_level(config.log_level, level)) shoal::util::set_log_level(level);
    switch (cl.action) {
        case CommandLine::Action::kPrintConfig:
            std::cout << shoal::config::print_config(config);
            return 0;
        case CommandLine::Action::kValidateConfig:
            for (const auto& warning : config.warnings) std::cerr << "warning: " << warning << "\n";
            std::cout << config.source << ": valid\n";
            return 0;
        default:
            return run(config, port);
    }
}
