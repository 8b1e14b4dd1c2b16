// Messenger: request/response and one-way messages between members over FrameConnections.
//
// One outbound connection per peer address carries everything this member sends that peer,
// so messages to one member arrive in the order sent (replication depends on it). Replies go
// back on the connection the request came in on. Every connection starts with a Hello; a peer
// of another cluster or protocol version is refused with the reason, logged on both sides.
//
// Callbacks never run inside the call that registered them: they run on IO threads (or the
// scheduler), so callers may hold their own locks while sending.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cluster/member_messages.h"
#include "net/frame_connection.h"
#include "util/scheduler.h"

namespace shoal::net {
class IoThreads;
}

namespace shoal::cluster {

class Messenger {
public:
    // `reply` is empty for one-way messages.
    using Reply = std::function<void(std::string body)>;
    using Handler = std::function<void(const MemberRecord& from, std::string body, Reply reply)>;
    using Done = std::function<void(bool ok, std::string body)>;

    Messenger(net::IoThreads& io, util::Scheduler& scheduler, std::string cluster_name, MemberRecord local);
    ~Messenger();

    // Registers the handler of a message kind; before the first connection.
    void handle(MessageKind kind, Handler handler);
    // An inbound connection the listener accepted (the "SHM" preamble already consumed).
    void accept(net::FrameConnectionPtr connection);

    // Sends a request; `done(false, reason)` when the connection fails or `timeout` passes
    // (0 = no timeout: only a lost connection fails it).
    void call(const std::string& address, MessageKind kind, std::string body, Done done,
              std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
    void post(const std::string& address, MessageKind kind, std::string body);
    // Closes the outbound connection to `address` (pending calls fail): the member is gone.
    void disconnect(const std::string& address);
    void stop();

    // Who this member is in Hellos; set when the cluster starts, read by IO threads that may
    // already serve connections then (hence the lock).
    MemberRecord local() const;
    void set_local(MemberRecord local);

private:
    struct Outbound;
    struct Inbound;
    std::shared_ptr<Outbound> outbound_for(const std::string& address);
    void dial(const std::shared_ptr<Outbound>& out);
    void on_outbound_frame(const std::shared_ptr<Outbound>& out, std::string bytes);
    void on_outbound_closed(const std::shared_ptr<Outbound>& out, const std::string& reason);
    void on_inbound_frame(const std::shared_ptr<Inbound>& in, std::string bytes);
    void send_on(const std::shared_ptr<Outbound>& out, Frame frame, Done done, std::chrono::milliseconds timeout);

    net::IoThreads& io_;
    util::Scheduler& scheduler_;
    std::string cluster_name_;
    MemberRecord local_;
    std::map<MessageKind, Handler> handlers_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Outbound>> outbound_;
    std::vector<std::shared_ptr<Inbound>> inbound_;
    std::uint64_t next_call_ = 1;
    bool stopped_ = false;
};

}  // namespace shoal::cluster
