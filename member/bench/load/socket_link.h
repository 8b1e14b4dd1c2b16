// SocketLink: one TCP connection with batched writes and a read loop, shared by the drivers.
//
// Bytes appended to out() are written when flush() is called (at most one write in flight; what
// is appended meanwhile goes in the next). Every chunk read is given to the on_bytes callback;
// after it returns the link flushes, so answers and the requests they cause go in one batch.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace shoal::bench {

class SocketLink {
public:
    using BytesHandler = std::function<void(std::string_view)>;
    using ErrorHandler = std::function<void(const std::string&)>;
    using ConnectedHandler = std::function<void()>;

    SocketLink(boost::asio::io_context& io, std::string host, std::uint16_t port);
    void start(ConnectedHandler connected, BytesHandler on_bytes, ErrorHandler on_error);
    std::string& out() { return pending_; }
    void flush();

private:
    void do_read();
    void do_write();
    void fail(const std::string& what, const boost::system::error_code& ec);

    boost::asio::ip::tcp::socket socket_;
    std::string host_;
    std::uint16_t port_;
    BytesHandler on_bytes_;
    ErrorHandler on_error_;
    std::string pending_;
    std::string writing_;
    bool write_in_flight_ = false;
    bool failed_ = false;
    std::vector<char> read_buffer_;
};

}  // namespace shoal::bench
