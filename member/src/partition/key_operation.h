// KeyOperation: one IMap call on one key, as data. The same value runs locally on the owner's
// partition thread or travels to the owning member (forwarding), and its effect is replicated
// to the backups as the entry's resulting image (see replica_messages.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "map/partition_store.h"
#include "map/record_store.h"
#include "partition/operation_stats.h"
#include "util/bytes.h"

namespace shoal::partition {

enum class KeyOpType : std::uint8_t {
    kGet, kContainsKey, kPut, kSet, kPutIfAbsent, kReplace, kReplaceIfSame, kRemove,
    kRemoveIfSame, kDelete, kSetTtl,
    // Key locks (map/lock_table.h): the flag answers. kLock takes the lock if free or already
    // the owner's (never waits: callers retry), lease in ttl_ms; kUnlock is false when
    // `lock_owner` does not hold it; kForceUnlock releases it for any owner.
    kLock, kUnlock, kIsLocked, kForceUnlock,
    kCount  // number of types, not a type
};

struct KeyOperation {
    KeyOpType type = KeyOpType::kGet;
    std::string map;
    std::string key;       // the key Data as the caller gave it
    std::string value;     // put/set/putIfAbsent/replace/replaceIfSame
    std::string expected;  // replaceIfSame/removeIfSame
    map::EntryLimits limits;
    std::int64_t ttl_ms = 0;  // setTtl; the lease of kLock (<= 0: none)
    // Who asks (client UUID + thread id; empty: no owner, as REST): writes wait while another
    // owner holds the key's lock, and lock calls act for this owner.
    std::string lock_owner;
    // Caller side only (not sent to the owner): how long a write keeps retrying while another
    // owner holds the lock, in ms; -1: until the operation's deadline, 0: answer kLocked at once.
    std::int64_t lock_wait_ms = -1;
    // Whether the write waits for other owners' locks: putAll and setTtl do not, as in Hazelcast.
    bool lock_aware = true;
    // A kDelete that is IMap.evict: listeners hear EVICTED instead of REMOVED.
    bool eviction = false;

    static KeyOperation of(KeyOpType type, std::string map, std::string key, std::string value = {},
                           std::string expected = {}, map::EntryLimits limits = {}) {
        KeyOperation op;
        op.type = type;
        op.map = std::move(map);
        op.key = std::move(key);
        op.value = std::move(value);
        op.expected = std::move(expected);
        op.limits = limits;
        return op;
    }

    bool is_lock() const { return type >= KeyOpType::kLock && type < KeyOpType::kCount; }
    // Writes change the entry (and are replicated); reads and lock calls do not (a lock call
    // that changes the key's lock replicates the lock's state instead, see PartitionService).
    bool is_write() const { return type != KeyOpType::kGet && type != KeyOpType::kContainsKey && !is_lock(); }
    OpType stats_type() const;
};

// What a key operation answers: the previous/current value for the calls that return one, a
// flag for the boolean calls.
struct KeyOutcome {
    std::optional<std::string> value;
    bool flag = false;
};

// Runs `op` on the partition's store (on its owner thread).
KeyOutcome execute(const KeyOperation& op, map::PartitionStore& partition, std::int64_t now_ms);

void encode(util::ByteWriter& out, const KeyOperation& op);
KeyOperation decode_key_operation(util::ByteReader& in);
void encode(util::ByteWriter& out, const KeyOutcome& outcome);
KeyOutcome decode_key_outcome(util::ByteReader& in);

}  // namespace shoal::partition
