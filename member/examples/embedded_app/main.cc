// shoal-embedded-app: Hazelcast's embedded topology in C++. The app links the member library
// and starts a member in-process exactly as shoal-member would (same command line, config
// sources, member port with its health probes, REST and client protocol), then serves its own
// web endpoints (web_endpoints.h) on $PORT (default 5000) by calling into that member.
//
// SIGTERM or SIGINT: stop accepting web connections, run the member's shutdown policy (GRACEFUL
// hands every partition to the other members first), then exit 0. Exit 2: bad command line or
// config. Exit 1: the member or the web port could not start.
#include <boost/asio/ip/tcp.hpp>
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "app/member.h"
#include "app/member_program.h"
#include "cluster/cluster_service.h"
#include "http/http_session.h"
#include "net/io_threads.h"
#include "net/listener.h"
#include "util/log.h"
#include "web_endpoints.h"

namespace {

const shoal::util::Logger logger("shoal.embedded");

using shoal::app::kExitStartFailure;
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
    const sigset_t signals = shoal::app::block_shutdown_signals();
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
    shoal::app::wait_for_shutdown_signal(signals);
    web->stop_accepting();
    member->shutdown();
    web->stop();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    shoal::app::MemberProgram program;
    program.name = "shoal-embedded-app";
    program.help_intro = "shoal-embedded-app: a web app (/put, /get, /health on $PORT, default 5000) with a member "
                         "inside; it takes shoal-member's options:\n\n";
    program.check_environment = [](const std::map<std::string, std::string>& environment) -> std::optional<std::string> {
        if (app_port(environment) < 0) return "PORT must be a port number from 1 to 65535";
        return std::nullopt;
    };
    program.run = [](const shoal::config::MemberConfig& config, const std::map<std::string, std::string>& environment) {
        return run(config, app_port(environment));
    };
    return shoal::app::run_member_program(argc, argv, program);
}
