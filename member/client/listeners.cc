// ClientCore's listener registrations: they follow the connections.
//
// Smart routing registers on every member with localOnly (each member reports the entries it
// owns, as the Node.js client does), and on each member that connects later; a registration
// on a connection that closes is forgotten with it. Unisocket registers once, cluster-wide
// (localOnly false), on its one connection.
#include <boost/asio/post.hpp>

#include "client/client_core.h"
#include "client/client_errors.h"

namespace shoal::client::detail {

void ClientCore::register_on(const std::shared_ptr<ListenerRegistration>& registration,
                             const std::shared_ptr<Connection>& connection, bool local_only,
                             std::function<void(std::exception_ptr)> done) {
    Invocation invocation;
    invocation.wire = registration->encode_add(local_only);
    invocation.target = connection;
    invocation.name = "Map.addEntryListener";
    invocation.on_event = registration->on_event;
    invocation.done = [this, registration, connection, done = std::move(done)](protocol::ClientMessage* response,
                                                                               std::exception_ptr error) {
        if (!response) {
            done(std::move(error));
            return;
        }
        try {
            const auto server_id = registration->decode_add(*response);
            bool still_registered = false;
            {
                std::lock_guard lock(mutex_);
                still_registered = registrations_.count(registration->id) > 0 && !connection->closed();
                if (still_registered) {
                    registration->active.push_back({connection, response->correlation_id(), server_id});
                }
            }
            if (!still_registered) {
                // Removed (or closed) while this registration was on its way: undo it.
                connection->remove_event_handler(response->correlation_id());
                Invocation remove;
                remove.wire = registration->encode_remove(server_id);
                remove.target = connection;
                remove.name = "Map.removeEntryListener";
                invoke(std::move(remove));
            }
            done(nullptr);
        } catch (...) {
            done(std::current_exception());
        }
    };
    invoke(std::move(invocation));
}

void ClientCore::add_listener(std::shared_ptr<ListenerRegistration> registration,
                              std::function<void(std::exception_ptr)> done) {
    std::vector<std::shared_ptr<Connection>> targets;
    {
        std::lock_guard lock(mutex_);
        if (config_.smart_routing) {
            targets = connections_;
        } else if (cluster_connection_) {
            targets.push_back(cluster_connection_);
        }
        if (!targets.empty()) registrations_[registration->id] = registration;
    }
    if (targets.empty()) {
        done(std::make_exception_ptr(ConnectionError("Map.addEntryListener: no connection to the cluster (" + last_error() + ")")));
        return;
    }
    // Answers when every member has answered; the first error wins and undoes the registration.
    struct Pending {
        std::mutex mutex;
        std::size_t left;
        std::exception_ptr error;
        std::function<void(std::exception_ptr)> done;
    };
    auto pending = std::make_shared<Pending>();
    pending->left = targets.size();
    pending->done = std::move(done);
    const bool local_only = config_.smart_routing;
    for (const auto& target : targets) {
        register_on(registration, target, local_only, [this, pending, registration](std::exception_ptr error) {
            bool last = false;
            {
                std::lock_guard lock(pending->mutex);
                if (error && !pending->error) pending->error = error;
                last = --pending->left == 0;
            }
            if (!last) return;
            if (pending->error) {
                remove_listener(registration->id, [](bool) {});
            }
            pending->done(pending->error);
        });
    }
}

void ClientCore::remove_listener(const std::string& id, std::function<void(bool removed)> done) {
    std::shared_ptr<ListenerRegistration> registration;
    std::vector<ListenerRegistration::OnConnection> active;
    {
        std::lock_guard lock(mutex_);
        auto it = registrations_.find(id);
        if (it != registrations_.end()) {
            registration = it->second;
            active = std::move(registration->active);
            registration->active.clear();
            registrations_.erase(it);
        }
    }
    if (!registration) {
        done(false);
        return;
    }
    // Events stop at once on this side; the members are told, and the answer waits for them.
    auto left = std::make_shared<std::atomic<std::size_t>>(active.size() + 1);
    auto shared_done = std::make_shared<std::function<void(bool)>>(std::move(done));
    auto one_done = [left, shared_done] {
        if (left->fetch_sub(1) == 1) (*shared_done)(true);
    };
    for (const auto& on : active) {
        auto connection = on.connection.lock();
        if (!connection) {
            one_done();
            continue;
        }
        connection->remove_event_handler(on.correlation_id);
        Invocation remove;
        remove.wire = registration->encode_remove(on.server_id);
        remove.target = connection;
        remove.name = "Map.removeEntryListener";
        remove.done = [one_done](protocol::ClientMessage*, std::exception_ptr) { one_done(); };
        invoke(std::move(remove));
    }
    one_done();
}

}  // namespace shoal::client::detail
