#include "client/client_core.h"

#include <algorithm>
#include <boost/asio/post.hpp>

#include "client/client_errors.h"
#include "protocol/client_messages.h"
#include "protocol/codec.h"
#include "util/log.h"

namespace shoal::client::detail {
namespace asio = boost::asio;
namespace pc = protocol::client;
using Clock = std::chrono::steady_clock;

namespace {

const util::Logger logger("shoal.client");
std::atomic<int> client_counter{0};

constexpr auto kTickInterval = std::chrono::milliseconds(100);

// Hazelcast error codes that say the member did not run the call (so any call may be sent
// again): HazelcastInstanceNotActive, RetryableHazelcast, RetryableIO, TargetNotMember,
// PartitionMigrating, WrongTarget, CallerNotMember.
bool retryable_code(std::int32_t code) {
    switch (code) {
        case 19: case 46: case 47: case 64: case 65: case 66: case 67: return true;
        default: return false;
    }
}

std::pair<std::string, int> parse_address(const std::string& address) {
    const auto colon = address.rfind(':');
    if (colon == std::string::npos) return {address, 5701};
    try {
        return {address.substr(0, colon), std::stoi(address.substr(colon + 1))};
    } catch (const std::exception&) {
        throw ClientError("bad member address '" + address + "' (expected host:port)");
    }
}

std::string describe_status(std::uint8_t status, const std::string& cluster_name) {
    switch (status) {
        case pc::kCredentialsFailed: return "the cluster name '" + cluster_name + "' or the credentials do not match";
        case pc::kSerializationVersionMismatch: return "serialization version mismatch";
        case pc::kNotAllowedInCluster: return "the client is not allowed in the cluster";
        default: return "status " + std::to_string(status);
    }
}

}  // namespace

ClientCore::ClientCore(ClientConfig config) : ClientCore(std::move(config), nullptr) {}

ClientCore::ClientCore(ClientConfig config, asio::io_context& io) : ClientCore(std::move(config), &io) {}

ClientCore::ClientCore(ClientConfig config, asio::io_context* io)
    : config_(std::move(config)),
      client_name_(config_.client_name.empty() ? "shoal.client_" + std::to_string(client_counter++) : config_.client_name),
      client_uuid_(util::Uuid::random()),
      own_io_(io ? nullptr : std::make_unique<asio::io_context>()),
      io_(io ? *io : *own_io_),
      tick_timer_(io_) {
    if (config_.addresses.empty()) throw ClientError("no member address given");
    for (const auto& a : config_.addresses) parse_address(a);  // fail early on a bad one
    if (own_io_) {
        work_.emplace(asio::make_work_guard(io_));
        if (config_.io_threads < 1) config_.io_threads = 1;
    } else {
        config_.io_threads = 0;
    }
}

ClientCore::~ClientCore() { shutdown(); }

void ClientCore::start() {
    for (int i = 0; i < config_.io_threads; ++i) {
        threads_.emplace_back([this, i] {
            util::set_thread_name("client-io-" + std::to_string(i));
            io_.run();
        });
    }
    asio::post(io_, [this] { tick(); });
}

void ClientCore::shutdown() {
    if (stopped_.exchange(true)) {
        for (auto& t : threads_) {
            if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
        }
        return;
    }
    std::vector<std::shared_ptr<Connection>> all;
    {
        std::lock_guard lock(mutex_);
        all = connections_;
        all.insert(all.end(), connecting_.begin(), connecting_.end());
    }
    for (auto& c : all) c->close("the client is shutting down");
    asio::post(io_, [this] { tick_timer_.cancel(); });
    work_.reset();
    if (!own_io_) tick_timer_.cancel();  // the caller's io_context may not run again
    for (auto& t : threads_) {
        if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
    }
    changed_.notify_all();
}

bool ClientCore::wait_connected(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return stopped_ || (cluster_connection_ && view_.complete()); }) &&
           !stopped_;
}

bool ClientCore::connected() const {
    std::lock_guard lock(mutex_);
    return cluster_connection_ && view_.complete();
}

std::string ClientCore::last_error() const {
    std::lock_guard lock(mutex_);
    return last_error_;
}

std::size_t ClientCore::connection_count() const {
    std::lock_guard lock(mutex_);
    return connections_.size();
}

// ---- invocations ---------------------------------------------------------------------------

void ClientCore::invoke(Invocation invocation) {
    if (invocation.deadline == Clock::time_point{}) invocation.deadline = Clock::now() + config_.invocation_timeout;
    if (stopped_) {
        fail(invocation, std::make_exception_ptr(ClientError(std::string(invocation.name) + ": the client is shut down")));
        return;
    }
    auto connection = route_of(invocation);
    if (connection && connection->send(invocation, next_correlation_id_.fetch_add(1, std::memory_order_relaxed))) return;
    // Not sent: safe to try again whatever the call.
    if (invocation.target) {
        fail(invocation, std::make_exception_ptr(ConnectionError(
                             std::string(invocation.name) + ": the connection to " + invocation.target->address() + " is closed")));
        return;
    }
    retry_later(std::move(invocation), "no connection to the cluster (" + last_error() + ")");
}

// Routing: a call bound to a connection goes there; a key's call goes to its partition's owner
// when smart routing knows a connection to it; everything else goes to the cluster connection
// (a unisocket client has no other), whose member forwards key calls to the owner.
std::shared_ptr<Connection> ClientCore::route_of(const Invocation& invocation) {
    if (invocation.target) return invocation.target;
    std::lock_guard lock(mutex_);
    if (config_.smart_routing && invocation.partition_id >= 0) {
        if (routes_stale_) rebuild_routes();
        const auto p = static_cast<std::size_t>(invocation.partition_id);
        if (p < routes_.size() && routes_[p] != 0) {
            const auto& c = connections_[routes_[p] - 1u];
            if (!c->closed()) return c;
        }
    }
    if (cluster_connection_ && !cluster_connection_->closed()) return cluster_connection_;
    for (const auto& c : connections_) {
        if (!c->closed()) return c;
    }
    return nullptr;
}

void ClientCore::rebuild_routes() {
    const auto owners = view_.owners();
    routes_.assign(owners.size(), 0);
    const std::size_t count = std::min<std::size_t>(connections_.size(), 0xFFFE);
    std::vector<std::optional<util::Uuid>> members(count);
    for (std::size_t i = 0; i < count; ++i) members[i] = connections_[i]->member();
    for (std::size_t p = 0; p < owners.size(); ++p) {
        if (!owners[p]) continue;
        for (std::size_t i = 0; i < count; ++i) {
            if (members[i] == owners[p]) routes_[p] = static_cast<std::uint16_t>(i + 1);
        }
    }
    routes_stale_ = false;
}

void ClientCore::fail(Invocation& invocation, std::exception_ptr error) {
    if (invocation.done) invocation.done(nullptr, std::move(error));
}

void ClientCore::retry_later(Invocation invocation, const std::string& why) {
    if (stopped_) {
        fail(invocation, std::make_exception_ptr(ClientError(std::string(invocation.name) + ": the client is shut down (" + why + ")")));
        return;
    }
    const auto now = Clock::now();
    if (now >= invocation.deadline) {
        fail(invocation, std::make_exception_ptr(TimeoutError(
                             std::string(invocation.name) + " did not complete within " +
                             std::to_string(config_.invocation_timeout.count()) + " ms (" +
                             std::to_string(invocation.attempt + 1) + " attempts): " + why)));
        return;
    }
    ++invocation.attempt;
    // The first retries go at once (a new owner is often known already), then back off to 500 ms.
    const auto delay = invocation.attempt <= 2 ? std::chrono::milliseconds(1)
                                               : std::min(std::chrono::milliseconds(500),
                                                          std::chrono::milliseconds(10 << std::min(invocation.attempt - 2, 6)));
    auto timer = std::make_shared<asio::steady_timer>(io_, std::min<Clock::duration>(delay, invocation.deadline - now));
    timer->async_wait([this, timer, invocation = std::move(invocation)](const boost::system::error_code&) mutable {
        invoke(std::move(invocation));
    });
}

void ClientCore::on_response(const std::shared_ptr<Connection>& connection, Invocation invocation,
                             protocol::ClientMessage response) {
    if (response.type() == pc::ErrorResponse::kType) {
        std::int32_t code = 0;
        std::string class_name = "unknown";
        std::string message;
        try {
            const auto error = protocol::decode_response<pc::ErrorResponse>(response);
            if (!error.errors.empty()) {
                code = error.errors[0].error_code;
                class_name = error.errors[0].class_name;
                message = error.errors[0].message.value_or("");
            }
        } catch (const std::exception& e) {
            message = std::string("an undecodable error response: ") + e.what();
        }
        if (retryable_code(code) && !invocation.target) {
            retry_later(std::move(invocation), connection->address() + " answered " + class_name + ": " + message);
            return;
        }
        fail(invocation, std::make_exception_ptr(ServerError(code, class_name, message)));
        return;
    }
    try {
        if (invocation.done) invocation.done(&response, nullptr);
    } catch (const std::exception& e) {
        logger.warn(std::string("a completion handler of ") + invocation.name + " threw: " + e.what());
    }
}

void ClientCore::on_closed(const std::shared_ptr<Connection>& connection, std::vector<Invocation> waiting,
                           const std::string& reason) {
    std::shared_ptr<Connection> new_cluster_connection;
    {
        std::lock_guard lock(mutex_);
        std::erase(connections_, connection);
        std::erase(connecting_, connection);
        routes_stale_ = true;
        if (cluster_connection_ == connection) {
            cluster_connection_.reset();
            for (const auto& c : connections_) {
                if (!c->closed()) {
                    cluster_connection_ = new_cluster_connection = c;
                    break;
                }
            }
            last_error_ = reason;
            view_.reset_versions();
        }
        for (auto& [id, registration] : registrations_) {
            std::erase_if(registration->active, [&](const ListenerRegistration::OnConnection& on) {
                auto c = on.connection.lock();
                return !c || c == connection;
            });
        }
    }
    changed_.notify_all();
    if (new_cluster_connection) listen_to_cluster_view(new_cluster_connection);
    for (auto& invocation : waiting) {
        if (invocation.target) {
            fail(invocation, std::make_exception_ptr(ConnectionError(std::string(invocation.name) + ": " + reason)));
        } else if (invocation.retry == Retry::kOnDisconnect) {
            retry_later(std::move(invocation), reason);
        } else {
            fail(invocation, std::make_exception_ptr(ConnectionError(
                                 std::string(invocation.name) + ": " + reason +
                                 "; not retried, since the member may have applied it and a repeat could answer differently")));
        }
    }
}

// ---- connections ---------------------------------------------------------------------------

void ClientCore::schedule_tick() {
    if (stopped_) return;
    tick_timer_.expires_after(kTickInterval);
    tick_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) tick();
    });
}

void ClientCore::tick() {
    if (stopped_) return;
    connect_cluster();
    if (config_.smart_routing) connect_missing_members();
    // Heartbeats: a ping on a connection idle for heartbeat_interval; a connection that has
    // read nothing for heartbeat_timeout is dead (the member answers every ping).
    // An invocation on a live connection waits for its answer (as in Hazelcast, the deadline
    // bounds retries); a dead member is found by these heartbeats instead.
    std::vector<std::shared_ptr<Connection>> connections;
    std::vector<std::shared_ptr<Connection>> stuck;
    const auto now = Clock::now();
    {
        std::lock_guard lock(mutex_);
        connections = connections_;
        // Dialed (the dial has its own timer) but never answered the authentication.
        for (const auto& c : connecting_) {
            if (now - c->last_read() > 2 * config_.connect_timeout) stuck.push_back(c);
        }
    }
    for (const auto& c : stuck) c->close("no answer to the authentication from " + c->address());
    for (const auto& c : connections) {
        if (now - c->last_read() > config_.heartbeat_timeout) {
            c->close("no answer from " + c->address() + " for " + std::to_string(config_.heartbeat_timeout.count()) + " ms");
        } else if (now - c->last_write() > config_.heartbeat_interval) {
            Invocation ping;
            ping.wire = protocol::to_wire(protocol::encode_request(pc::PingRequest{}, 0));
            ping.target = c;
            ping.name = "Client.ping";
            invoke(std::move(ping));
        }
    }
    schedule_tick();
}

std::vector<std::pair<std::string, int>> ClientCore::candidate_addresses() const {
    std::vector<std::pair<std::string, int>> out;
    for (const auto& m : view_.members()) out.emplace_back(m.address.host, m.address.port);
    for (const auto& a : config_.addresses) {
        auto parsed = parse_address(a);
        if (std::find(out.begin(), out.end(), parsed) == out.end()) out.push_back(parsed);
    }
    return out;
}

// One attempt at a time at the next candidate while there is no cluster connection; after a
// full round of failures the next round waits (100 ms doubling to 2 s).
void ClientCore::connect_cluster() {
    std::pair<std::string, int> target;
    {
        std::lock_guard lock(mutex_);
        if (cluster_connection_ || cluster_attempt_active_ || Clock::now() < next_cluster_attempt_) return;
        const auto candidates = candidate_addresses();
        target = candidates[next_candidate_ % candidates.size()];
        ++next_candidate_;
        cluster_attempt_active_ = true;
    }
    connect_to(target.first, target.second, true);
}

void ClientCore::connect_missing_members() {
    std::vector<std::pair<std::string, int>> wanted;
    {
        std::lock_guard lock(mutex_);
        if (!cluster_connection_) return;
        for (const auto& m : view_.members()) {
            bool have = false;
            for (const auto& c : connections_) have = have || c->member() == m.uuid;
            for (const auto& c : connecting_) have = have || (c->host() == m.address.host && c->port() == m.address.port);
            if (!have) wanted.emplace_back(m.address.host, m.address.port);
        }
    }
    for (const auto& [host, port] : wanted) connect_to(host, port, false);
}

void ClientCore::connect_to(const std::string& host, int port, bool for_cluster) {
    auto connection = std::make_shared<Connection>(io_, *this, host, port);
    {
        std::lock_guard lock(mutex_);
        connecting_.push_back(connection);
    }
    connection->connect(config_.connect_timeout, [this, connection, for_cluster](const std::string& error) {
        if (!error.empty()) {
            on_connect_failed(connection, error, for_cluster);
            return;
        }
        authenticate(connection, for_cluster);
    });
}

void ClientCore::authenticate(const std::shared_ptr<Connection>& connection, bool for_cluster) {
    pc::AuthenticationRequest request;
    request.cluster_name = config_.cluster_name;
    request.uuid = client_uuid_;
    request.client_type = "CPP";
    request.serialization_version = 1;
    request.client_hazelcast_version = "5.3.0";
    request.client_name = client_name_;
    request.routing_mode = config_.smart_routing ? 1 : 0;  // SMART 1, UNISOCKET 0
    Invocation invocation;
    invocation.wire = protocol::to_wire(protocol::encode_request(request, 0));
    invocation.target = connection;
    invocation.name = "Client.authentication";
    invocation.deadline = Clock::now() + config_.connect_timeout;
    invocation.done = [this, connection, for_cluster](protocol::ClientMessage* response, std::exception_ptr error) {
        std::string failure;
        if (!response) {
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                failure = std::string("authentication to ") + connection->address() + " failed: " + e.what();
            }
        } else {
            try {
                const auto answer = protocol::decode_response<pc::AuthenticationResponse>(*response);
                if (answer.status != pc::kAuthenticated || !answer.member_uuid) {
                    failure = "authentication to " + connection->address() + " refused: " +
                              describe_status(answer.status, config_.cluster_name);
                } else {
                    connection->set_member(*answer.member_uuid);
                    if (answer.partition_count > 0) view_.set_partition_count(answer.partition_count);
                }
            } catch (const std::exception& e) {
                failure = "authentication to " + connection->address() + ": " + e.what();
            }
        }
        if (!failure.empty()) {
            on_connect_failed(connection, failure, for_cluster);
            connection->close(failure);
            return;
        }
        {
            std::lock_guard lock(mutex_);
            if (for_cluster) cluster_attempt_active_ = false;
        }
        on_authenticated(connection);
    };
    invoke(std::move(invocation));
}

void ClientCore::on_connect_failed(const std::shared_ptr<Connection>& connection, const std::string& error, bool for_cluster) {
    std::lock_guard lock(mutex_);
    std::erase(connecting_, connection);
    last_error_ = error;
    if (for_cluster) {
        cluster_attempt_active_ = false;
        if (++failed_in_row_ % std::max<std::size_t>(1, candidate_addresses().size()) == 0) {
            const auto rounds = failed_in_row_ / std::max<std::size_t>(1, candidate_addresses().size());
            next_cluster_attempt_ = Clock::now() + std::min(std::chrono::milliseconds(2000),
                                                            std::chrono::milliseconds(100) * (1 << std::min<std::size_t>(rounds, 5)));
        }
    }
}

void ClientCore::on_authenticated(const std::shared_ptr<Connection>& connection) {
    bool keep = true;
    bool becomes_cluster_connection = false;
    std::vector<std::shared_ptr<ListenerRegistration>> registrations;
    {
        std::lock_guard lock(mutex_);
        std::erase(connecting_, connection);
        if (stopped_ || connection->closed()) keep = false;
        for (const auto& c : connections_) {
            if (c->member() == connection->member()) keep = false;  // one per member
        }
        if (!config_.smart_routing && cluster_connection_) keep = false;  // unisocket: one in all
        if (keep) {
            connections_.push_back(connection);
            routes_stale_ = true;
            failed_in_row_ = 0;
            if (!cluster_connection_) {
                cluster_connection_ = connection;
                becomes_cluster_connection = true;
                view_.reset_versions();
            }
            for (const auto& [id, r] : registrations_) registrations.push_back(r);
        }
    }
    if (!keep) {
        connection->close("a connection to that member exists already");
        return;
    }
    logger.debug("connected to " + connection->address() + " (member " + connection->member()->to_string() + ")");
    if (becomes_cluster_connection) listen_to_cluster_view(connection);
    // Listeners follow the connections: a member that joined hears of them too.
    if (config_.smart_routing) {
        for (const auto& r : registrations) register_on(r, connection, true, [](std::exception_ptr) {});
    }
    changed_.notify_all();
}

void ClientCore::listen_to_cluster_view(const std::shared_ptr<Connection>& connection) {
    Invocation invocation;
    invocation.wire = protocol::to_wire(protocol::encode_request(pc::AddClusterViewListenerRequest{}, 0));
    invocation.target = connection;
    invocation.name = "Client.addClusterViewListener";
    invocation.on_event = [this](const protocol::ClientMessage& event) {
        try {
            bool members_changed = false;
            if (event.type() == pc::MembersViewEvent::kType) {
                members_changed = view_.apply(protocol::decode_event<pc::MembersViewEvent>(event));
            } else if (event.type() == pc::PartitionsViewEvent::kType) {
                view_.apply(protocol::decode_event<pc::PartitionsViewEvent>(event));
            }
            if (members_changed) on_members_changed();
        } catch (const std::exception& e) {
            logger.warn(std::string("an undecodable cluster view event: ") + e.what());
        }
        std::lock_guard lock(mutex_);
        routes_stale_ = true;
        changed_.notify_all();
    };
    invocation.done = [connection](protocol::ClientMessage*, std::exception_ptr error) {
        if (error) connection->close("the cluster view listener could not be registered");
    };
    invoke(std::move(invocation));
}

// Connections to members that left the view are closed; smart clients dial the new ones.
void ClientCore::on_members_changed() {
    std::vector<std::shared_ptr<Connection>> gone;
    {
        std::lock_guard lock(mutex_);
        for (const auto& c : connections_) {
            if (const auto m = c->member(); m && !view_.has_member(*m)) gone.push_back(c);
        }
    }
    for (const auto& c : gone) c->close("member " + c->address() + " left the cluster");
    if (config_.smart_routing) connect_missing_members();
}

}  // namespace shoal::client::detail
