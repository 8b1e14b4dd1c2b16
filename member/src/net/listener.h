// Listener: the member's one port. It accepts connections, reads their first three bytes and
// hands each to the protocol they announce: "CP2" a Hazelcast client, "SHM" a member, anything
// else HTTP (the bytes already read are passed on, so nothing is lost).
//
// Includes Asio's socket types: include it only where connections are handled.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "net/io_threads.h"

namespace shoal::net {

enum class Protocol { kHttp, kClient, kMember };

inline constexpr std::string_view kClientPreamble = "CP2";
inline constexpr std::string_view kMemberPreamble = "SHM";

// Decides the protocol from the first three bytes of a connection.
Protocol detect_protocol(std::string_view first_bytes);

class Listener {
public:
    // Takes the socket (bound to the IO context it will live on) and the bytes read so far.
    using Handler = std::function<void(boost::asio::ip::tcp::socket socket, std::string first_bytes)>;

    Listener(IoThreads& io, std::chrono::milliseconds first_bytes_timeout);
    ~Listener();

    void on(Protocol protocol, Handler handler);

    // Binds and listens; throws std::runtime_error naming the address when it cannot.
    void open(const std::string& bind_host, int port);
    void start_accepting();
    void close();

    int port() const { return port_; }

private:
    struct State;
    std::shared_ptr<State> state_;
    int port_ = 0;
};

}  // namespace shoal::net
