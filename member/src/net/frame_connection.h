// FrameConnection: a TCP connection carrying length-prefixed frames (uint32 big-endian length,
// then the frame), used between members. Sends are thread-safe and leave in call order; reads
// deliver whole frames to a handler on the connection's IO thread.
//
// Asio stays out of this header: connect_frames() dials, and frame_connection_asio.h adopts a
// socket the listener accepted.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace shoal::net {

class IoThreads;

// A frame longer than this closes the connection: a corrupt length must not make us allocate.
inline constexpr std::size_t kMaxFrameBytes = 64u << 20;

struct FrameHandlers {
    std::function<void(std::string frame)> on_frame;
    std::function<void(const std::string& reason)> on_close;  // once, after the last frame
};

class FrameConnection {
public:
    virtual ~FrameConnection() = default;
    // Starts reading; frames and the close go to `handlers`.
    virtual void start(FrameHandlers handlers) = 0;
    virtual void send(std::string frame) = 0;
    virtual void close() = 0;
    virtual std::string peer() const = 0;  // "host:port", for logs
};

using FrameConnectionPtr = std::shared_ptr<FrameConnection>;

// Dials host:port, writes `preamble` (e.g. "SHM"), and answers with the connection or an error
// text (connection refused, timeout, ...). `done` runs on an IO thread.
void connect_frames(IoThreads& io, const std::string& host, int port, std::string preamble,
                    std::chrono::milliseconds timeout,
                    std::function<void(FrameConnectionPtr, std::string error)> done);

}  // namespace shoal::net
