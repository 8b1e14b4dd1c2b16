#include "socket_link.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

namespace shoal::bench {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

SocketLink::SocketLink(asio::io_context& io, std::string host, std::uint16_t port)
    : socket_(io), host_(std::move(host)), port_(port), read_buffer_(256 * 1024) {}

void SocketLink::start(ConnectedHandler connected, BytesHandler on_bytes, ErrorHandler on_error) {
    on_bytes_ = std::move(on_bytes);
    on_error_ = std::move(on_error);
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host_, ec);
    if (ec) return fail("bad address " + host_, ec);
    socket_.async_connect(tcp::endpoint(address, port_), [this, connected = std::move(connected)](const boost::system::error_code& ec) {
        if (ec) return fail("connect to " + host_ + ":" + std::to_string(port_), ec);
        socket_.set_option(tcp::no_delay(true));
        connected();
        do_read();
        flush();
    });
}

void SocketLink::flush() {
    if (write_in_flight_ || pending_.empty() || failed_ || !socket_.is_open()) return;
    do_write();
}

void SocketLink::do_write() {
    writing_.swap(pending_);
    pending_.clear();
    write_in_flight_ = true;
    asio::async_write(socket_, asio::buffer(writing_), [this](const boost::system::error_code& ec, std::size_t) {
        write_in_flight_ = false;
        if (ec) return fail("write", ec);
        if (!pending_.empty()) do_write();
    });
}

void SocketLink::do_read() {
    socket_.async_read_some(asio::buffer(read_buffer_), [this](const boost::system::error_code& ec, std::size_t n) {
        if (ec) return fail("read", ec);
        on_bytes_(std::string_view(read_buffer_.data(), n));
        if (failed_) return;
        flush();
        do_read();
    });
}

void SocketLink::fail(const std::string& what, const boost::system::error_code& ec) {
    if (failed_) return;
    failed_ = true;
    if (on_error_) on_error_(what + ": " + ec.message());
}

}  // namespace shoal::bench
