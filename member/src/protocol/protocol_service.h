// ProtocolService: the client protocol's member side without the network. It dispatches each
// request to its task (one table per message family), answers every message it does not serve
// with UNSUPPORTED_OPERATION naming it, and keeps the clients that listen to the cluster view
// up to date (MembersView and PartitionsView on every change).
//
// Thread safety: handle() runs on the connection's IO thread; refresh_views() on any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "protocol/client_connection.h"
#include "protocol/client_messages.h"
#include "protocol/member_sync.h"
#include "protocol/task.h"

namespace shoal::partition {
class MapOperations;
struct KeyOperation;
}
namespace shoal::cluster {
class ClusterService;
}

namespace shoal::protocol {

// The Hazelcast version Shoal reports to clients: current clients accept it.
inline constexpr const char* kServerHazelcastVersion = "5.3.0";
inline constexpr const char* kMapServiceName = "hz:impl:mapService";

struct ProtocolDependencies {
    partition::MapOperations& maps;
    cluster::ClusterService& cluster;
    std::string cluster_name;
};

class ProtocolService {
public:
    explicit ProtocolService(ProtocolDependencies deps);

    // One request from `connection`; the answer goes back through it.
    void handle(const ConnectionPtr& connection, ClientEndpoint& endpoint, const ClientMessage& request);
    // The connection is gone: forget its listeners.
    void connection_closed(std::uint64_t connection_id);

    // Sends MembersView / PartitionsView to every listening client whose view is older.
    void refresh_views();

    // How this member's front end reaches the other members' (protocol/member_sync.h); the
    // app wires it over the member protocol before serving. Without one (a member of its
    // own, tests) nothing is shared.
    struct MemberLink {
        std::string local;  // this member's UUID
        // One-way to the member with that UUID; dropped if it is unknown or unreachable.
        std::function<void(const std::string& member, std::string body)> post;
        // Answered: done(false) when the member is unknown, the connection is lost or after a
        // timeout; exactly once.
        std::function<void(const std::string& member, std::string body, std::function<void(bool ok)> done)> call;
    };
    void set_member_link(MemberLink link);
    // A member sync message from member `from`; `answer` is empty for one-way ones. Throws
    // util::DecodeError on a malformed one.
    void on_member_message(const std::string& from, const std::string& body, const std::function<void()>& answer);
    // The member list may have changed: members that joined get this member's listener shares
    // and proxies; shares whose subscriber left are dropped (so nobody forwards to it forever).
    void on_members_changed();

    // ---- for the tasks ----
    partition::MapOperations& maps() { return deps_.maps; }
    cluster::ClusterService& cluster() { return deps_.cluster; }
    const std::string& cluster_name() const { return deps_.cluster_name; }
    // Registers a cluster-view listener: sends both views now (before the caller responds).
    void add_view_listener(const ConnectionPtr& connection, std::int64_t correlation_id);
    std::size_t view_listener_count() const;
    // Proxies clients created here (CreateProxy), by service then name.
    void add_proxy(const std::string& service, const std::string& name);
    void remove_proxy(const std::string& service, const std::string& name);
    std::vector<DistributedObjectInfo> proxies() const;
    std::size_t listener_share_count() const;  // shares of other members' listeners held here

    // Entry listeners registered on this member: they hear of the entries it owns, and the
    // cluster-wide ones also of the entries the other members own (forwarded here).
    struct EntryListener {
        std::weak_ptr<ClientConnection> connection;
        std::uint64_t connection_id = 0;
        std::int64_t correlation_id = 0;
        std::int32_t event_message_type = 0;   // Map addEntryListener(ToKey) event
        std::string map;
        std::optional<std::string> key;        // key identity (Data without its hash); all keys if unset
        bool include_value = false;
        std::int32_t flags = 0;                // entry_event types wanted
        util::Uuid member_uuid;                // this member, as the events' source
        bool cluster_wide = false;             // localOnly false: shared with every member
    };
    util::Uuid add_entry_listener(EntryListener listener);
    // A cluster-wide listener: registered here and on every other member, which forward the
    // events of the entries they own; `registered(id)` once each member answered (or failed to).
    void add_cluster_entry_listener(EntryListener listener, std::function<void(util::Uuid)> registered);
    bool remove_entry_listener(const util::Uuid& registration_id);
    // From the owner's partition thread (PartitionService::EntryObserver).
    bool wants_entry_events(const std::string& map) const;
    void on_entry_changed(const partition::KeyOperation& op, const std::optional<std::string>& before,
                          const std::optional<std::string>& after);
    // An owned entry expired: EXPIRED, with its last value as the old value.
    void on_entry_expired(const std::string& map, std::string_view key_identity, std::string_view value);
    // clear / evictAll through this member removed `affected` entries: CLEAR_ALL or EVICT_ALL
    // to this member's listeners of the map (smart clients registered here too).
    void on_map_cleared(const std::string& map, std::int32_t event_type, std::size_t affected);

    // Key locks: a connection that takes (or waits for) a lock is noted with its client; when
    // it closes, and the client has no other such connection here, every lock of the client is
    // released on every member (as Hazelcast releases a departed client's locks).
    void note_lock_user(std::uint64_t connection_id, const util::Uuid& client);
    bool lock_user_connected(std::uint64_t connection_id) const;

    // The current views as events (the correlation id is the listener's).
    client::MembersViewEvent members_view() const;
    client::PartitionsViewEvent partitions_view() const;

private:
    struct ViewListener {
        std::weak_ptr<ClientConnection> connection;
        std::int64_t correlation_id = 0;
        std::int32_t members_version = -1;     // last sent
        std::int32_t partitions_version = -1;  // last sent
    };
    // Sends one entry event to every listener of `map` that wants `type` (and this key).
    // A map-wide event has no key (every listener of the map hears it) and counts `affected`.
    void publish_entry_event(const std::string& map, const std::optional<std::string>& key_data, std::int32_t type,
                             const std::optional<std::string>& value, const std::optional<std::string>& old_value,
                             std::int32_t affected = 1);
    void send_views_locked(ViewListener& listener, const client::MembersViewEvent& members,
                           const client::PartitionsViewEvent& partitions, bool force);

    ProtocolDependencies deps_;
    TaskTable tasks_;
    mutable std::mutex mutex_;  // guards the listeners and proxies
    std::map<std::uint64_t, ViewListener> view_listeners_;  // by connection id
    std::set<std::pair<std::string, std::string>> proxies_;
    std::atomic<int> entry_listener_count_{0};
    struct UuidLess {
        bool operator()(const util::Uuid& a, const util::Uuid& b) const {
            return a.most != b.most ? a.most < b.most : a.least < b.least;
        }
    };
    std::map<util::Uuid, EntryListener, UuidLess> entry_listeners_;  // by registration id
    // Shares of other members' cluster-wide listeners, by registration id.
    struct SharedListener {
        std::string subscriber;  // the member holding the client's connection
        ListenerShare share;
    };
    std::map<util::Uuid, SharedListener, UuidLess> shared_listeners_;
    MemberLink link_;  // set before serving
    util::Uuid local_uuid_;
    std::set<std::string> known_members_;  // the other members, as of the last on_members_changed
    void post_to_members(const std::vector<std::string>& members, const std::string& body) const;
    void deliver_forwarded(const std::string& from, const ForwardedEvent& event);
    static ListenerShare share_of(const util::Uuid& id, const EntryListener& l);
    std::map<std::uint64_t, util::Uuid> lock_users_;  // connection id -> client UUID
};

}  // namespace shoal::protocol
