#include "kube/api_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>

namespace shoal::kube {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr std::uint64_t kMaxResponseBytes = 256ull * 1024 * 1024;  // a list of every pod fits

struct HostPort {
    std::string host;
    std::string port;
};

HostPort parse_master_url(const std::string& url) {
    const std::string scheme = "https://";
    if (url.rfind(scheme, 0) != 0) {
        throw std::invalid_argument("kubernetes-master '" + url + "' must start with https:// (the API is only spoken over TLS)");
    }
    std::string rest = url.substr(scheme.size());
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    if (rest.empty() || rest.find('/') != std::string::npos) {
        throw std::invalid_argument("kubernetes-master '" + url + "' must be https://host[:port] without a path");
    }
    HostPort hp{rest, "443"};
    const auto bracket = rest.find(']');
    const auto colon = rest.rfind(':');
    if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
        hp.host = rest.substr(0, colon);
        hp.port = rest.substr(colon + 1);
        if (hp.port.empty() || hp.port.find_first_not_of("0123456789") != std::string::npos) {
            throw std::invalid_argument("kubernetes-master '" + url + "' has a bad port");
        }
    }
    if (hp.host.size() > 2 && hp.host.front() == '[' && hp.host.back() == ']') hp.host = hp.host.substr(1, hp.host.size() - 2);
    return hp;
}

bool is_ip_literal(const std::string& host) {
    boost::system::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

// One TLS connection, driven by its own io_context so a caller's thread simply blocks.
// Every step runs asynchronously under the tcp_stream's deadline, which is what bounds it.
class Connection {
public:
    Connection(ssl::context& context, const HostPort& where) : stream_(ioc_, context), where_(where) {}

    void open(std::chrono::milliseconds timeout) {
        if (!is_ip_literal(where_.host)) SSL_set_tlsext_host_name(stream_.native_handle(), where_.host.c_str());
        stream_.set_verify_mode(ssl::verify_peer);
        stream_.set_verify_callback(ssl::host_name_verification(where_.host));
        tcp::resolver resolver(ioc_);
        boost::system::error_code ec;
        const auto endpoints = resolver.resolve(where_.host, where_.port, ec);
        fail_on(ec, "resolving");
        lowest().expires_after(timeout);
        lowest().async_connect(endpoints, [this](beast::error_code e, const tcp::endpoint&) { result_ = e; });
        run("connecting");
        lowest().expires_after(timeout);
        stream_.async_handshake(ssl::stream_base::client, [this](beast::error_code e) { result_ = e; });
        run("TLS handshake (is ca-certificate the CA of this API server?)");
    }

    void send(const http::request<http::empty_body>& request, std::chrono::milliseconds timeout) {
        lowest().expires_after(timeout);
        http::async_write(stream_, request, [this](beast::error_code e, std::size_t) { result_ = e; });
        run("sending the request");
    }

    ApiResponse receive(std::chrono::milliseconds timeout) {
        http::response_parser<http::string_body> parser;
        parser.body_limit(kMaxResponseBytes);
        lowest().expires_after(timeout);
        http::async_read(stream_, buffer_, parser, [this](beast::error_code e, std::size_t) { result_ = e; });
        run("reading the response");
        return {static_cast<int>(parser.get().result_int()), std::move(parser.get().body())};
    }

    // Streams the body line by line; returns the status.
    int stream_lines(const std::function<bool(const std::string&)>& on_line, std::chrono::milliseconds idle_timeout) {
        http::response_parser<http::string_body> parser;
        parser.body_limit(boost::none);
        std::string pending;
        bool keep_going = true;
        auto on_chunk = [&](std::uint64_t, std::string_view data, beast::error_code&) -> std::size_t {
            pending.append(data);
            for (auto newline = pending.find('\n'); newline != std::string::npos && keep_going; newline = pending.find('\n')) {
                const std::string line = pending.substr(0, newline);
                pending.erase(0, newline + 1);
                if (!line.empty()) keep_going = on_line(line);
            }
            return data.size();
        };
        parser.on_chunk_body(on_chunk);
        lowest().expires_after(idle_timeout);
        http::async_read_header(stream_, buffer_, parser, [this](beast::error_code e, std::size_t) { result_ = e; });
        run("reading the watch response");
        const int status = static_cast<int>(parser.get().result_int());
        if (status != 200) return status;
        while (keep_going && !parser.is_done()) {
            lowest().expires_after(idle_timeout);
            http::async_read_some(stream_, buffer_, parser, [this](beast::error_code e, std::size_t) { result_ = e; });
            ioc_.restart();
            ioc_.run();
            if (result_) break;  // the server or the network ended the stream: the caller re-watches
        }
        return status;
    }

private:
    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

    void run(const char* step) {
        result_ = {};
        ioc_.restart();
        ioc_.run();
        fail_on(result_, step);
    }

    void fail_on(const beast::error_code& ec, const std::string& step) const {
        if (!ec) return;
        const std::string what = ec == beast::error::timeout ? std::string("timed out") : ec.message();
        throw ApiUnreachable("Kubernetes API " + where_.host + ":" + where_.port + ": " + step + " failed: " + what);
    }

    asio::io_context ioc_;
    beast::ssl_stream<beast::tcp_stream> stream_;
    HostPort where_;
    beast::flat_buffer buffer_;
    beast::error_code result_;
};

}  // namespace

struct ApiClient::Impl {
    HostPort where;
    std::string token;
    ssl::context context{ssl::context::tls_client};

    http::request<http::empty_body> request(const std::string& path) const {
        http::request<http::empty_body> req{http::verb::get, path, 11};
        req.set(http::field::host, where.host);
        req.set(http::field::user_agent, "shoal-member");
        req.set(http::field::accept, "application/json");
        if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
        return req;
    }
};

ApiClient::ApiClient(ApiEndpoint endpoint) : impl_(std::make_unique<Impl>()) {
    impl_->where = parse_master_url(endpoint.master_url);
    impl_->token = std::move(endpoint.token);
    while (!impl_->token.empty() && (impl_->token.back() == '\n' || impl_->token.back() == '\r')) impl_->token.pop_back();
    impl_->context.set_options(ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    if (endpoint.ca_pem.empty()) {
        impl_->context.set_default_verify_paths();
    } else {
        boost::system::error_code ec;
        impl_->context.add_certificate_authority(asio::buffer(endpoint.ca_pem), ec);
        if (ec) throw std::invalid_argument("ca-certificate is not a PEM certificate: " + ec.message());
    }
}

ApiClient::~ApiClient() = default;

const std::string& ApiClient::host() const {
    return impl_->where.host;
}

ApiResponse ApiClient::get(const std::string& path, std::chrono::milliseconds timeout) const {
    Connection connection(impl_->context, impl_->where);
    connection.open(timeout);
    auto req = impl_->request(path);
    req.set(http::field::connection, "close");
    connection.send(req, timeout);
    return connection.receive(timeout);
}

int ApiClient::watch(const std::string& path, const std::function<bool(const std::string&)>& on_event,
                     std::chrono::milliseconds idle_timeout) const {
    Connection connection(impl_->context, impl_->where);
    connection.open(idle_timeout);
    connection.send(impl_->request(path), idle_timeout);
    return connection.stream_lines(on_event, idle_timeout);
}

}  // namespace shoal::kube
