// ClientSession: one client connection, read as a loop (the Boost.Beast server shape): read
// bytes → FrameReader → one task per whole message → responses queued → written in batches.
//
// Bounds: every message is bounded by FrameLimits; a connection has at most
// `max_in_flight` requests being served and `max_queued_bytes` of answers waiting to be
// written, and reading pauses while either is reached (TCP then pushes back on the client);
// a client that lets twice that much (events go on) pile up is disconnected.
// A connection must authenticate within `auth_timeout` and say something within every
// `idle_timeout` (clients ping every 5 s when idle), else it closes. Malformed framing closes
// the connection with the reason logged: a byte stream cannot be re-synchronised. A malformed
// or unknown message, on the other hand, gets an error response and the connection goes on.
//
// Includes Asio's socket type: include it only where connections are handed over.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>

#include "protocol/frame_reader.h"

namespace shoal::protocol {

class ProtocolService;

struct SessionLimits {
    FrameLimits frames;
    std::size_t max_in_flight = 1024;
    std::size_t max_queued_bytes = 64u << 20;
    std::chrono::milliseconds auth_timeout{30'000};
    std::chrono::milliseconds idle_timeout{60'000};  // Hazelcast's client heartbeat timeout
};

struct SessionCounters {
    std::atomic<long> open{0};
    std::atomic<std::uint64_t> accepted{0};
    std::atomic<std::uint64_t> framing_errors{0};
};

// Serves `socket` (the "CP2" preamble already read) until it closes; the session keeps itself
// alive meanwhile.
void start_client_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ProtocolService> service,
                          const SessionLimits& limits, std::shared_ptr<SessionCounters> counters);

}  // namespace shoal::protocol
