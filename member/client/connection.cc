#include "client/connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "protocol/fixed_codec.h"

namespace shoal::client::detail {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
constexpr std::size_t kReadChunk = 64 * 1024;

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

Connection::Connection(asio::io_context& io, ConnectionOwner& owner, std::string host, int port)
    : owner_(owner),
      host_(std::move(host)),
      port_(port),
      address_(host_ + ":" + std::to_string(port_)),
      strand_(asio::make_strand(io)),
      socket_(strand_),
      connect_timer_(strand_) {
    last_read_ns_ = now_ns();
    last_write_ns_ = now_ns();
}

Connection::~Connection() = default;

void Connection::connect(std::chrono::milliseconds timeout, std::function<void(const std::string& error)> done) {
    auto self = shared_from_this();
    auto shared_done = std::make_shared<std::function<void(const std::string&)>>(std::move(done));
    asio::post(strand_, [this, self, timeout, shared_done] {
        // Addresses are usually IPs; a host name is resolved here, synchronously (rare).
        boost::system::error_code ec;
        tcp::endpoint endpoint;
        const auto ip = asio::ip::make_address(host_, ec);
        if (!ec) {
            endpoint = tcp::endpoint(ip, static_cast<unsigned short>(port_));
        } else {
            tcp::resolver resolver(strand_);
            auto results = resolver.resolve(host_, std::to_string(port_), ec);
            if (ec || results.empty()) {
                const std::string error = "cannot resolve " + address_ + ": " + ec.message();
                close_on_strand(error);
                (*shared_done)(error);
                return;
            }
            endpoint = results.begin()->endpoint();
        }
        connect_timer_.expires_after(timeout);
        connect_timer_.async_wait([this, self](const boost::system::error_code& timer_ec) {
            if (!timer_ec && !connected_) {
                boost::system::error_code ignored;
                socket_.close(ignored);
            }
        });
        socket_.async_connect(endpoint, [this, self, timeout, shared_done](const boost::system::error_code& connect_ec) {
            connect_timer_.cancel();
            if (closed()) {
                (*shared_done)("connection to " + address_ + " closed while connecting");
                return;
            }
            if (connect_ec) {
                const std::string error = "cannot connect to " + address_ + ": " +
                                          (connect_ec == asio::error::operation_aborted
                                               ? "timed out after " + std::to_string(timeout.count()) + " ms"
                                               : connect_ec.message());
                close_on_strand(error);
                (*shared_done)(error);
                return;
            }
            boost::system::error_code ignored;
            socket_.set_option(tcp::no_delay(true), ignored);
            bool start_write = false;
            {
                std::lock_guard lock(mutex_);
                connected_ = true;
                output_.insert(0, "CP2");
                if (!write_active_) start_write = write_active_ = true;
            }
            if (start_write) do_write();
            do_read();
            (*shared_done)("");
        });
    });
}

bool Connection::send(Invocation& invocation, std::int64_t correlation_id) {
    bool start_write = false;
    {
        std::lock_guard lock(mutex_);
        if (closed()) return false;
        protocol::write_le<std::int64_t>(invocation.wire, kWireCorrelationOffset, correlation_id);
        output_.append(invocation.wire);
        if (invocation.on_event) events_[correlation_id] = std::make_shared<EventHandler>(invocation.on_event);
        waiting_.emplace(correlation_id, std::move(invocation));
        if (connected_ && !write_active_) {
            write_active_ = true;
            start_write = true;
        }
    }
    if (start_write) asio::post(strand_, [self = shared_from_this()] { self->do_write(); });
    return true;
}

void Connection::remove_event_handler(std::int64_t correlation_id) {
    std::lock_guard lock(mutex_);
    events_.erase(correlation_id);
}

// The caller holds the write token (write_active_ set): one write is in flight at a time.
void Connection::do_write() {
    {
        std::lock_guard lock(mutex_);
        if (closed() || output_.empty()) {
            write_active_ = false;
            return;
        }
        writing_.clear();
        writing_.swap(output_);
    }
    asio::async_write(socket_, asio::buffer(writing_),
                      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) { self->on_write(ec); });
}

void Connection::on_write(const boost::system::error_code& ec) {
    if (ec) {
        close_on_strand("writing to " + address_ + " failed: " + ec.message());
        return;
    }
    last_write_ns_ = now_ns();
    do_write();
}

void Connection::do_read() {
    if (closed()) return;
    read_buffer_.resize(kReadChunk);
    socket_.async_read_some(asio::buffer(read_buffer_.data(), read_buffer_.size()),
                            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                                self->on_read(ec, n);
                            });
}

void Connection::on_read(const boost::system::error_code& ec, std::size_t n) {
    if (ec) {
        close_on_strand(ec == asio::error::eof ? "the member at " + address_ + " closed the connection"
                                               : "reading from " + address_ + " failed: " + ec.message());
        return;
    }
    last_read_ns_ = now_ns();
    messages_.clear();
    if (!reader_.feed(std::string_view(read_buffer_.data(), n), messages_)) {
        close_on_strand("malformed data from " + address_ + ": " + reader_.error());
        return;
    }
    for (auto& message : messages_) dispatch(std::move(message));
    do_read();
}

void Connection::dispatch(protocol::ClientMessage message) {
    if (!message.has_header(protocol::kResponseHeaderSize)) return;  // nothing to match it to
    const std::int64_t correlation_id = message.correlation_id();
    if (message.frames[0].has(protocol::flag::kIsEvent)) {
        std::shared_ptr<EventHandler> handler;
        {
            std::lock_guard lock(mutex_);
            if (auto it = events_.find(correlation_id); it != events_.end()) handler = it->second;
        }
        if (handler) (*handler)(message);
        return;
    }
    std::optional<Invocation> invocation;
    {
        std::lock_guard lock(mutex_);
        auto it = waiting_.find(correlation_id);
        if (it == waiting_.end()) return;  // e.g. an answer after the invocation timed out
        invocation.emplace(std::move(it->second));
        waiting_.erase(it);
    }
    owner_.on_response(shared_from_this(), std::move(*invocation), std::move(message));
}

void Connection::close(const std::string& reason) {
    asio::post(strand_, [self = shared_from_this(), reason] { self->close_on_strand(reason); });
}

void Connection::close_on_strand(const std::string& reason) {
    if (closed_.exchange(true, std::memory_order_acq_rel)) return;
    boost::system::error_code ignored;
    connect_timer_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    std::vector<Invocation> waiting;
    {
        std::lock_guard lock(mutex_);
        waiting.reserve(waiting_.size());
        for (auto& [id, invocation] : waiting_) waiting.push_back(std::move(invocation));
        waiting_.clear();
        events_.clear();
        output_.clear();
    }
    owner_.on_closed(shared_from_this(), std::move(waiting), reason);
}

std::optional<util::Uuid> Connection::member() const {
    std::lock_guard lock(mutex_);
    return member_;
}

void Connection::set_member(util::Uuid uuid) {
    std::lock_guard lock(mutex_);
    member_ = uuid;
}

std::chrono::steady_clock::time_point Connection::last_read() const {
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(last_read_ns_.load()));
}
std::chrono::steady_clock::time_point Connection::last_write() const {
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(last_write_ns_.load()));
}

}  // namespace shoal::client::detail
