#include "cluster/messenger.h"

#include <algorithm>

#include "util/log.h"

namespace shoal::cluster {
namespace {
const util::Logger logger("shoal.member-protocol");
constexpr std::chrono::milliseconds kConnectTimeout{2000};
}  // namespace

// A connection this member dialled, with the calls waiting for an answer on it.
struct Messenger::Outbound {
    std::string address;
    net::FrameConnectionPtr connection;  // null while dialling or after a failure
    bool dialling = false;
    std::vector<std::string> queued;  // frames sent while dialling, in order
    std::map<std::uint64_t, Done> pending;
};

struct Messenger::Inbound {
    net::FrameConnectionPtr connection;
    MemberRecord peer;
    bool greeted = false;
};

Messenger::Messenger(net::IoThreads& io, util::Scheduler& scheduler, std::string cluster_name, MemberRecord local)
    : io_(io), scheduler_(scheduler), cluster_name_(std::move(cluster_name)), local_(std::move(local)) {}

Messenger::~Messenger() { stop(); }

void Messenger::handle(MessageKind kind, Handler handler) { handlers_[kind] = std::move(handler); }

void Messenger::stop() {
    std::vector<net::FrameConnectionPtr> connections;
    {
        // An outbound's connection is read under the lock: an IO thread resets it when it
        // closes (on_outbound_closed), even after the swap below.
        std::lock_guard lock(mutex_);
        stopped_ = true;
        for (const auto& [address, out] : outbound_) {
            if (out->connection) connections.push_back(out->connection);
        }
        for (const auto& in : inbound_) connections.push_back(in->connection);
        outbound_.clear();
        inbound_.clear();
    }
    for (auto& connection : connections) connection->close();
}

// ---- outbound ---------------------------------------------------------------------------------

std::shared_ptr<Messenger::Outbound> Messenger::outbound_for(const std::string& address) {
    auto& out = outbound_[address];
    if (!out) {
        out = std::make_shared<Outbound>();
        out->address = address;
    }
    return out;
}

void Messenger::call(const std::string& address, MessageKind kind, std::string body, Done done,
                     std::chrono::milliseconds timeout) {
    std::shared_ptr<Outbound> out;
    Frame frame{kind, 0, 0, std::move(body)};
    {
        std::lock_guard lock(mutex_);
        if (stopped_) {
            scheduler_.schedule(std::chrono::milliseconds(0), [done] { done(false, "the member is stopping"); });
            return;
        }
        out = outbound_for(address);
        frame.call = next_call_++;
    }
    send_on(out, std::move(frame), std::move(done), timeout);
}

void Messenger::post(const std::string& address, MessageKind kind, std::string body) {
    std::shared_ptr<Outbound> out;
    {
        std::lock_guard lock(mutex_);
        if (stopped_) return;
        out = outbound_for(address);
    }
    send_on(out, Frame{kind, Frame::kOneWay, 0, std::move(body)}, nullptr, std::chrono::milliseconds(0));
}

void Messenger::send_on(const std::shared_ptr<Outbound>& out, Frame frame, Done done,
                        std::chrono::milliseconds timeout) {
    const std::uint64_t call = frame.call;
    std::string bytes = encode_frame(frame);
    net::FrameConnectionPtr connection;
    bool need_dial = false;
    {
        std::lock_guard lock(mutex_);
        if (done) out->pending[call] = std::move(done);
        if (out->connection) {
            connection = out->connection;
        } else {
            out->queued.push_back(std::move(bytes));
            need_dial = !out->dialling;
            out->dialling = true;
        }
    }
    if (connection) connection->send(std::move(bytes));
    if (need_dial) dial(out);
    if (call != 0 && timeout.count() > 0) {
        scheduler_.schedule(timeout, [this, out, call] {
            Done expired;
            {
                std::lock_guard lock(mutex_);
                auto it = out->pending.find(call);
                if (it == out->pending.end()) return;
                expired = std::move(it->second);
                out->pending.erase(it);
            }
            expired(false, "no answer from " + out->address + " in time");
        });
    }
}

void Messenger::dial(const std::shared_ptr<Outbound>& out) {
    const auto colon = out->address.rfind(':');
    const std::string host = out->address.substr(0, colon);
    const int port = colon == std::string::npos ? 5701 : std::atoi(out->address.c_str() + colon + 1);
    net::connect_frames(io_, host, port, "SHM", kConnectTimeout, [this, out](net::FrameConnectionPtr connection, std::string error) {
        if (!connection) {
            on_outbound_closed(out, error);
            return;
        }
        std::vector<std::string> queued;
        {
            std::lock_guard lock(mutex_);
            out->dialling = false;
            if (stopped_) {
                connection->close();
                return;
            }
            out->connection = connection;
            queued.swap(out->queued);
        }
        connection->start({[this, out](std::string bytes) { on_outbound_frame(out, std::move(bytes)); },
                           [this, out](const std::string& reason) { on_outbound_closed(out, reason); }});
        Hello hello{kMemberProtocolVersion, cluster_name_, local()};
        connection->send(encode_frame(Frame{MessageKind::kHello, 0, 0, encode(hello)}));
        for (auto& bytes : queued) connection->send(std::move(bytes));
    });
}

void Messenger::on_outbound_frame(const std::shared_ptr<Outbound>& out, std::string bytes) {
    Frame frame;
    try {
        frame = decode_frame(std::move(bytes));
    } catch (const util::DecodeError& e) {
        logger.warn("closing the connection to " + out->address + ": " + e.what());
        net::FrameConnectionPtr connection;
        {
            std::lock_guard lock(mutex_);
            connection = out->connection;
        }
        if (connection) connection->close();
        return;
    }
    if (frame.kind == MessageKind::kHello) {
        const HelloReply reply = decode_hello_reply(frame.body);
        if (!reply.accepted) logger.error("member " + out->address + " refused this member: " + reply.reason);
        return;
    }
    Done done;
    {
        std::lock_guard lock(mutex_);
        auto it = out->pending.find(frame.call);
        if (it == out->pending.end()) return;  // timed out already
        done = std::move(it->second);
        out->pending.erase(it);
    }
    done(true, std::move(frame.body));
}

void Messenger::on_outbound_closed(const std::shared_ptr<Outbound>& out, const std::string& reason) {
    std::map<std::uint64_t, Done> pending;
    {
        std::lock_guard lock(mutex_);
        pending.swap(out->pending);
        out->queued.clear();
        out->connection.reset();
        out->dialling = false;
    }
    logger.debug("connection to " + out->address + " lost: " + reason);
    for (auto& [call, done] : pending) done(false, reason);
}

void Messenger::disconnect(const std::string& address) {
    net::FrameConnectionPtr connection;
    {
        std::lock_guard lock(mutex_);
        auto it = outbound_.find(address);
        if (it == outbound_.end()) return;
        connection = it->second->connection;
    }
    if (connection) connection->close();
}

// ---- inbound ----------------------------------------------------------------------------------

void Messenger::accept(net::FrameConnectionPtr connection) {
    auto in = std::make_shared<Inbound>();
    in->connection = connection;
    {
        std::lock_guard lock(mutex_);
        if (stopped_) {
            connection->close();
            return;
        }
        inbound_.push_back(in);
    }
    connection->start({[this, in](std::string bytes) { on_inbound_frame(in, std::move(bytes)); },
                       [this, in](const std::string&) {
                           std::lock_guard lock(mutex_);
                           inbound_.erase(std::remove(inbound_.begin(), inbound_.end(), in), inbound_.end());
                       }});
}

MemberRecord Messenger::local() const {
    std::lock_guard lock(mutex_);
    return local_;
}

void Messenger::set_local(MemberRecord local) {
    std::lock_guard lock(mutex_);
    local_ = std::move(local);
}

void Messenger::on_inbound_frame(const std::shared_ptr<Inbound>& in, std::string bytes) {
    try {
        Frame frame = decode_frame(std::move(bytes));
        if (!in->greeted) {
            if (frame.kind != MessageKind::kHello) throw util::DecodeError("the first message is not a Hello");
            const Hello hello = decode_hello(frame.body);
            const std::string uuid = local().uuid;
            HelloReply reply{true, {}, uuid};
            if (hello.version != kMemberProtocolVersion) {
                reply = {false, "member protocol version " + std::to_string(hello.version) + " is not supported (this member speaks " +
                                    std::to_string(kMemberProtocolVersion) + ")", uuid};
            } else if (hello.cluster_name != cluster_name_) {
                reply = {false, "cluster name '" + hello.cluster_name + "' does not match this cluster's '" + cluster_name_ + "'",
                         uuid};
            }
            in->connection->send(encode_frame(Frame{MessageKind::kHello, Frame::kResponse, frame.call, encode(reply)}));
            if (!reply.accepted) {
                logger.error("refused member " + hello.member.address() + ": " + reply.reason);
                in->connection->close();
                return;
            }
            in->peer = hello.member;
            in->greeted = true;
            return;
        }
        auto it = handlers_.find(frame.kind);
        if (it == handlers_.end()) throw util::DecodeError("no handler for message kind " + std::to_string(static_cast<int>(frame.kind)));
        Reply reply;
        if ((frame.flags & Frame::kOneWay) == 0) {
            reply = [connection = in->connection, kind = frame.kind, call = frame.call](std::string body) {
                connection->send(encode_frame(Frame{kind, Frame::kResponse, call, std::move(body)}));
            };
        }
        it->second(in->peer, std::move(frame.body), std::move(reply));
    } catch (const std::exception& e) {
        logger.warn("closing the connection from " + in->connection->peer() + ": " + e.what());
        in->connection->close();
    }
}

}  // namespace shoal::cluster
