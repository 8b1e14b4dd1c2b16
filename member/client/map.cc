#include "client/map.h"

#include "client/call.h"
#include "client/client_core.h"
#include "protocol/codec.h"
#include "protocol/client_messages.h"
#include "protocol/map_messages.h"
#include "util/uuid.h"

namespace shoal::client {
namespace {

namespace pm = protocol::map;
using detail::call;
using detail::Invocation;
using detail::Retry;
using detail::wait;
using protocol::ClientMessage;

std::optional<Value> optional_value(const std::optional<std::string>& data) {
    if (!data) return std::nullopt;
    return Value::from_data(*data);
}

std::vector<Value> values_of(const std::vector<std::string>& data) {
    std::vector<Value> out;
    out.reserve(data.size());
    for (const auto& d : data) out.push_back(Value::from_data(d));
    return out;
}

Entries entries_of(const pm::Entries& data) {
    Entries out;
    out.reserve(data.size());
    for (const auto& [k, v] : data) out.emplace_back(Value::from_data(k), Value::from_data(v));
    return out;
}



int key_partition(const std::string& key_data, int partition_count) {
    return partition_count > 0 ? partition_of(key_data, partition_count) : -1;
}

const auto kData = [](auto r) { return optional_value(r.response); };
const auto kBool = [](auto r) { return r.response; };
const auto kUnit = [](auto) { return Unit{}; };

}  // namespace

Map::Map(std::shared_ptr<detail::ClientCore> core, std::string name) : core_(std::move(core)), name_(std::move(name)) {}

// The key's partition; -1 (any member, which forwards) before the partition count is known.
#define SHOAL_PARTITION(data) key_partition(data, core_->view().partition_count())

// ---- async ------------------------------------------------------------------------------------

void Map::put_async(const Value& key, const Value& value, Callback<std::optional<Value>> done,
                    std::chrono::milliseconds ttl, std::chrono::milliseconds max_idle) {
    auto k = key.to_data();
    const auto p = SHOAL_PARTITION(k);
    if (max_idle.count() >= 0) {
        pm::KeyValueMaxIdleRequest<pm::PutWithMaxIdle> r{name_, std::move(k), value.to_data(), 0, ttl.count(), max_idle.count()};
        call<pm::DataResponse<pm::PutWithMaxIdle>>(*core_, r, p, Retry::kOnDisconnect, std::move(done), kData);
    } else {
        pm::KeyValueTtlRequest<pm::Put> r{name_, std::move(k), value.to_data(), 0, ttl.count()};
        call<pm::DataResponse<pm::Put>>(*core_, r, p, Retry::kOnDisconnect, std::move(done), kData);
    }
}

void Map::set_async(const Value& key, const Value& value, Callback<Unit> done, std::chrono::milliseconds ttl,
                    std::chrono::milliseconds max_idle) {
    auto k = key.to_data();
    const auto p = SHOAL_PARTITION(k);
    if (max_idle.count() >= 0) {
        pm::KeyValueMaxIdleRequest<pm::SetWithMaxIdle> r{name_, std::move(k), value.to_data(), 0, ttl.count(), max_idle.count()};
        call<pm::DataResponse<pm::SetWithMaxIdle>>(*core_, r, p, Retry::kOnDisconnect, std::move(done), kUnit);
    } else {
        pm::KeyValueTtlRequest<pm::Set> r{name_, std::move(k), value.to_data(), 0, ttl.count()};
        call<pm::EmptyResponse<pm::Set>>(*core_, r, p, Retry::kOnDisconnect, std::move(done), kUnit);
    }
}

void Map::put_if_absent_async(const Value& key, const Value& value, Callback<std::optional<Value>> done,
                              std::chrono::milliseconds ttl, std::chrono::milliseconds max_idle) {
    auto k = key.to_data();
    const auto p = SHOAL_PARTITION(k);
    if (max_idle.count() >= 0) {
        pm::KeyValueMaxIdleRequest<pm::PutIfAbsentWithMaxIdle> r{name_, std::move(k), value.to_data(), 0, ttl.count(),
                                                                 max_idle.count()};
        call<pm::DataResponse<pm::PutIfAbsentWithMaxIdle>>(*core_, r, p, Retry::kNever, std::move(done), kData);
    } else {
        pm::KeyValueTtlRequest<pm::PutIfAbsent> r{name_, std::move(k), value.to_data(), 0, ttl.count()};
        call<pm::DataResponse<pm::PutIfAbsent>>(*core_, r, p, Retry::kNever, std::move(done), kData);
    }
}

void Map::get_async(const Value& key, Callback<std::optional<Value>> done) {
    pm::KeyRequest<pm::Get> r{name_, key.to_data(), 0};
    const auto p = SHOAL_PARTITION(r.key);
    call<pm::DataResponse<pm::Get>>(*core_, r, p, Retry::kOnDisconnect, std::move(done), kData);
}

void Map::remove_async(const Value& key, Callback<std::optional<Value>> done) {
    pm::KeyRequest<pm::Remove> r{name_, key.to_data(), 0};
    const auto p = SHOAL_PARTITION(r.key);
    call<pm::DataResponse<pm::Remove>>(*core_, r, p, Retry::kOnDisconnect, std::move(done), kData);
}

void Map::remove_if_same_async(const Value& key, const Value& value, Callback<bool> done) {
    pm::KeyValueRequest<pm::RemoveIfSame> r{name_, key.to_data(), value.to_data(), 0};
    const auto p = SHOAL_PARTITION(r.key);
    call<pm::BoolResponse<pm::RemoveIfSame>>(*core_, r, p, Retry::kNever, std::move(done), kBool);
}

void Map::delete_async(const Value& key, Callback<Unit> done) {
    pm::KeyRequest<pm::Delete> r{name_, key.to_data(), 0};
    const auto p = SHOAL_PARTITION(r.key);
    call<pm::EmptyResponse<pm::Delete>>(*core_, r, p, Retry::kOnDisconnect, std::move(done), kUnit);
}

void Map::replace_async(const Value& key, const Value& value, Callback<std::optional<Value>> done) {
    pm::KeyValueRequest<pm::Replace> r{name_, key.to_data(), value.to_data(), 0};
    const auto p = SHOAL_PARTITION(r.key);
    call<pm::DataResponse<pm::Replace>>(*core_, r, p, Retry::kNever, std::move(done), kData);
}

void Map::replace_if_same_async(const Value& key, const Value& old_value, const Value& new_value, Callback<bool> done) {
    pm::ReplaceIfSameRequest r{name_, key.to_data(), old_value.to_data(), new_value.to_data(), 0};
    const auto p = SHOAL_PARTITION(r.key);
    call<pm::BoolResponse<pm::ReplaceIfSame>>(*core_, r, p, Retry::kNever, std::move(done), kBool);
}

void Map::contains_key_async(const Value& key, Callback<bool> done) {
    pm::KeyRequest<pm::ContainsKey> r{name_, key.to_data(), 0};
    const auto p = SHOAL_PARTITION(r.key);
    call<pm::BoolResponse<pm::ContainsKey>>(*core_, r, p, Retry::kOnDisconnect, std::move(done), kBool);
}

void Map::contains_value_async(const Value& value, Callback<bool> done) {
    pm::ContainsValueRequest r{name_, value.to_data()};
    call<pm::BoolResponse<pm::ContainsValue>>(*core_, r, -1, Retry::kOnDisconnect, std::move(done), kBool);
}

void Map::size_async(Callback<std::int32_t> done) {
    pm::NameRequest<pm::Size> r{name_};
    call<pm::IntResponse<pm::Size>>(*core_, r, -1, Retry::kOnDisconnect, std::move(done), [](auto x) { return x.response; });
}

void Map::is_empty_async(Callback<bool> done) {
    pm::NameRequest<pm::IsEmpty> r{name_};
    call<pm::BoolResponse<pm::IsEmpty>>(*core_, r, -1, Retry::kOnDisconnect, std::move(done), kBool);
}

void Map::clear_async(Callback<Unit> done) {
    pm::NameRequest<pm::Clear> r{name_};
    call<pm::EmptyResponse<pm::Clear>>(*core_, r, -1, Retry::kOnDisconnect, std::move(done), kUnit);
}

void Map::get_all_async(const std::vector<Value>& keys, Callback<Entries> done) {
    pm::GetAllRequest r{name_, {}};
    r.keys.reserve(keys.size());
    for (const auto& k : keys) r.keys.push_back(k.to_data());
    // One request to any member (it gathers from the owners), like Shoal serves it.
    call<pm::EntriesResponse<pm::GetAll>>(*core_, r, -1, Retry::kOnDisconnect, std::move(done),
                                          [](auto x) { return entries_of(x.response); });
}

void Map::put_all_async(const Entries& entries, Callback<Unit> done) {
    pm::PutAllRequest r{name_, {}, true};
    r.entries.reserve(entries.size());
    for (const auto& [k, v] : entries) r.entries.emplace_back(k.to_data(), v.to_data());
    call<pm::EmptyResponse<pm::PutAll>>(*core_, r, -1, Retry::kOnDisconnect, std::move(done), kUnit);
}

void Map::key_set_async(Callback<std::vector<Value>> done) {
    pm::NameRequest<pm::KeySet> r{name_};
    call<pm::DataListResponse<pm::KeySet>>(*core_, r, -1, Retry::kOnDisconnect, std::move(done),
                                           [](auto x) { return values_of(x.response); });
}

void Map::values_async(Callback<std::vector<Value>> done) {
    pm::NameRequest<pm::Values> r{name_};
    call<pm::DataListResponse<pm::Values>>(*core_, r, -1, Retry::kOnDisconnect, std::move(done),
                                           [](auto x) { return values_of(x.response); });
}

void Map::entry_set_async(Callback<Entries> done) {
    pm::NameRequest<pm::EntrySet> r{name_};
    call<pm::EntriesResponse<pm::EntrySet>>(*core_, r, -1, Retry::kOnDisconnect, std::move(done),
                                            [](auto x) { return entries_of(x.response); });
}

void Map::set_ttl_async(const Value& key, std::chrono::milliseconds ttl, Callback<bool> done) {
    pm::SetTtlRequest r{name_, key.to_data(), ttl.count()};
    const auto p = SHOAL_PARTITION(r.key);
    call<pm::BoolResponse<pm::SetTtl>>(*core_, r, p, Retry::kOnDisconnect, std::move(done), kBool);
}

void Map::evict_async(const Value& key, Callback<bool> done) {
    pm::KeyRequest<pm::Evict> r{name_, key.to_data(), 0};
    const auto p = SHOAL_PARTITION(r.key);
    call<pm::BoolResponse<pm::Evict>>(*core_, r, p, Retry::kOnDisconnect, std::move(done), kBool);
}

namespace {
// The protocol's "no lease" is -1.
std::int64_t lease_of(std::chrono::milliseconds lease) { return lease.count() > 0 ? lease.count() : -1; }
}  // namespace

void Map::lock_async(const Value& key, Callback<Unit> done, std::chrono::milliseconds lease, std::int64_t thread_id) {
    pm::LockRequest r{name_, key.to_data(), thread_id, lease_of(lease), 0};
    const auto p = SHOAL_PARTITION(r.key);
    call<pm::EmptyResponse<pm::Lock>>(*core_, r, p, Retry::kNever, std::move(done), kUnit);
}

void Map::try_lock_async(const Value& key, std::chrono::milliseconds timeout, Callback<bool> done,
                         std::chrono::milliseconds lease, std::int64_t thread_id) {
    pm::TryLockRequest r{name_, key.to_data(), thread_id, lease_of(lease), timeout.count(), 0};
    const auto p = SHOAL_PARTITION(r.key);
    call<pm::BoolResponse<pm::TryLock>>(*core_, r, p, Retry::kNever, std::move(done), kBool);
}

void Map::unlock_async(const Value& key, Callback<Unit> done, std::int64_t thread_id) {
    pm::UnlockRequest r{name_, key.to_data(), thread_id, 0};
    const auto p = SHOAL_PARTITION(r.key);
    call<pm::EmptyResponse<pm::Unlock>>(*core_, r, p, Retry::kNever, std::move(done), kUnit);
}

void Map::is_locked_async(const Value& key, Callback<bool> done) {
    pm::IsLockedRequest r{name_, key.to_data()};
    const auto p = SHOAL_PARTITION(r.key);
    call<pm::BoolResponse<pm::IsLocked>>(*core_, r, p, Retry::kOnDisconnect, std::move(done), kBool);
}

void Map::force_unlock_async(const Value& key, Callback<Unit> done) {
    pm::ForceUnlockRequest r{name_, key.to_data(), 0};
    const auto p = SHOAL_PARTITION(r.key);
    call<pm::EmptyResponse<pm::ForceUnlock>>(*core_, r, p, Retry::kOnDisconnect, std::move(done), kUnit);
}

void Map::destroy_async(Callback<Unit> done) {
    protocol::client::DestroyProxyRequest r{name_, "hz:impl:mapService"};
    call<protocol::client::DestroyProxyResponse>(*core_, r, -1, Retry::kOnDisconnect, std::move(done), kUnit);
}

void Map::evict_all_async(Callback<Unit> done) {
    pm::NameRequest<pm::EvictAll> r{name_};
    call<pm::EmptyResponse<pm::EvictAll>>(*core_, r, -1, Retry::kOnDisconnect, std::move(done), kUnit);
}

void Map::add_entry_listener_async(EntryListener listener, bool include_value, Callback<std::string> done) {
    std::int32_t flags = 0;
    if (listener.added) flags |= pm::entry_event::kAdded;
    if (listener.updated) flags |= pm::entry_event::kUpdated;
    if (listener.removed) flags |= pm::entry_event::kRemoved;
    if (listener.evicted) flags |= pm::entry_event::kEvicted;
    auto registration = std::make_shared<detail::ListenerRegistration>();
    registration->id = util::Uuid::random().to_string();
    registration->encode_add = [name = name_, include_value, flags](bool local_only) {
        return protocol::to_wire(protocol::encode_request(pm::AddEntryListenerRequest{name, include_value, flags, local_only}, 0));
    };
    registration->encode_remove = [name = name_](const util::Uuid& server_id) {
        return protocol::to_wire(protocol::encode_request(pm::RemoveEntryListenerRequest{name, server_id}, 0));
    };
    registration->decode_add = [](const ClientMessage& response) {
        return protocol::decode_response<pm::UuidResponse<pm::AddEntryListener>>(response).response;
    };
    auto shared_listener = std::make_shared<EntryListener>(std::move(listener));
    registration->on_event = [shared_listener](const ClientMessage& message) {
        if (message.type() != pm::EntryEvent<pm::AddEntryListener>::kType) return;
        EntryEvent event;
        try {
            const auto e = protocol::decode_event<pm::EntryEvent<pm::AddEntryListener>>(message);
            event.type = static_cast<EntryEventType>(e.event_type);
            event.key = optional_value(e.key);
            event.value = optional_value(e.value);
            event.old_value = optional_value(e.old_value);
            event.member = e.uuid.to_string();
        } catch (const std::exception&) {
            return;  // an event we cannot read is dropped
        }
        const auto& l = *shared_listener;
        switch (event.type) {
            case EntryEventType::kAdded: if (l.added) l.added(event); break;
            case EntryEventType::kUpdated: if (l.updated) l.updated(event); break;
            case EntryEventType::kRemoved: if (l.removed) l.removed(event); break;
            case EntryEventType::kEvicted: if (l.evicted) l.evicted(event); break;
        }
    };
    const std::string id = registration->id;
    core_->add_listener(std::move(registration), [done = std::move(done), id](std::exception_ptr error) {
        if (error) done(Result<std::string>(std::move(error)));
        else done(Result<std::string>(id));
    });
}

void Map::remove_entry_listener_async(const std::string& registration_id, Callback<bool> done) {
    core_->remove_listener(registration_id, [done = std::move(done)](bool removed) { done(Result<bool>(removed)); });
}

#undef SHOAL_PARTITION

// ---- blocking -------------------------------------------------------------------------------

std::optional<Value> Map::put(const Value& key, const Value& value, std::chrono::milliseconds ttl,
                              std::chrono::milliseconds max_idle) {
    return wait<std::optional<Value>>([&](auto done) { put_async(key, value, std::move(done), ttl, max_idle); });
}
void Map::set(const Value& key, const Value& value, std::chrono::milliseconds ttl, std::chrono::milliseconds max_idle) {
    wait<Unit>([&](auto done) { set_async(key, value, std::move(done), ttl, max_idle); });
}
std::optional<Value> Map::put_if_absent(const Value& key, const Value& value, std::chrono::milliseconds ttl,
                                        std::chrono::milliseconds max_idle) {
    return wait<std::optional<Value>>([&](auto done) { put_if_absent_async(key, value, std::move(done), ttl, max_idle); });
}
std::optional<Value> Map::get(const Value& key) {
    return wait<std::optional<Value>>([&](auto done) { get_async(key, std::move(done)); });
}
std::optional<Value> Map::remove(const Value& key) {
    return wait<std::optional<Value>>([&](auto done) { remove_async(key, std::move(done)); });
}
bool Map::remove(const Value& key, const Value& value) {
    return wait<bool>([&](auto done) { remove_if_same_async(key, value, std::move(done)); });
}
void Map::delete_entry(const Value& key) {
    wait<Unit>([&](auto done) { delete_async(key, std::move(done)); });
}
std::optional<Value> Map::replace(const Value& key, const Value& value) {
    return wait<std::optional<Value>>([&](auto done) { replace_async(key, value, std::move(done)); });
}
bool Map::replace(const Value& key, const Value& old_value, const Value& new_value) {
    return wait<bool>([&](auto done) { replace_if_same_async(key, old_value, new_value, std::move(done)); });
}
bool Map::contains_key(const Value& key) {
    return wait<bool>([&](auto done) { contains_key_async(key, std::move(done)); });
}
bool Map::contains_value(const Value& value) {
    return wait<bool>([&](auto done) { contains_value_async(value, std::move(done)); });
}
std::int32_t Map::size() {
    return wait<std::int32_t>([&](auto done) { size_async(std::move(done)); });
}
bool Map::is_empty() {
    return wait<bool>([&](auto done) { is_empty_async(std::move(done)); });
}
void Map::clear() {
    wait<Unit>([&](auto done) { clear_async(std::move(done)); });
}
Entries Map::get_all(const std::vector<Value>& keys) {
    return wait<Entries>([&](auto done) { get_all_async(keys, std::move(done)); });
}
void Map::put_all(const Entries& entries) {
    wait<Unit>([&](auto done) { put_all_async(entries, std::move(done)); });
}
std::vector<Value> Map::key_set() {
    return wait<std::vector<Value>>([&](auto done) { key_set_async(std::move(done)); });
}
std::vector<Value> Map::values() {
    return wait<std::vector<Value>>([&](auto done) { values_async(std::move(done)); });
}
Entries Map::entry_set() {
    return wait<Entries>([&](auto done) { entry_set_async(std::move(done)); });
}
bool Map::set_ttl(const Value& key, std::chrono::milliseconds ttl) {
    return wait<bool>([&](auto done) { set_ttl_async(key, ttl, std::move(done)); });
}
void Map::lock(const Value& key, std::chrono::milliseconds lease, std::int64_t thread_id) {
    wait<Unit>([&](auto done) { lock_async(key, std::move(done), lease, thread_id); });
}
bool Map::try_lock(const Value& key, std::chrono::milliseconds timeout, std::chrono::milliseconds lease,
                   std::int64_t thread_id) {
    return wait<bool>([&](auto done) { try_lock_async(key, timeout, std::move(done), lease, thread_id); });
}
void Map::unlock(const Value& key, std::int64_t thread_id) {
    wait<Unit>([&](auto done) { unlock_async(key, std::move(done), thread_id); });
}
bool Map::is_locked(const Value& key) {
    return wait<bool>([&](auto done) { is_locked_async(key, std::move(done)); });
}
void Map::destroy() {
    wait<Unit>([&](auto done) { destroy_async(std::move(done)); });
}
void Map::force_unlock(const Value& key) {
    wait<Unit>([&](auto done) { force_unlock_async(key, std::move(done)); });
}
bool Map::evict(const Value& key) {
    return wait<bool>([&](auto done) { evict_async(key, std::move(done)); });
}
void Map::evict_all() {
    wait<Unit>([&](auto done) { evict_all_async(std::move(done)); });
}
std::string Map::add_entry_listener(EntryListener listener, bool include_value) {
    return wait<std::string>([&](auto done) { add_entry_listener_async(std::move(listener), include_value, std::move(done)); });
}
bool Map::remove_entry_listener(const std::string& registration_id) {
    return wait<bool>([&](auto done) { remove_entry_listener_async(registration_id, std::move(done)); });
}

}  // namespace shoal::client
