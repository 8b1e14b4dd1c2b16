// Map: a distributed map (Hazelcast's IMap) seen from the client, with an async form of every
// call (`..._async(..., Callback<T>)`, many in flight per connection) and a blocking form on
// top of it. Keys and values are Values (std::string, int64, int32, Bytes, JsonValue).
//
// Time arguments follow Hazelcast: ttl / max_idle in milliseconds, kMapDefault (-1) for the
// map's configured default, 0 for unlimited.
//
// Retries after a lost connection (server-refused-as-retryable calls and calls never sent are
// always retried, up to the invocation timeout):
//   retried      reads (get, containsKey, containsValue, size, isEmpty, getAll, keySet, values,
//                entrySet) and unconditional writes (put, set, remove, delete, putAll, clear,
//                setTtl, evict, evictAll): running them twice leaves what the caller asked
//                for. Only the answer of a repeated write can tell of the first attempt: put
//                may return the value it wrote itself, remove null, evict and setTtl false.
//   not retried  conditional writes (putIfAbsent, replace, replaceIfSame, removeIfSame): their
//                answer IS the outcome, and a repeat after an applied first attempt would
//                report the opposite; they fail with a ConnectionError instead.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/result.h"
#include "client/value.h"

namespace shoal::client {

namespace detail {
class ClientCore;
}

inline constexpr std::chrono::milliseconds kMapDefault{-1};

enum class EntryEventType : std::int32_t { kAdded = 1, kRemoved = 2, kUpdated = 4, kEvicted = 8 };

struct EntryEvent {
    EntryEventType type = EntryEventType::kAdded;
    std::optional<Value> key;
    std::optional<Value> value;      // present when the listener asked for values
    std::optional<Value> old_value;  // UPDATED and REMOVED, when asked for values
    std::string member;              // the uuid of the member that fired it
};

// Unset handlers are not registered for (the member sends no such events).
struct EntryListener {
    std::function<void(const EntryEvent&)> added;
    std::function<void(const EntryEvent&)> updated;
    std::function<void(const EntryEvent&)> removed;
    std::function<void(const EntryEvent&)> evicted;
};

using Entries = std::vector<std::pair<Value, Value>>;

class Map {
public:
    Map(std::shared_ptr<detail::ClientCore> core, std::string name);
    const std::string& name() const { return name_; }

    // ---- async ----
    void put_async(const Value& key, const Value& value, Callback<std::optional<Value>> done,
                   std::chrono::milliseconds ttl = kMapDefault, std::chrono::milliseconds max_idle = kMapDefault);
    void set_async(const Value& key, const Value& value, Callback<Unit> done,
                   std::chrono::milliseconds ttl = kMapDefault, std::chrono::milliseconds max_idle = kMapDefault);
    void put_if_absent_async(const Value& key, const Value& value, Callback<std::optional<Value>> done,
                             std::chrono::milliseconds ttl = kMapDefault, std::chrono::milliseconds max_idle = kMapDefault);
    void get_async(const Value& key, Callback<std::optional<Value>> done);
    void remove_async(const Value& key, Callback<std::optional<Value>> done);
    void remove_if_same_async(const Value& key, const Value& value, Callback<bool> done);
    void delete_async(const Value& key, Callback<Unit> done);
    void replace_async(const Value& key, const Value& value, Callback<std::optional<Value>> done);
    void replace_if_same_async(const Value& key, const Value& old_value, const Value& new_value, Callback<bool> done);
    void contains_key_async(const Value& key, Callback<bool> done);
    void contains_value_async(const Value& value, Callback<bool> done);
    void size_async(Callback<std::int32_t> done);
    void is_empty_async(Callback<bool> done);
    void clear_async(Callback<Unit> done);
    void get_all_async(const std::vector<Value>& keys, Callback<Entries> done);
    void put_all_async(const Entries& entries, Callback<Unit> done);
    void key_set_async(Callback<std::vector<Value>> done);
    void values_async(Callback<std::vector<Value>> done);
    void entry_set_async(Callback<Entries> done);
    void set_ttl_async(const Value& key, std::chrono::milliseconds ttl, Callback<bool> done);
    void evict_async(const Value& key, Callback<bool> done);
    void evict_all_async(Callback<Unit> done);
    // `done` gets the registration id; events run on an IO thread.
    void add_entry_listener_async(EntryListener listener, bool include_value, Callback<std::string> done);
    void remove_entry_listener_async(const std::string& registration_id, Callback<bool> done);
    // Key locks (IMap.lock): a lock is owned by this client and `thread_id` (Hazelcast clients
    // send the calling thread's id; here any number naming an owner within the client) and is
    // reentrant for that owner. lease 0: held until unlocked. lock waits until it is free (up
    // to the invocation timeout); try_lock up to `timeout`. None is repeated after a lost
    // connection (a lock counts how often it was taken). unlock by another owner fails with
    // ServerError java.lang.IllegalMonitorStateException.
    void lock_async(const Value& key, Callback<Unit> done, std::chrono::milliseconds lease = std::chrono::milliseconds(0),
                    std::int64_t thread_id = 0);
    void try_lock_async(const Value& key, std::chrono::milliseconds timeout, Callback<bool> done,
                        std::chrono::milliseconds lease = std::chrono::milliseconds(0), std::int64_t thread_id = 0);
    void unlock_async(const Value& key, Callback<Unit> done, std::int64_t thread_id = 0);
    void is_locked_async(const Value& key, Callback<bool> done);
    void force_unlock_async(const Value& key, Callback<Unit> done);
    // Destroys the map: its entries on every member, and its proxy (DestroyProxy).
    void destroy_async(Callback<Unit> done);

    // ---- blocking: the same calls, waiting for the answer (they throw the call's error) ----
    std::optional<Value> put(const Value& key, const Value& value, std::chrono::milliseconds ttl = kMapDefault,
                             std::chrono::milliseconds max_idle = kMapDefault);
    void set(const Value& key, const Value& value, std::chrono::milliseconds ttl = kMapDefault,
             std::chrono::milliseconds max_idle = kMapDefault);
    std::optional<Value> put_if_absent(const Value& key, const Value& value, std::chrono::milliseconds ttl = kMapDefault,
                                       std::chrono::milliseconds max_idle = kMapDefault);
    std::optional<Value> get(const Value& key);
    std::optional<Value> remove(const Value& key);
    bool remove(const Value& key, const Value& value);  // removeIfSame
    void delete_entry(const Value& key);               // delete (a C++ keyword)
    std::optional<Value> replace(const Value& key, const Value& value);
    bool replace(const Value& key, const Value& old_value, const Value& new_value);  // replaceIfSame
    bool contains_key(const Value& key);
    bool contains_value(const Value& value);
    std::int32_t size();
    bool is_empty();
    void clear();
    Entries get_all(const std::vector<Value>& keys);
    void put_all(const Entries& entries);
    std::vector<Value> key_set();
    std::vector<Value> values();
    Entries entry_set();
    bool set_ttl(const Value& key, std::chrono::milliseconds ttl);
    bool evict(const Value& key);
    void evict_all();
    std::string add_entry_listener(EntryListener listener, bool include_value = true);
    bool remove_entry_listener(const std::string& registration_id);
    void lock(const Value& key, std::chrono::milliseconds lease = std::chrono::milliseconds(0), std::int64_t thread_id = 0);
    bool try_lock(const Value& key, std::chrono::milliseconds timeout,
                  std::chrono::milliseconds lease = std::chrono::milliseconds(0), std::int64_t thread_id = 0);
    void unlock(const Value& key, std::int64_t thread_id = 0);
    bool is_locked(const Value& key);
    void force_unlock(const Value& key);
    void destroy();

private:
    std::shared_ptr<detail::ClientCore> core_;
    std::string name_;
};

}  // namespace shoal::client
