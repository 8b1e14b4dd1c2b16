// Map service (id 1) messages that Shoal serves (protocol-definitions/Map.yaml; see codec.h).
//
// Each operation is a tag with its request type and name; requests and responses of the same
// shape share a template. A response's type is its request's plus one. Keys and values are
// Data frames, kept as the client's bytes. Time parameters follow the protocol: ttl / maxIdle in
// milliseconds, -1 the map's default, 0 unlimited.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/codec.h"

namespace shoal::protocol::map {

#define SHOAL_MAP_OP(Tag, type, name)                              \
    struct Tag {                                                   \
        static constexpr std::int32_t kType = type;                \
        static constexpr const char* kName = "Map." name;          \
    };
SHOAL_MAP_OP(Put, 0x010100, "put")
SHOAL_MAP_OP(Get, 0x010200, "get")
SHOAL_MAP_OP(Remove, 0x010300, "remove")
SHOAL_MAP_OP(Replace, 0x010400, "replace")
SHOAL_MAP_OP(ReplaceIfSame, 0x010500, "replaceIfSame")
SHOAL_MAP_OP(ContainsKey, 0x010600, "containsKey")
SHOAL_MAP_OP(ContainsValue, 0x010700, "containsValue")
SHOAL_MAP_OP(RemoveIfSame, 0x010800, "removeIfSame")
SHOAL_MAP_OP(Delete, 0x010900, "delete")
SHOAL_MAP_OP(Flush, 0x010A00, "flush")
SHOAL_MAP_OP(TryRemove, 0x010B00, "tryRemove")
SHOAL_MAP_OP(TryPut, 0x010C00, "tryPut")
SHOAL_MAP_OP(PutTransient, 0x010D00, "putTransient")
SHOAL_MAP_OP(PutIfAbsent, 0x010E00, "putIfAbsent")
SHOAL_MAP_OP(Set, 0x010F00, "set")
SHOAL_MAP_OP(Lock, 0x011000, "lock")
SHOAL_MAP_OP(TryLock, 0x011100, "tryLock")
SHOAL_MAP_OP(IsLocked, 0x011200, "isLocked")
SHOAL_MAP_OP(Unlock, 0x011300, "unlock")
SHOAL_MAP_OP(AddEntryListenerToKey, 0x011800, "addEntryListenerToKey")
SHOAL_MAP_OP(AddEntryListener, 0x011900, "addEntryListener")
SHOAL_MAP_OP(RemoveEntryListener, 0x011A00, "removeEntryListener")
SHOAL_MAP_OP(Evict, 0x011E00, "evict")
SHOAL_MAP_OP(EvictAll, 0x011F00, "evictAll")
SHOAL_MAP_OP(KeySet, 0x012200, "keySet")
SHOAL_MAP_OP(GetAll, 0x012300, "getAll")
SHOAL_MAP_OP(Values, 0x012400, "values")
SHOAL_MAP_OP(EntrySet, 0x012500, "entrySet")
SHOAL_MAP_OP(Size, 0x012A00, "size")
SHOAL_MAP_OP(IsEmpty, 0x012B00, "isEmpty")
SHOAL_MAP_OP(PutAll, 0x012C00, "putAll")
SHOAL_MAP_OP(Clear, 0x012D00, "clear")
SHOAL_MAP_OP(ForceUnlock, 0x013300, "forceUnlock")
SHOAL_MAP_OP(SetTtl, 0x014300, "setTtl")
SHOAL_MAP_OP(PutWithMaxIdle, 0x014400, "putWithMaxIdle")
SHOAL_MAP_OP(PutTransientWithMaxIdle, 0x014500, "putTransientWithMaxIdle")
SHOAL_MAP_OP(PutIfAbsentWithMaxIdle, 0x014600, "putIfAbsentWithMaxIdle")
SHOAL_MAP_OP(SetWithMaxIdle, 0x014700, "setWithMaxIdle")
#undef SHOAL_MAP_OP

using Entries = std::vector<std::pair<std::string, std::string>>;  // key Data, value Data

// ---- requests ----------------------------------------------------------------------------

// flush, evictAll, keySet, values, entrySet, size, isEmpty, clear
template <typename Op>
struct NameRequest {
    static constexpr std::int32_t kType = Op::kType;
    static constexpr const char* kName = Op::kName;
    std::string name;
    template <typename V>
    void fields(V& v) { v(name); }
    friend bool operator==(const NameRequest&, const NameRequest&) = default;
};

// get, remove, containsKey, delete, evict
template <typename Op>
struct KeyRequest {
    static constexpr std::int32_t kType = Op::kType;
    static constexpr const char* kName = Op::kName;
    std::string name;
    std::string key;
    std::int64_t thread_id = 0;
    template <typename V>
    void fields(V& v) { v(name); v(key); v(thread_id); }
    friend bool operator==(const KeyRequest&, const KeyRequest&) = default;
};

// replace, removeIfSame
template <typename Op>
struct KeyValueRequest {
    static constexpr std::int32_t kType = Op::kType;
    static constexpr const char* kName = Op::kName;
    std::string name;
    std::string key;
    std::string value;
    std::int64_t thread_id = 0;
    template <typename V>
    void fields(V& v) { v(name); v(key); v(value); v(thread_id); }
    friend bool operator==(const KeyValueRequest&, const KeyValueRequest&) = default;
};

// put, putTransient, putIfAbsent, set
template <typename Op>
struct KeyValueTtlRequest {
    static constexpr std::int32_t kType = Op::kType;
    static constexpr const char* kName = Op::kName;
    std::string name;
    std::string key;
    std::string value;
    std::int64_t thread_id = 0;
    std::int64_t ttl = -1;
    template <typename V>
    void fields(V& v) { v(name); v(key); v(value); v(thread_id); v(ttl); }
    friend bool operator==(const KeyValueTtlRequest&, const KeyValueTtlRequest&) = default;
};

// putWithMaxIdle, putTransientWithMaxIdle, putIfAbsentWithMaxIdle, setWithMaxIdle
template <typename Op>
struct KeyValueMaxIdleRequest {
    static constexpr std::int32_t kType = Op::kType;
    static constexpr const char* kName = Op::kName;
    std::string name;
    std::string key;
    std::string value;
    std::int64_t thread_id = 0;
    std::int64_t ttl = -1;
    std::int64_t max_idle = -1;
    template <typename V>
    void fields(V& v) { v(name); v(key); v(value); v(thread_id); v(ttl); v(max_idle); }
    friend bool operator==(const KeyValueMaxIdleRequest&, const KeyValueMaxIdleRequest&) = default;
};

struct ReplaceIfSameRequest {
    static constexpr std::int32_t kType = ReplaceIfSame::kType;
    static constexpr const char* kName = ReplaceIfSame::kName;
    std::string name;
    std::string key;
    std::string test_value;
    std::string value;
    std::int64_t thread_id = 0;
    template <typename V>
    void fields(V& v) { v(name); v(key); v(test_value); v(value); v(thread_id); }
    friend bool operator==(const ReplaceIfSameRequest&, const ReplaceIfSameRequest&) = default;
};

struct ContainsValueRequest {
    static constexpr std::int32_t kType = ContainsValue::kType;
    static constexpr const char* kName = ContainsValue::kName;
    std::string name;
    std::string value;
    template <typename V>
    void fields(V& v) { v(name); v(value); }
    friend bool operator==(const ContainsValueRequest&, const ContainsValueRequest&) = default;
};

struct TryRemoveRequest {
    static constexpr std::int32_t kType = TryRemove::kType;
    static constexpr const char* kName = TryRemove::kName;
    std::string name;
    std::string key;
    std::int64_t thread_id = 0;
    std::int64_t timeout = 0;
    template <typename V>
    void fields(V& v) { v(name); v(key); v(thread_id); v(timeout); }
    friend bool operator==(const TryRemoveRequest&, const TryRemoveRequest&) = default;
};

struct TryPutRequest {
    static constexpr std::int32_t kType = TryPut::kType;
    static constexpr const char* kName = TryPut::kName;
    std::string name;
    std::string key;
    std::string value;
    std::int64_t thread_id = 0;
    std::int64_t timeout = 0;
    template <typename V>
    void fields(V& v) { v(name); v(key); v(value); v(thread_id); v(timeout); }
    friend bool operator==(const TryPutRequest&, const TryPutRequest&) = default;
};

struct GetAllRequest {
    static constexpr std::int32_t kType = GetAll::kType;
    static constexpr const char* kName = GetAll::kName;
    std::string name;
    std::vector<std::string> keys;
    template <typename V>
    void fields(V& v) { v(name); v(keys); }
    friend bool operator==(const GetAllRequest&, const GetAllRequest&) = default;
};

struct PutAllRequest {
    static constexpr std::int32_t kType = PutAll::kType;
    static constexpr const char* kName = PutAll::kName;
    std::string name;
    Entries entries;
    bool trigger_map_loader = true;  // 2.1; Shoal has no map loader
    template <typename V>
    void fields(V& v) { v(name); v(entries); v(since(trigger_map_loader)); }
    friend bool operator==(const PutAllRequest&, const PutAllRequest&) = default;
};

struct SetTtlRequest {
    static constexpr std::int32_t kType = SetTtl::kType;
    static constexpr const char* kName = SetTtl::kName;
    std::string name;
    std::string key;
    std::int64_t ttl = 0;
    template <typename V>
    void fields(V& v) { v(name); v(key); v(ttl); }
    friend bool operator==(const SetTtlRequest&, const SetTtlRequest&) = default;
};

// Key locks. The owner is the client and its threadId; ttl / lease is the lock's lease in ms
// (-1: none), timeout how long tryLock waits (ms); referenceId (retry deduplication) is read
// and not used.
struct LockRequest {
    static constexpr std::int32_t kType = Lock::kType;
    static constexpr const char* kName = Lock::kName;
    std::string name;
    std::string key;
    std::int64_t thread_id = 0;
    std::int64_t ttl = -1;
    std::int64_t reference_id = 0;
    template <typename V>
    void fields(V& v) { v(name); v(key); v(thread_id); v(ttl); v(reference_id); }
    friend bool operator==(const LockRequest&, const LockRequest&) = default;
};

struct TryLockRequest {
    static constexpr std::int32_t kType = TryLock::kType;
    static constexpr const char* kName = TryLock::kName;
    std::string name;
    std::string key;
    std::int64_t thread_id = 0;
    std::int64_t lease = -1;
    std::int64_t timeout = 0;
    std::int64_t reference_id = 0;
    template <typename V>
    void fields(V& v) { v(name); v(key); v(thread_id); v(lease); v(timeout); v(reference_id); }
    friend bool operator==(const TryLockRequest&, const TryLockRequest&) = default;
};

struct IsLockedRequest {
    static constexpr std::int32_t kType = IsLocked::kType;
    static constexpr const char* kName = IsLocked::kName;
    std::string name;
    std::string key;
    template <typename V>
    void fields(V& v) { v(name); v(key); }
    friend bool operator==(const IsLockedRequest&, const IsLockedRequest&) = default;
};

struct UnlockRequest {
    static constexpr std::int32_t kType = Unlock::kType;
    static constexpr const char* kName = Unlock::kName;
    std::string name;
    std::string key;
    std::int64_t thread_id = 0;
    std::int64_t reference_id = 0;
    template <typename V>
    void fields(V& v) { v(name); v(key); v(thread_id); v(reference_id); }
    friend bool operator==(const UnlockRequest&, const UnlockRequest&) = default;
};

struct ForceUnlockRequest {
    static constexpr std::int32_t kType = ForceUnlock::kType;
    static constexpr const char* kName = ForceUnlock::kName;
    std::string name;
    std::string key;
    std::int64_t reference_id = 0;
    template <typename V>
    void fields(V& v) { v(name); v(key); v(reference_id); }
    friend bool operator==(const ForceUnlockRequest&, const ForceUnlockRequest&) = default;
};

// Entry listeners. listenerFlags is a mask of entry_event types; smart clients register on
// every member with localOnly (each member reports the entries it owns).
struct AddEntryListenerRequest {
    static constexpr std::int32_t kType = AddEntryListener::kType;
    static constexpr const char* kName = AddEntryListener::kName;
    std::string name;
    bool include_value = false;
    std::int32_t listener_flags = 0;
    bool local_only = false;
    template <typename V>
    void fields(V& v) { v(name); v(include_value); v(listener_flags); v(local_only); }
    friend bool operator==(const AddEntryListenerRequest&, const AddEntryListenerRequest&) = default;
};

struct AddEntryListenerToKeyRequest {
    static constexpr std::int32_t kType = AddEntryListenerToKey::kType;
    static constexpr const char* kName = AddEntryListenerToKey::kName;
    std::string name;
    std::string key;
    bool include_value = false;
    std::int32_t listener_flags = 0;
    bool local_only = false;
    template <typename V>
    void fields(V& v) { v(name); v(key); v(include_value); v(listener_flags); v(local_only); }
    friend bool operator==(const AddEntryListenerToKeyRequest&, const AddEntryListenerToKeyRequest&) = default;
};

struct RemoveEntryListenerRequest {
    static constexpr std::int32_t kType = RemoveEntryListener::kType;
    static constexpr const char* kName = RemoveEntryListener::kName;
    std::string name;
    util::Uuid registration_id;
    template <typename V>
    void fields(V& v) { v(name); v(registration_id); }
    friend bool operator==(const RemoveEntryListenerRequest&, const RemoveEntryListenerRequest&) = default;
};

namespace entry_event {
inline constexpr std::int32_t kAdded = 1;
inline constexpr std::int32_t kRemoved = 2;
inline constexpr std::int32_t kUpdated = 4;
inline constexpr std::int32_t kEvicted = 8;
inline constexpr std::int32_t kExpired = 16;
inline constexpr std::int32_t kEvictAll = 32;
inline constexpr std::int32_t kClearAll = 64;
}  // namespace entry_event

// The Entry event of an entry listener registration (request type + 2).
template <typename Op>
struct EntryEvent {
    static constexpr std::int32_t kType = Op::kType + 2;
    static constexpr const char* kName = Op::kName;
    std::optional<std::string> key;
    std::optional<std::string> value;
    std::optional<std::string> old_value;
    std::optional<std::string> merging_value;
    std::int32_t event_type = 0;
    util::Uuid uuid;  // the member that fired it
    std::int32_t number_of_affected_entries = 1;
    template <typename V>
    void fields(V& v) {
        v(key); v(value); v(old_value); v(merging_value); v(event_type); v(uuid); v(number_of_affected_entries);
    }
    friend bool operator==(const EntryEvent&, const EntryEvent&) = default;
};

// ---- responses ---------------------------------------------------------------------------

template <typename Op>
struct UuidResponse {
    static constexpr std::int32_t kType = Op::kType + 1;
    static constexpr const char* kName = Op::kName;
    util::Uuid response;
    template <typename V>
    void fields(V& v) { v(response); }
    friend bool operator==(const UuidResponse&, const UuidResponse&) = default;
};


template <typename Op>
struct EmptyResponse {
    static constexpr std::int32_t kType = Op::kType + 1;
    static constexpr const char* kName = Op::kName;
    template <typename V>
    void fields(V&) {}
    friend bool operator==(const EmptyResponse&, const EmptyResponse&) = default;
};

template <typename Op>
struct DataResponse {  // the previous or current value, null when none
    static constexpr std::int32_t kType = Op::kType + 1;
    static constexpr const char* kName = Op::kName;
    std::optional<std::string> response;
    template <typename V>
    void fields(V& v) { v(response); }
    friend bool operator==(const DataResponse&, const DataResponse&) = default;
};

template <typename Op>
struct BoolResponse {
    static constexpr std::int32_t kType = Op::kType + 1;
    static constexpr const char* kName = Op::kName;
    bool response = false;
    template <typename V>
    void fields(V& v) { v(response); }
    friend bool operator==(const BoolResponse&, const BoolResponse&) = default;
};

template <typename Op>
struct IntResponse {
    static constexpr std::int32_t kType = Op::kType + 1;
    static constexpr const char* kName = Op::kName;
    std::int32_t response = 0;
    template <typename V>
    void fields(V& v) { v(response); }
    friend bool operator==(const IntResponse&, const IntResponse&) = default;
};

template <typename Op>
struct DataListResponse {
    static constexpr std::int32_t kType = Op::kType + 1;
    static constexpr const char* kName = Op::kName;
    std::vector<std::string> response;
    template <typename V>
    void fields(V& v) { v(response); }
    friend bool operator==(const DataListResponse&, const DataListResponse&) = default;
};

template <typename Op>
struct EntriesResponse {
    static constexpr std::int32_t kType = Op::kType + 1;
    static constexpr const char* kName = Op::kName;
    Entries response;
    template <typename V>
    void fields(V& v) { v(response); }
    friend bool operator==(const EntriesResponse&, const EntriesResponse&) = default;
};

}  // namespace shoal::protocol::map
