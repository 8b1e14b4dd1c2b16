// shoal-sidecar-app: the sidecar topology's example web app (see sidecar_app.h), served with
// Boost.Beast on $PORT (default 5000), talking to the member at $SHOAL_ADDRESS (default
// localhost:5701) in cluster $SHOAL_CLUSTER_NAME (default dev).
//
// Routing: unisocket by default, since a sidecar app's member is the one in its own pod
// (localhost) and that member forwards each key to its owner; SHOAL_SMART_ROUTING=true makes
// the client connect to every member instead. The app starts without its member (containers
// of a pod start together) and keeps reconnecting; /health says whether it is connected.
// SIGTERM or SIGINT stops it (exit 0).
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "sidecar_app.h"
#include "util/log.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

const shoal::util::Logger logger("shoal.sidecar-app");

std::string env_or(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

// One HTTP connection: read a request, hand it to the app, write its answer, read the next.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, shoal::sidecar::SidecarApp& app) : stream_(std::move(socket)), app_(app) {}
    void run() { do_read(); }

private:
    void do_read() {
        parser_.emplace();
        parser_->body_limit(64 * 1024);
        stream_.expires_after(std::chrono::seconds(60));
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec) return close();
        auto request = parser_->release();
        const bool keep_alive = request.keep_alive();
        const bool wants_json = request[http::field::accept].find("application/json") != beast::string_view::npos;
        const unsigned version = request.version();
        stream_.expires_never();  // the answer may take up to the invocation timeout
        app_.handle(std::string(request.method_string()), std::string(request.target()), wants_json,
                    [self = shared_from_this(), keep_alive, version](shoal::sidecar::HttpAnswer answer) {
                        asio::post(self->stream_.get_executor(), [self, keep_alive, version, answer = std::move(answer)] {
                            self->send(std::move(answer), keep_alive, version);
                        });
                    });
    }

    void send(shoal::sidecar::HttpAnswer answer, bool keep_alive, unsigned version) {
        response_ = {};
        response_.version(version);
        response_.result(static_cast<http::status>(answer.status));
        response_.set(http::field::server, "shoal-sidecar-app");
        response_.set(http::field::content_type, answer.content_type);
        response_.keep_alive(keep_alive);
        response_.body() = std::move(answer.body);
        response_.prepare_payload();
        stream_.expires_after(std::chrono::seconds(30));
        http::async_write(stream_, response_, [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
            if (ec || !keep_alive) return self->close();
            self->do_read();
        });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::string_body> response_;
    shoal::sidecar::SidecarApp& app_;
};

void accept(tcp::acceptor& acceptor, shoal::sidecar::SidecarApp& app) {
    acceptor.async_accept(asio::make_strand(acceptor.get_executor()), [&](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted) return;
        if (!ec) std::make_shared<Session>(std::move(socket), app)->run();
        accept(acceptor, app);
    });
}

}  // namespace

int main() {
    shoal::util::set_thread_name("main");
    const std::string port_text = env_or("PORT", "5000");
    const std::string address = env_or("SHOAL_ADDRESS", "localhost:5701");
    shoal::client::ClientConfig config;
    config.addresses = {address};
    config.cluster_name = env_or("SHOAL_CLUSTER_NAME", "dev");
    config.client_name = "shoal-sidecar-app";
    config.smart_routing = env_or("SHOAL_SMART_ROUTING", "false") == "true";
    // A request waits at most this long for the grid (retries included), not Hazelcast's 120 s:
    // an HTTP caller would have given up long before.
    config.invocation_timeout = std::chrono::milliseconds(std::atol(env_or("SHOAL_INVOCATION_TIMEOUT_MS", "10000").c_str()));
    int port = 0;
    try {
        port = std::stoi(port_text);
    } catch (const std::exception&) {
    }
    if (port <= 0 || port > 65535) {
        std::cerr << "shoal-sidecar-app: PORT must be a port number, got '" << port_text << "'\n";
        return 2;
    }
    try {
        shoal::sidecar::SidecarApp app(config);
        asio::io_context io;
        tcp::acceptor acceptor(io);
        const tcp::endpoint endpoint(asio::ip::make_address(env_or("BIND_ADDRESS", "0.0.0.0")), static_cast<unsigned short>(port));
        acceptor.open(endpoint.protocol());
        acceptor.set_option(asio::socket_base::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen();
        accept(acceptor, app);
        asio::signal_set signals(io, SIGTERM, SIGINT);
        signals.async_wait([&](beast::error_code, int signal) {
            logger.info("signal " + std::to_string(signal) + ": stopping");
            acceptor.close();
            io.stop();
        });
        logger.info("serving /put, /get and /health on port " + std::to_string(port) + "; member " + address + " (" +
                    (config.smart_routing ? "smart routing" : "unisocket") + "), cluster " + config.cluster_name);
        io.run();
        app.client().shutdown();
    } catch (const std::exception& e) {
        std::cerr << "shoal-sidecar-app: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
