// Connection: one TCP connection to a member speaking the client protocol, with many requests
// in flight. Internal to the client library (it includes Asio).
//
// Any thread may send: the request's bytes are appended to one output buffer under a short
// lock, and a single write drains everything queued so far (pipelined requests leave in one
// syscall). Reads run on the connection's strand: frames are reassembled by the protocol's
// FrameReader and each response completes the invocation of its correlation id; events go to
// the handler registered under the correlation id of their listener's request. When the
// connection closes, every invocation still waiting is handed back to the owner, once.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "client/invocation.h"
#include "protocol/frame_reader.h"
#include "util/uuid.h"

namespace shoal::client::detail {

class Connection;

// What a connection tells its owner (the client core). Called on the connection's strand,
// with no lock held.
class ConnectionOwner {
public:
    virtual ~ConnectionOwner() = default;
    virtual void on_response(const std::shared_ptr<Connection>& connection, Invocation invocation,
                             protocol::ClientMessage response) = 0;
    virtual void on_closed(const std::shared_ptr<Connection>& connection, std::vector<Invocation> waiting,
                           const std::string& reason) = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(boost::asio::io_context& io, ConnectionOwner& owner, std::string host, int port);
    ~Connection();

    // Dials, writes the "CP2" preamble and starts reading; `done("")` on success, else with
    // an error naming the address. Runs `done` on the strand.
    void connect(std::chrono::milliseconds timeout, std::function<void(const std::string& error)> done);

    // Queues the request under `correlation_id`. False (and `invocation` untouched) when the
    // connection is closed: the request was not sent.
    bool send(Invocation& invocation, std::int64_t correlation_id);
    // Drops the event handler of a listener registration.
    void remove_event_handler(std::int64_t correlation_id);
    void close(const std::string& reason);

    bool closed() const { return closed_.load(std::memory_order_acquire); }
    const std::string& address() const { return address_; }
    const std::string& host() const { return host_; }
    int port() const { return port_; }
    std::optional<util::Uuid> member() const;
    void set_member(util::Uuid uuid);
    std::chrono::steady_clock::time_point last_read() const;
    std::chrono::steady_clock::time_point last_write() const;

private:
    void do_read();
    void on_read(const boost::system::error_code& ec, std::size_t n);
    void dispatch(protocol::ClientMessage message);
    void do_write();
    void on_write(const boost::system::error_code& ec);
    void close_on_strand(const std::string& reason);

    ConnectionOwner& owner_;
    std::string host_;
    int port_;
    std::string address_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::ip::tcp::socket socket_;
    boost::asio::steady_timer connect_timer_;
    protocol::FrameReader reader_;
    std::vector<protocol::ClientMessage> messages_;  // reused between reads
    std::string read_buffer_;
    std::atomic<bool> closed_{false};
    std::atomic<std::int64_t> last_read_ns_{0};
    std::atomic<std::int64_t> last_write_ns_{0};

    mutable std::mutex mutex_;  // guards everything below
    std::unordered_map<std::int64_t, Invocation> waiting_;
    std::unordered_map<std::int64_t, std::shared_ptr<EventHandler>> events_;
    std::string output_;        // queued, not yet handed to the socket
    std::string writing_;       // being written
    bool write_active_ = false;
    bool connected_ = false;
    std::optional<util::Uuid> member_;
};

}  // namespace shoal::client::detail
