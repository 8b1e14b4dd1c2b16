// ClientCore: the client's machinery behind Client and Map (internal; it includes Asio).
//
//   connections   dial, authenticate (cluster name), keep one per member (smart) or one in all
//                 (unisocket); a 100 ms tick reconnects, pings idle connections and closes
//                 silent ones
//   cluster view  Client.addClusterViewListener on one connection (the "cluster connection"),
//                 re-registered on another when it closes
//   invocations   route (route_of: partition owner, else the cluster connection), send with a
//                 fresh correlation id, retry with back-off until the invocation deadline
//   listeners     registrations that follow the connections (see listeners.cc)
//
// Locking: mutex_ guards the connection sets and registrations; callbacks into user code run
// with no lock held, on IO threads.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client/client_config.h"
#include "client/cluster_view.h"
#include "client/connection.h"
#include "client/invocation.h"

namespace shoal::client::detail {

// A listener registration that follows the connections: registered on every member with
// localOnly (smart), or once cluster-wide (unisocket).
struct ListenerRegistration {
    std::string id;  // the client-side id handed to the caller
    std::function<std::string(bool local_only)> encode_add;
    std::function<std::string(const util::Uuid& server_id)> encode_remove;
    std::function<util::Uuid(const protocol::ClientMessage& response)> decode_add;
    EventHandler on_event;
    struct OnConnection {
        std::weak_ptr<Connection> connection;
        std::int64_t correlation_id = 0;
        util::Uuid server_id;
    };
    std::vector<OnConnection> active;  // guarded by ClientCore::mutex_
};

class ClientCore : public ConnectionOwner {
public:
    // Runs on its own io_context with config.io_threads threads.
    explicit ClientCore(ClientConfig config);
    // Runs on the caller's io_context, on the threads that run it (no threads of its own).
    ClientCore(ClientConfig config, boost::asio::io_context& io);
    ~ClientCore() override;

    void start();
    void shutdown();
    bool wait_connected(std::chrono::milliseconds timeout);
    bool connected() const;
    std::string last_error() const;

    // Sends `invocation` (any thread). Its deadline is set from the invocation timeout when unset.
    void invoke(Invocation invocation);

    // Listener registrations; `done` gets the registration id or the error.
    void add_listener(std::shared_ptr<ListenerRegistration> registration,
                      std::function<void(std::exception_ptr)> done);
    void remove_listener(const std::string& id, std::function<void(bool removed)> done);

    const ClientConfig& config() const { return config_; }
    ClusterView& view() { return view_; }
    std::size_t connection_count() const;

    // ConnectionOwner
    void on_response(const std::shared_ptr<Connection>& connection, Invocation invocation,
                     protocol::ClientMessage response) override;
    void on_closed(const std::shared_ptr<Connection>& connection, std::vector<Invocation> waiting,
                   const std::string& reason) override;

private:
    ClientCore(ClientConfig config, boost::asio::io_context* io);
    std::shared_ptr<Connection> route_of(const Invocation& invocation);
    void rebuild_routes();  // mutex_ held
    void retry_later(Invocation invocation, const std::string& why);
    void fail(Invocation& invocation, std::exception_ptr error);

    void tick();
    void schedule_tick();
    void connect_cluster();
    void connect_missing_members();
    void connect_to(const std::string& host, int port, bool for_cluster);
    void authenticate(const std::shared_ptr<Connection>& connection, bool for_cluster);
    void on_authenticated(const std::shared_ptr<Connection>& connection);
    void on_connect_failed(const std::shared_ptr<Connection>& connection, const std::string& error, bool for_cluster);
    void listen_to_cluster_view(const std::shared_ptr<Connection>& connection);
    void on_members_changed();
    void register_on(const std::shared_ptr<ListenerRegistration>& registration,
                     const std::shared_ptr<Connection>& connection, bool local_only,
                     std::function<void(std::exception_ptr)> done);
    std::vector<std::pair<std::string, int>> candidate_addresses() const;

    ClientConfig config_;
    std::string client_name_;
    util::Uuid client_uuid_;
    std::unique_ptr<boost::asio::io_context> own_io_;  // null on the caller's io_context
    boost::asio::io_context& io_;
    // Keeps our own io_context running while idle; a caller's io_context is the caller's to stop.
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
    boost::asio::steady_timer tick_timer_;
    std::vector<std::thread> threads_;
    ClusterView view_;
    std::atomic<std::int64_t> next_correlation_id_{1};
    std::atomic<bool> stopped_{false};

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::shared_ptr<Connection>> connections_;  // authenticated, alive
    std::vector<std::shared_ptr<Connection>> connecting_;   // dialing or authenticating
    std::shared_ptr<Connection> cluster_connection_;
    // Partition -> 1 + the index in connections_ of its owner's connection (0: none), rebuilt
    // on the first call after the connections or the cluster view changed, so a call's routing
    // is one lookup in a table small enough to stay in cache.
    std::vector<std::uint16_t> routes_;
    bool routes_stale_ = true;
    bool cluster_attempt_active_ = false;
    std::size_t next_candidate_ = 0;
    std::size_t failed_in_row_ = 0;
    std::chrono::steady_clock::time_point next_cluster_attempt_{};
    std::string last_error_ = "not connected yet";
    std::map<std::string, std::shared_ptr<ListenerRegistration>> registrations_;
};

}  // namespace shoal::client::detail
