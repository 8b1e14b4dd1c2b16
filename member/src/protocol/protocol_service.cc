#include "protocol/protocol_service.h"

#include <algorithm>
#include <atomic>
#include <iterator>
#include <limits>

#include "cluster/cluster_service.h"
#include "map/data.h"
#include "partition/map_operations.h"
#include "protocol/map_messages.h"
#include "protocol/message_names.h"
#include "protocol/lock_owner.h"
#include "util/log.h"

namespace shoal::protocol {
namespace {

const util::Logger logger("shoal.client");

// MemberInfo.version: the Hazelcast version Shoal reports, as its MemberVersion.
constexpr MemberVersion kMemberVersion{5, 3, 0};

}  // namespace

ProtocolService::ProtocolService(ProtocolDependencies deps) : deps_(std::move(deps)) {
    register_client_tasks(tasks_);
    register_map_tasks(tasks_);
    register_map_lock_tasks(tasks_);
}

void ProtocolService::handle(const ConnectionPtr& connection, ClientEndpoint& endpoint, const ClientMessage& request) {
    Reply reply{connection, request.correlation_id()};
    if (!request.has_header(kRequestHeaderSize)) {
        reply.error(ErrorCode::kIllegalArgument,
                    "malformed request: its initial frame has " + std::to_string(request.frames[0].content.size()) +
                        " bytes, less than the 16-byte request header");
        return;
    }
    const std::int32_t type = request.type();
    if (!endpoint.authenticated && type != client::AuthenticationRequest::kType) {
        reply.error(ErrorCode::kAuthentication,
                    describe_message_type(type) + " before authentication: send Client.authentication first");
        return;
    }
    const auto task = tasks_.find(type);
    if (task == tasks_.end()) {
        reply.error(ErrorCode::kUnsupportedOperation,
                    describe_message_type(type) + " is not supported by Shoal " SHOAL_VERSION);
        logger.debug("unsupported " + describe_message_type(type) + " from " + connection->peer());
        return;
    }
    TaskContext context{*this, endpoint, request, reply, request.partition_id()};
    try {
        task->second(context);
    } catch (const util::DecodeError& e) {
        reply.error(ErrorCode::kIllegalArgument, std::string("malformed ") + e.what());
    } catch (const std::exception& e) {
        reply.error(ErrorCode::kHazelcast, describe_message_type(type) + " failed: " + e.what());
    }
}

void ProtocolService::connection_closed(std::uint64_t connection_id) {
    std::optional<util::Uuid> release;
    {
        std::lock_guard lock(mutex_);
        if (auto it = lock_users_.find(connection_id); it != lock_users_.end()) {
            const util::Uuid client = it->second;
            lock_users_.erase(it);
            const bool other = std::any_of(lock_users_.begin(), lock_users_.end(),
                                           [&](const auto& entry) { return entry.second == client; });
            if (!other) release = client;
        }
    }
    // A stopping member closes every connection: its partitions are handed over (or lost),
    // and the other members may no longer answer; nothing to release from here.
    if (release && deps_.cluster.node_state() == cluster::NodeState::kActive) {
        const std::string name = release->to_string();
        deps_.maps.release_locks(lock_owner_prefix(*release), [name](partition::OpResult<std::size_t> r) {
            if (r.ok() && r.value > 0) {
                logger.info("released " + std::to_string(r.value) + " map lock(s) of client " + name + ", which left");
            } else if (!r.ok()) {
                logger.warn("could not release the map locks of client " + name + ": " + partition::to_string(r.status));
            }
        });
    }
    std::vector<std::string> removals;  // of this client's cluster-wide listeners
    std::vector<std::string> members;
    {
        std::lock_guard lock(mutex_);
        view_listeners_.erase(connection_id);
        for (auto it = entry_listeners_.begin(); it != entry_listeners_.end();) {
            if (it->second.connection_id == connection_id) {
                if (it->second.cluster_wide) removals.push_back(encode_remove_listener(it->first));
                it = entry_listeners_.erase(it);
                entry_listener_count_.fetch_sub(1, std::memory_order_relaxed);
            } else {
                ++it;
            }
        }
        members.assign(known_members_.begin(), known_members_.end());
    }
    for (const auto& body : removals) post_to_members(members, body);
}

// ---- cluster views ------------------------------------------------------------------------

client::MembersViewEvent ProtocolService::members_view() const {
    const cluster::ClusterView view = deps_.cluster.view();
    client::MembersViewEvent event;
    event.version = view.version;
    for (const auto& m : view.members) {
        MemberInfo info;
        info.address = Address{m.host, m.port};
        info.uuid = m.uuid;
        info.version = kMemberVersion;
        // As a member without advanced networking: one address for members and clients.
        info.address_map = {{EndpointQualifier{0, std::nullopt}, info.address},
                            {EndpointQualifier{1, std::nullopt}, info.address}};
        event.members.push_back(std::move(info));
    }
    return event;
}

client::PartitionsViewEvent ProtocolService::partitions_view() const {
    client::PartitionsViewEvent event;
    const partition::TablePtr table = deps_.maps.partition_table();
    if (!table) return event;
    event.version = static_cast<std::int32_t>(table->version);
    std::map<std::string, std::vector<std::int32_t>> by_owner;
    for (int p = 0; p < table->partition_count(); ++p) {
        const std::string& owner = table->owner(p);
        if (!owner.empty()) by_owner[owner].push_back(p);
    }
    for (auto& [owner, partitions] : by_owner) {
        const auto uuid = util::Uuid::parse(owner);
        if (uuid) event.partitions.entries.emplace_back(*uuid, std::move(partitions));
    }
    return event;
}

void ProtocolService::send_views_locked(ViewListener& listener, const client::MembersViewEvent& members,
                                        const client::PartitionsViewEvent& partitions, bool force) {
    const auto connection = listener.connection.lock();
    if (!connection) return;
    if (force || members.version != listener.members_version) {
        connection->push(encode_event(members, listener.correlation_id));
        listener.members_version = members.version;
    }
    if (force || partitions.version != listener.partitions_version) {
        connection->push(encode_event(partitions, listener.correlation_id));
        listener.partitions_version = partitions.version;
    }
}

void ProtocolService::add_view_listener(const ConnectionPtr& connection, std::int64_t correlation_id) {
    const auto members = members_view();
    const auto partitions = partitions_view();
    std::lock_guard lock(mutex_);
    ViewListener& listener = view_listeners_[connection->id()];
    listener = ViewListener{connection, correlation_id, -1, -1};
    send_views_locked(listener, members, partitions, true);
}

std::size_t ProtocolService::view_listener_count() const {
    std::lock_guard lock(mutex_);
    return view_listeners_.size();
}

void ProtocolService::refresh_views() {
    {
        std::lock_guard lock(mutex_);
        if (view_listeners_.empty()) return;
    }
    const auto members = members_view();
    const auto partitions = partitions_view();
    std::lock_guard lock(mutex_);
    for (auto it = view_listeners_.begin(); it != view_listeners_.end();) {
        if (it->second.connection.expired()) {
            it = view_listeners_.erase(it);
            continue;
        }
        send_views_locked(it->second, members, partitions, false);
        ++it;
    }
}

// ---- entry listeners ----------------------------------------------------------------------

util::Uuid ProtocolService::add_entry_listener(EntryListener listener) {
    const util::Uuid id = util::Uuid::random();
    std::lock_guard lock(mutex_);
    entry_listeners_.emplace(id, std::move(listener));
    entry_listener_count_.fetch_add(1, std::memory_order_relaxed);
    return id;
}

bool ProtocolService::remove_entry_listener(const util::Uuid& registration_id) {
    std::vector<std::string> members;
    {
        std::lock_guard lock(mutex_);
        auto it = entry_listeners_.find(registration_id);
        if (it == entry_listeners_.end()) return false;
        if (it->second.cluster_wide) members.assign(known_members_.begin(), known_members_.end());
        entry_listeners_.erase(it);
        entry_listener_count_.fetch_sub(1, std::memory_order_relaxed);
    }
    post_to_members(members, encode_remove_listener(registration_id));
    return true;
}

ListenerShare ProtocolService::share_of(const util::Uuid& id, const EntryListener& l) {
    return ListenerShare{id, l.map, l.key, l.include_value, l.flags};
}

void ProtocolService::add_cluster_entry_listener(EntryListener listener, std::function<void(util::Uuid)> registered) {
    listener.cluster_wide = true;
    on_members_changed();  // share with the members as they are now
    const util::Uuid id = util::Uuid::random();
    std::vector<std::string> members;
    std::string body;
    {
        std::lock_guard lock(mutex_);
        body = encode(share_of(id, listener));
        entry_listeners_.emplace(id, std::move(listener));
        entry_listener_count_.fetch_add(1, std::memory_order_relaxed);
        if (link_.call) members.assign(known_members_.begin(), known_members_.end());
    }
    if (members.empty()) {
        registered(id);
        return;
    }
    // The client hears back once every member holds its share (as Hazelcast answers a
    // registration once every member has it), so no event of a write after the answer is lost.
    struct Pending {
        std::atomic<std::size_t> left;
        std::function<void(util::Uuid)> registered;
        util::Uuid id;
    };
    auto pending = std::make_shared<Pending>();
    pending->left = members.size();
    pending->registered = std::move(registered);
    pending->id = id;
    for (const auto& member : members) {
        link_.call(member, body, [pending, member](bool ok) {
            if (!ok) logger.warn("member " + member + " did not confirm a cluster-wide entry listener; it may miss its events");
            if (pending->left.fetch_sub(1) == 1) pending->registered(pending->id);
        });
    }
}

bool ProtocolService::wants_entry_events(const std::string& map) const {
    if (entry_listener_count_.load(std::memory_order_relaxed) == 0) return false;
    std::lock_guard lock(mutex_);
    for (const auto& [id, l] : entry_listeners_) {
        if (l.map == map) return true;
    }
    for (const auto& [id, s] : shared_listeners_) {
        if (s.share.map == map) return true;
    }
    return false;
}

// ADDED when the entry appears, UPDATED when its value is written again, REMOVED (EVICTED for
// IMap.evict) when it goes; a write that changes nothing (a failed replaceIfSame) fires none.
void ProtocolService::on_entry_changed(const partition::KeyOperation& op, const std::optional<std::string>& before,
                                       const std::optional<std::string>& after) {
    std::int32_t type = 0;
    if (!before && after) {
        type = map::entry_event::kAdded;
    } else if (before && !after) {
        type = op.eviction ? map::entry_event::kEvicted : map::entry_event::kRemoved;
    } else if (before && after) {
        const bool written = op.type == partition::KeyOpType::kPut || op.type == partition::KeyOpType::kSet ||
                             op.type == partition::KeyOpType::kReplace || op.type == partition::KeyOpType::kReplaceIfSame;
        if (!written || (op.type == partition::KeyOpType::kReplaceIfSame && *before != op.expected)) return;
        type = map::entry_event::kUpdated;
    } else {
        return;
    }
    publish_entry_event(op.map, op.key, type, after, before);
}

void ProtocolService::on_entry_expired(const std::string& map, std::string_view key_identity, std::string_view value) {
    std::string key(4, '\0');  // a zero partition hash, as clients expect keys back
    key.append(key_identity);
    publish_entry_event(map, key, map::entry_event::kExpired, std::nullopt, std::string(value));
}

void ProtocolService::on_map_cleared(const std::string& map, std::int32_t event_type, std::size_t affected) {
    if (affected == 0) return;  // as Hazelcast: no event when nothing was removed
    const auto count = static_cast<std::int32_t>(std::min<std::size_t>(affected, std::numeric_limits<std::int32_t>::max()));
    publish_entry_event(map, std::nullopt, event_type, std::nullopt, std::nullopt, count);
}

void ProtocolService::publish_entry_event(const std::string& map_name, const std::optional<std::string>& key_data,
                                          std::int32_t type, const std::optional<std::string>& value,
                                          const std::optional<std::string>& old_value, std::int32_t affected) {
    const std::string_view identity = key_data ? ::shoal::map::key_identity(*key_data) : std::string_view();
    const int partition = key_data ? ::shoal::map::partition_id(*key_data, deps_.maps.partition_count()) : -1;
    std::vector<std::pair<ConnectionPtr, ClientMessage>> out;
    std::vector<std::pair<std::string, std::string>> forwards;  // (subscriber, event)
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, s] : shared_listeners_) {
            const ListenerShare& share = s.share;
            if (share.map != map_name || (share.flags & type) == 0) continue;
            if (key_data && share.key && *share.key != identity) continue;
            ForwardedEvent event;
            event.registration = id;
            event.key = key_data;
            if (share.include_value) {
                event.value = value;
                event.old_value = old_value;
            }
            event.event_type = type;
            event.source = local_uuid_;
            event.affected = affected;
            event.partition = partition;
            forwards.emplace_back(s.subscriber, encode(event));
        }
        for (const auto& [id, l] : entry_listeners_) {
            if (l.map != map_name || (l.flags & type) == 0) continue;
            if (key_data && l.key && *l.key != identity) continue;
            auto connection = l.connection.lock();
            if (!connection) continue;
            map::EntryEvent<map::AddEntryListener> event;
            event.key = key_data;
            if (l.include_value) {
                event.value = value;
                event.old_value = old_value;
            }
            event.event_type = type;
            event.uuid = l.member_uuid;
            event.number_of_affected_entries = affected;
            ClientMessage message = encode_event(event, l.correlation_id, partition);
            write_le<std::int32_t>(message.frames[0].content, kTypeOffset, l.event_message_type);
            out.emplace_back(std::move(connection), std::move(message));
        }
    }
    for (auto& [connection, message] : out) connection->push(std::move(message));
    for (auto& [subscriber, body] : forwards) link_.post(subscriber, std::move(body));
}

// ---- what the members share (protocol/member_sync.h) ---------------------------------------

void ProtocolService::set_member_link(MemberLink link) {
    std::lock_guard lock(mutex_);
    local_uuid_ = util::Uuid::parse(link.local).value_or(util::Uuid{});
    link_ = std::move(link);
}

void ProtocolService::post_to_members(const std::vector<std::string>& members, const std::string& body) const {
    if (!link_.post) return;
    for (const auto& member : members) link_.post(member, body);
}

void ProtocolService::on_member_message(const std::string& from, const std::string& body,
                                        const std::function<void()>& answer) {
    util::ByteReader in(body);
    switch (decode_sync_type(in)) {
        case MemberSyncType::kAddListener: {
            ListenerShare share = decode_listener_share(in);
            {
                std::lock_guard lock(mutex_);
                const util::Uuid id = share.registration;
                auto [it, added] = shared_listeners_.insert_or_assign(id, SharedListener{from, std::move(share)});
                if (added) entry_listener_count_.fetch_add(1, std::memory_order_relaxed);
            }
            if (answer) answer();
            return;
        }
        case MemberSyncType::kRemoveListener: {
            const util::Uuid id = decode_remove_listener(in);
            std::lock_guard lock(mutex_);
            if (shared_listeners_.erase(id) > 0) entry_listener_count_.fetch_sub(1, std::memory_order_relaxed);
            return;
        }
        case MemberSyncType::kEntryEvent: deliver_forwarded(from, decode_forwarded_event(in)); return;
        case MemberSyncType::kProxies: {
            const ProxiesChange change = decode_proxies_change(in);
            std::lock_guard lock(mutex_);
            for (const auto& proxy : change.proxies) {
                if (change.destroyed) {
                    proxies_.erase(proxy);
                } else {
                    proxies_.insert(proxy);
                }
            }
            return;
        }
    }
}

// An event another member fired for one of this member's cluster-wide listeners: to the
// client, exactly as a local one (the source member's UUID, the key's partition).
void ProtocolService::deliver_forwarded(const std::string& from, const ForwardedEvent& e) {
    ConnectionPtr connection;
    ClientMessage message;
    {
        std::lock_guard lock(mutex_);
        auto it = entry_listeners_.find(e.registration);
        if (it != entry_listeners_.end()) {
            connection = it->second.connection.lock();
            map::EntryEvent<map::AddEntryListener> event;
            event.key = e.key;
            event.value = e.value;
            event.old_value = e.old_value;
            event.event_type = e.event_type;
            event.uuid = e.source;
            event.number_of_affected_entries = e.affected;
            message = encode_event(event, it->second.correlation_id, e.partition);
            write_le<std::int32_t>(message.frames[0].content, kTypeOffset, it->second.event_message_type);
        }
    }
    if (connection) {
        connection->push(std::move(message));
        return;
    }
    // The listener is gone here (its removal crossed this event): the sender should stop.
    if (link_.post) link_.post(from, encode_remove_listener(e.registration));
}

void ProtocolService::on_members_changed() {
    if (!link_.post) return;
    std::set<std::string> current;
    for (const auto& m : deps_.cluster.view().members) {
        std::string uuid = m.uuid.to_string();
        if (uuid != link_.local) current.insert(std::move(uuid));
    }
    std::vector<std::string> joined;
    std::vector<std::string> shares;
    ProxiesChange proxies;
    {
        std::lock_guard lock(mutex_);
        if (current == known_members_) return;
        std::set_difference(current.begin(), current.end(), known_members_.begin(), known_members_.end(),
                            std::back_inserter(joined));
        std::set<std::string> left;
        std::set_difference(known_members_.begin(), known_members_.end(), current.begin(), current.end(),
                            std::inserter(left, left.end()));
        known_members_ = std::move(current);
        const std::size_t before = shared_listeners_.size();
        std::erase_if(shared_listeners_, [&](const auto& entry) { return left.contains(entry.second.subscriber); });
        entry_listener_count_.fetch_sub(static_cast<int>(before - shared_listeners_.size()), std::memory_order_relaxed);
        if (joined.empty()) return;
        for (const auto& [id, l] : entry_listeners_) {
            if (l.cluster_wide) shares.push_back(encode(share_of(id, l)));
        }
        proxies.proxies.assign(proxies_.begin(), proxies_.end());
    }
    for (const auto& body : shares) post_to_members(joined, body);
    if (!proxies.proxies.empty()) post_to_members(joined, encode(proxies));
}

std::size_t ProtocolService::listener_share_count() const {
    std::lock_guard lock(mutex_);
    return shared_listeners_.size();
}

// ---- key locks --------------------------------------------------------------------------------

void ProtocolService::note_lock_user(std::uint64_t connection_id, const util::Uuid& client) {
    std::lock_guard lock(mutex_);
    lock_users_[connection_id] = client;
}

bool ProtocolService::lock_user_connected(std::uint64_t connection_id) const {
    std::lock_guard lock(mutex_);
    return lock_users_.contains(connection_id);
}

// ---- proxies ----------------------------------------------------------------------------------

// Proxies are known cluster-wide: each creation or destruction is told to every other member
// (and a joining member gets the whole list), so every member lists the same.
void ProtocolService::add_proxy(const std::string& service, const std::string& name) {
    std::vector<std::string> members;
    {
        std::lock_guard lock(mutex_);
        if (!proxies_.emplace(service, name).second) return;
        members.assign(known_members_.begin(), known_members_.end());
    }
    post_to_members(members, encode(ProxiesChange{false, {{service, name}}}));
}

void ProtocolService::remove_proxy(const std::string& service, const std::string& name) {
    std::vector<std::string> members;
    {
        std::lock_guard lock(mutex_);
        proxies_.erase({service, name});
        members.assign(known_members_.begin(), known_members_.end());
    }
    // Told even when unknown here: another member may have heard of its creation first.
    post_to_members(members, encode(ProxiesChange{true, {{service, name}}}));
}

std::vector<DistributedObjectInfo> ProtocolService::proxies() const {
    std::lock_guard lock(mutex_);
    std::vector<DistributedObjectInfo> out;
    for (const auto& [service, name] : proxies_) out.push_back(DistributedObjectInfo{service, name});
    return out;
}

}  // namespace shoal::protocol
