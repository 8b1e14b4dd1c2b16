// Invocation: one request on its way to a member, until its answer (or final failure) is
// handed to `done`. Internal to the client library.
//
// The request is kept encoded; each attempt patches a fresh correlation id into the initial
// frame, so a retry costs no re-encoding. `done` gets the response message, or null and the
// exception (a ServerError, ConnectionError or TimeoutError).
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>

#include "protocol/frame.h"

namespace shoal::client::detail {

class Connection;

using Done = std::function<void(protocol::ClientMessage* response, std::exception_ptr error)>;
using EventHandler = std::function<void(const protocol::ClientMessage& event)>;

// Whether a call may be sent again after its connection closed before the answer came. A
// member may have applied it already, so only calls whose repetition leaves the same entries
// AND gives the caller a truthful answer are retried (see Map for each operation's choice).
// Calls that never left the client, and calls a member refused with a retryable error
// (the member says it did not run them), are retried whatever this says.
enum class Retry : std::uint8_t { kNever, kOnDisconnect };

struct Invocation {
    std::string wire;                 // the encoded request
    std::int32_t partition_id = -1;   // routes to the partition's owner (smart); -1: any member
    std::shared_ptr<Connection> target;  // must go over this connection (auth, listener on a member)
    Retry retry = Retry::kNever;
    const char* name = "";            // the protocol call, for error messages
    std::chrono::steady_clock::time_point deadline;
    int attempt = 0;
    Done done;
    EventHandler on_event;            // events with this request's correlation id, if any
};

// Offsets in the wire bytes: the initial frame's 6-byte header, then the message header.
inline constexpr std::size_t kWireCorrelationOffset = 6 + protocol::kCorrelationIdOffset;

}  // namespace shoal::client::detail
