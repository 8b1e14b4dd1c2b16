// ClientConnection: what the message tasks see of one client connection (no Asio here).
//
// respond() and push() may be called from any thread (map operations complete on partition
// threads); messages leave in the order they were queued. Each request gets exactly one
// respond(); events (push) can come before it, as the cluster views do.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "protocol/frame.h"
#include "util/uuid.h"

namespace shoal::protocol {

class ClientConnection {
public:
    virtual ~ClientConnection() = default;
    virtual void respond(ClientMessage response) = 0;
    virtual void push(ClientMessage event) = 0;
    // Sends what is queued, then closes (a refused authentication).
    virtual void close_after_flush(std::string reason) = 0;
    virtual const std::string& peer() const = 0;  // "host:port", for logs
    virtual std::uint64_t id() const = 0;         // unique in this process
};

using ConnectionPtr = std::shared_ptr<ClientConnection>;

// Per-connection protocol state, touched only by the connection's own thread (the tasks run
// there, synchronously, as each request is read).
struct ClientEndpoint {
    bool authenticated = false;
    util::Uuid client_uuid;
    std::string client_name;
    std::string client_type;     // "NJS", "JVM", "PYH", ...
    std::string client_version;  // the client's Hazelcast version
};

}  // namespace shoal::protocol
