// The Hazelcast-protocol driver: Map.Get / Map.Set through Shoal's client library
// (member/client), so the load is what a user's smart client sends and the library's cost per
// operation is measured along with the member's.
//
// One logical connection is one shoal::client::Client with smart routing: one socket per member
// (the addresses given with --host, and any member the cluster view adds), each key sent to its
// partition's owner, many calls in flight per socket matched by correlation id. The client runs
// on the runner's io_context, so its callbacks come on the thread that owns this connection and
// requests made inside a callback leave in one write when it returns, as the Driver asks.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>

#include "client/client.h"
#include "driver.h"

namespace shoal::bench {
namespace {

namespace sc = shoal::client;
constexpr auto kReadyPoll = std::chrono::milliseconds(1);

sc::ClientConfig client_config(const Options& o, int index) {
    sc::ClientConfig config;
    config.addresses.clear();
    for (const auto& e : o.endpoints) config.addresses.push_back(e.host + ":" + std::to_string(e.port));
    config.cluster_name = o.cluster_name;
    config.client_name = "shoal-bench-" + std::to_string(index);
    config.smart_routing = true;
    return config;
}

class HazelcastConnection final : public Connection {
public:
    HazelcastConnection(boost::asio::io_context& io, const Options& o, Handler& handler, int index)
        : Connection(index), o_(o), io_(io), handler_(handler), ready_timer_(io) {}

    void start() override {
        client_.emplace(client_config(o_, index()), io_);
        map_.emplace(client_->get_map(o_.map_name));
        started_ = std::chrono::steady_clock::now();
        wait_ready();
    }

    void get(std::string_view key, std::uint32_t tag) override {
        map_->get_async(sc::Value(key), [this, tag](sc::Result<std::optional<sc::Value>> r) {
            handler_.on_answer(*this, tag, !r.ok() ? Outcome::kError : r.value() ? Outcome::kOk : Outcome::kMiss);
        });
    }

    void set(std::string_view key, std::string_view value, std::uint32_t tag) override {
        map_->set_async(sc::Value(key), sc::Value(sc::Bytes{std::string(value)}), [this, tag](sc::Result<sc::Unit> r) {
            handler_.on_answer(*this, tag, r.ok() ? Outcome::kOk : Outcome::kError);
        });
    }

    // The client library writes what was queued as soon as the io_context runs again.
    void flush() override {}

private:
    // Ready when the cluster view is complete and there is a socket to every member (so no
    // request is forwarded by a member that does not own its key).
    void wait_ready() {
        if (client_->connected() && client_->connection_count() >= client_->members().size()) {
            handler_.on_ready(*this);
            return;
        }
        if (std::chrono::steady_clock::now() - started_ > std::chrono::seconds(10)) {
            handler_.on_failed(*this, "no connection to every member within 10 s: " + client_->last_error());
            return;
        }
        ready_timer_.expires_after(kReadyPoll);
        ready_timer_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) wait_ready();
        });
    }

    const Options& o_;
    boost::asio::io_context& io_;
    Handler& handler_;
    boost::asio::steady_timer ready_timer_;
    std::chrono::steady_clock::time_point started_;
    std::optional<sc::Client> client_;
    std::optional<sc::Map> map_;
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
