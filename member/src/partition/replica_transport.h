// ReplicaTransport: how the partition module reaches other members. The cluster module
// implements it over member connections; the partition module never sees a socket.
#pragma once

#include <functional>
#include <string>

#include "partition/replica_messages.h"

namespace shoal::partition {

class ReplicaTransport {
public:
    virtual ~ReplicaTransport() = default;
    // Delivers `body` to `member`. `acked(true)` once the member confirmed it, `acked(false)`
    // when it cannot (connection lost, member gone, timeout): exactly once, on any thread.
    // Messages to one member arrive in the order they were sent.
    virtual void send(const std::string& member, ReplicaMessageType type, std::string body,
                      std::function<void(bool)> acked) = 0;
    // Like send, with the member's answer: `answered(true, reply)`, or `(false, {})` when it
    // cannot answer. Same ordering as send and post.
    virtual void request(const std::string& member, ReplicaMessageType type, std::string body,
                         std::function<void(bool, std::string)> answered) = 0;
    // One-way, same ordering.
    virtual void post(const std::string& member, ReplicaMessageType type, std::string body) = 0;
};

}  // namespace shoal::partition
