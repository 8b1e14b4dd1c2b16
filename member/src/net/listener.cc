#include "net/listener.h"

#include <boost/asio/read.hpp>
#include <atomic>
#include <map>
#include <stdexcept>

#include "util/log.h"

namespace shoal::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
const util::Logger logger("shoal.net");
constexpr std::size_t kPreambleSize = 3;
}  // namespace

Protocol detect_protocol(std::string_view first_bytes) {
    if (first_bytes == kClientPreamble) return Protocol::kClient;
    if (first_bytes == kMemberPreamble) return Protocol::kMember;
    return Protocol::kHttp;
}

struct Listener::State : std::enable_shared_from_this<Listener::State> {
    State(IoThreads& io_threads, std::chrono::milliseconds timeout)
        : io(io_threads), acceptor(io_threads.context(0)), first_bytes_timeout(timeout) {}

    IoThreads& io;
    tcp::acceptor acceptor;
    std::chrono::milliseconds first_bytes_timeout;
    std::map<Protocol, Handler> handlers;
    std::atomic<bool> closed{false};

    void accept();
    void sniff(tcp::socket socket);
    void dispatch(tcp::socket socket, std::string first_bytes);
};

void Listener::State::accept() {
    auto self = shared_from_this();
    acceptor.async_accept(io.next_context(), [self](boost::system::error_code ec, tcp::socket socket) {
        if (self->closed) return;
        if (!ec) {
            boost::system::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            self->sniff(std::move(socket));
        } else if (ec != asio::error::operation_aborted) {
            // Out of file descriptors and the like: log and keep accepting others.
            logger.warn("accept failed: " + ec.message());
        }
        if (!self->closed) self->accept();
    });
}

void Listener::State::sniff(tcp::socket socket) {
    // The socket, its buffer and its timer live together until the protocol is known.
    struct Sniff {
        explicit Sniff(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}
        tcp::socket socket;
        asio::steady_timer timer;
        std::string bytes = std::string(kPreambleSize, '\0');
    };
    auto sniff = std::make_shared<Sniff>(std::move(socket));
    auto self = shared_from_this();
    sniff->timer.expires_after(first_bytes_timeout);
    sniff->timer.async_wait([sniff](boost::system::error_code ec) {
        if (!ec) {
            boost::system::error_code ignored;
            sniff->socket.close(ignored);  // a silent client: drop it, keep serving others
        }
    });
    asio::async_read(sniff->socket, asio::buffer(sniff->bytes),
                     [self, sniff](boost::system::error_code ec, std::size_t) {
                         sniff->timer.cancel();
                         if (ec) return;  // closed or timed out before saying anything
                         self->dispatch(std::move(sniff->socket), std::move(sniff->bytes));
                     });
}

void Listener::State::dispatch(tcp::socket socket, std::string first_bytes) {
    const Protocol protocol = detect_protocol(first_bytes);
    auto it = handlers.find(protocol);
    if (it == handlers.end()) {
        boost::system::error_code ec;  // the peer may be gone already: no throwing overload here
        const auto peer = socket.remote_endpoint(ec);
        logger.warn("closing a connection from " + (ec ? std::string("a departed peer") : peer.address().to_string()) +
                    ": its protocol is not served by this member yet");
        return;
    }
    it->second(std::move(socket), std::move(first_bytes));
}

Listener::Listener(IoThreads& io, std::chrono::milliseconds first_bytes_timeout)
    : state_(std::make_shared<State>(io, first_bytes_timeout)) {}

Listener::~Listener() { close(); }

void Listener::on(Protocol protocol, Handler handler) { state_->handlers[protocol] = std::move(handler); }

void Listener::open(const std::string& bind_host, int port) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(bind_host, ec);
    if (ec) throw std::runtime_error("cannot bind to '" + bind_host + "': not an IP address");
    tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
    auto& acceptor = state_->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        boost::system::error_code ignored;
        acceptor.close(ignored);
        throw std::runtime_error("cannot listen on " + bind_host + ":" + std::to_string(port) + ": " +
                                 ec.message());
    }
    port_ = acceptor.local_endpoint().port();
}

void Listener::start_accepting() {
    auto state = state_;
    asio::post(state->acceptor.get_executor(), [state] { state->accept(); });
}

void Listener::close() {
    if (state_->closed.exchange(true)) return;
    auto state = state_;
    // The acceptor belongs to IO context 0: close it there (or here, if that thread is gone).
    asio::post(state->acceptor.get_executor(), [state] {
        boost::system::error_code ignored;
        state->acceptor.close(ignored);
    });
}

}  // namespace shoal::net
