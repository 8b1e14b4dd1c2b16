// The Hazelcast-protocol driver: Map.Get / Map.Set over the Open Client Protocol 2.x, many
// requests in flight per socket, matched to answers by correlation id (the runner's tag is its
// low 16 bits). A logical connection holds one socket per member given with --host and routes
// each key to its partition owner, as a smart client does: every socket authenticates, the first
// registers a cluster-view listener and the PartitionsView event says who owns what.
//
// It is written on the member's own protocol codecs (protocol/), because the client library
// (member/client) had not landed when it was written; it sits behind the Driver interface so the
// library's async API can replace it.
#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

#include "driver.h"
#include "hazelcast_requests.h"
#include "map/data.h"
#include "protocol/client_messages.h"
#include "protocol/codec.h"
#include "protocol/frame_reader.h"
#include "socket_link.h"
#include "util/uuid.h"

namespace shoal::bench {
namespace {

namespace pc = protocol::client;
constexpr std::int64_t kControlTag = 0xFFFF;
constexpr std::int32_t kGetResponse = hazelcast::kMapGet + 1;
constexpr std::int32_t kSetResponse = hazelcast::kMapSet + 1;

class HazelcastConnection final : public Connection {
public:
    HazelcastConnection(boost::asio::io_context& io, const Options& o, Handler& handler, int index)
        : Connection(index), o_(o), handler_(handler) {
        for (const auto& e : o.endpoints) links_.push_back(std::make_unique<Link>(io, e));
    }

    void start() override {
        for (std::size_t i = 0; i < links_.size(); ++i) {
            Link& link = *links_[i];
            link.socket.start([this, &link, i] { send_authentication(link, i); },
                              [this, &link](std::string_view bytes) { on_bytes(link, bytes); },
                              [this](const std::string& why) { fail(why); });
        }
    }

    void get(std::string_view key, std::uint32_t tag) override {
        key_data_.clear();
        hazelcast::append_string_data(key_data_, key);
        const int partition = map::partition_id(key_data_, partition_count_);
        Link& link = route(partition);
        hazelcast::append_map_get(link.socket.out(), correlation(link, tag), partition, o_.map_name, key_data_);
        touched(link);
    }

    void set(std::string_view key, std::string_view value, std::uint32_t tag) override {
        key_data_.clear();
        hazelcast::append_string_data(key_data_, key);
        value_data_.clear();
        hazelcast::append_bytes_data(value_data_, value);
        const int partition = map::partition_id(key_data_, partition_count_);
        Link& link = route(partition);
        hazelcast::append_map_set(link.socket.out(), correlation(link, tag), partition, o_.map_name, key_data_,
                                  value_data_);
        touched(link);
    }

    void flush() override {
        for (auto& link : links_) link->socket.flush();
    }

private:
    struct Link {
        Link(boost::asio::io_context& io, const Endpoint& e) : socket(io, e.host, e.port) {}
        SocketLink socket;
        protocol::FrameReader reader;
        std::vector<protocol::ClientMessage> messages;
        util::Uuid member;
        bool authenticated = false;
        std::int64_t sequence = 1;
    };

    static std::int64_t correlation(Link& link, std::uint32_t tag) { return (link.sequence++ << 16) | tag; }
    void touched(Link& link) {
        // Answers on one socket cause requests on another: flush those that are not reading now.
        if (&link != reading_) link.socket.flush();
    }

    Link& route(int partition) {
        const std::size_t owner = partition < static_cast<int>(owner_link_.size()) ? owner_link_[static_cast<std::size_t>(partition)] : 0;
        return *links_[owner];
    }

    void fail(const std::string& why) {
        if (failed_) return;
        failed_ = true;
        handler_.on_failed(*this, why);
    }

    void send_authentication(Link& link, std::size_t i) {
        pc::AuthenticationRequest auth;
        auth.cluster_name = o_.cluster_name;
        auth.uuid = util::Uuid::random();
        auth.client_type = "CPP";
        auth.client_hazelcast_version = "5.3.0";
        auth.client_name = "shoal-bench-" + std::to_string(index()) + "-" + std::to_string(i);
        std::string& out = link.socket.out();
        out += "CP2";
        protocol::append_wire(out, protocol::encode_request(auth, (std::int64_t{1} << 16) | kControlTag));
        if (i == 0) {
            protocol::append_wire(out, protocol::encode_request(pc::AddClusterViewListenerRequest{},
                                                                (std::int64_t{2} << 16) | kControlTag));
        }
    }

    void on_bytes(Link& link, std::string_view bytes) {
        link.messages.clear();
        if (!link.reader.feed(bytes, link.messages)) return fail("bad framing from the member: " + link.reader.error());
        reading_ = &link;
        for (const auto& m : link.messages) {
            if (failed_) break;
            on_message(link, m);
        }
        reading_ = nullptr;
    }

    void on_message(Link& link, const protocol::ClientMessage& m) {
        if (!m.has_header(protocol::kResponseHeaderSize)) return fail("a message without a header");
        const std::int32_t type = m.type();
        if (m.frames[0].has(protocol::flag::kIsEvent)) {
            if (type == pc::PartitionsViewEvent::kType) on_partitions(m);
            return;
        }
        const std::int64_t correlation_id = m.correlation_id();
        const auto tag = static_cast<std::uint32_t>(correlation_id & 0xFFFF);
        if (tag == kControlTag) {
            if (type == pc::AuthenticationResponse::kType) return on_authenticated(link, m);
            if (type == pc::AddClusterViewListenerResponse::kType) return;
            return fail("the member refused the handshake (message type " + std::to_string(type) + ")");
        }
        Outcome outcome = Outcome::kError;
        if (type == kGetResponse) outcome = m.frames.size() > 1 && !m.frames[1].is_null() ? Outcome::kOk : Outcome::kMiss;
        else if (type == kSetResponse) outcome = Outcome::kOk;
        handler_.on_answer(*this, tag, outcome);
    }

    void on_authenticated(Link& link, const protocol::ClientMessage& m) {
        pc::AuthenticationResponse auth;
        try {
            auth = protocol::decode_response<pc::AuthenticationResponse>(m);
        } catch (const std::exception& e) {
            return fail(std::string("authentication response: ") + e.what());
        }
        if (auth.status != pc::kAuthenticated) return fail("authentication refused, status " + std::to_string(auth.status));
        link.authenticated = true;
        if (auth.member_uuid) link.member = *auth.member_uuid;
        if (auth.partition_count > 0) partition_count_ = auth.partition_count;
        maybe_ready();
    }

    void on_partitions(const protocol::ClientMessage& m) {
        pc::PartitionsViewEvent view;
        try {
            view = protocol::decode_event<pc::PartitionsViewEvent>(m);
        } catch (const std::exception& e) {
            return fail(std::string("partitions view: ") + e.what());
        }
        owner_link_.assign(static_cast<std::size_t>(partition_count_), 0);
        for (const auto& [owner, partitions] : view.partitions.entries) {
            for (std::size_t i = 0; i < links_.size(); ++i) {
                if (!links_[i]->authenticated || !(links_[i]->member == owner)) continue;
                for (std::int32_t p : partitions) {
                    if (p >= 0 && p < partition_count_) owner_link_[static_cast<std::size_t>(p)] = i;
                }
            }
        }
        have_partitions_ = true;
        maybe_ready();
    }

    void maybe_ready() {
        if (ready_ || !have_partitions_) return;
        for (const auto& link : links_) {
            if (!link->authenticated) return;
        }
        ready_ = true;
        handler_.on_ready(*this);
    }

    const Options& o_;
    Handler& handler_;
    std::vector<std::unique_ptr<Link>> links_;
    std::vector<std::size_t> owner_link_;  // partition -> link of its owner
    int partition_count_ = 271;
    bool have_partitions_ = false;
    bool ready_ = false;
    bool failed_ = false;
    Link* reading_ = nullptr;
    std::string key_data_;
    std::string value_data_;
};

class HazelcastDriver final : public Driver {
public:
    explicit HazelcastDriver(const Options& o) : o_(o) {}
    std::string name() const override { return "hazelcast"; }
    std::unique_ptr<Connection> connect(boost::asio::io_context& io, Connection::Handler& handler, int index) override {
        return std::make_unique<HazelcastConnection>(io, o_, handler, index);
    }

private:
    Options o_;
};

}  // namespace

std::unique_ptr<Driver> make_hazelcast_driver(const Options& options) { return std::make_unique<HazelcastDriver>(options); }

}  // namespace shoal::bench
