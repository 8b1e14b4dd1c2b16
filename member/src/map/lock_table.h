// LockTable: the key locks (IMap.lock / tryLock / unlock / forceUnlock) of one partition, kept
// beside its records and, like them, touched only by the partition's thread.
//
// A lock belongs to an owner: an opaque string, for clients their UUID followed by the calling
// thread's id, so every client thread is a different owner. A lock is reentrant: its owner may
// lock it again, and must unlock it as often. A lease (milliseconds, > 0) ends the lock by
// itself once it runs out, whatever the count; lock expiry is checked lazily, on access.
//
// The owner's table is the truth; its backups hold copies (replicated as LockState images after
// every change, and carried in migration snapshots), so a promoted backup knows the key is
// locked, by whom, how often and until when. Lease deadlines are wall-clock milliseconds, as
// entry TTLs are, so they mean the same on every member.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shoal::map {

// One key's lock as replicas exchange it; count 0 means unlocked.
struct LockState {
    std::string map;
    std::string key;  // key identity
    std::string owner;
    std::int64_t count = 0;
    std::int64_t expires_at_ms = 0;  // 0: no lease
};

class LockTable {
public:
    enum class Unlock { kReleased, kStillHeld, kNotOwner };

    // Takes or re-enters the lock; false when another owner holds it. A reentry renews the
    // lease with `lease_ms` (<= 0: no lease).
    bool try_lock(std::string_view map, std::string_view key, std::string_view owner, std::int64_t lease_ms,
                  std::int64_t now_ms);
    // One unlock by `owner`; kNotOwner when the key is not locked or locked by another.
    Unlock unlock(std::string_view map, std::string_view key, std::string_view owner, std::int64_t now_ms);
    // Releases the lock whoever holds it, however often it was taken; false when not locked.
    bool force_unlock(std::string_view map, std::string_view key, std::int64_t now_ms);

    bool is_locked(std::string_view map, std::string_view key, std::int64_t now_ms);
    // True when the key is locked by an owner other than `owner` (writes of others wait).
    bool locked_by_other(std::string_view map, std::string_view key, std::string_view owner, std::int64_t now_ms);

    // Releases every lock whose owner starts with `owner_prefix` (a client's UUID: all its
    // threads); returns how many.
    std::size_t release_owner(std::string_view owner_prefix);
    // The same, naming each released lock (as unlocked states, for the backups).
    std::vector<LockState> release_owner_states(std::string_view owner_prefix);

    // The key's lock as it is now (count 0 when not locked), for the backups.
    LockState state_of(std::string_view map, std::string_view key, std::int64_t now_ms);
    // A backup or migration destination adopts the owner's state of one key.
    void restore(const LockState& state);
    // Every live lock, for a migration snapshot.
    std::vector<LockState> states(std::int64_t now_ms);
    void clear() { locks_.clear(); }
    std::size_t size() const { return locks_.size(); }
    bool empty() const { return locks_.empty(); }

private:
    struct Lock {
        std::string owner;
        std::int64_t count = 0;
        std::int64_t expires_at_ms = 0;  // 0: no lease
    };
    static std::string id_of(std::string_view map, std::string_view key);
    // The live lock of the key, or null (an expired one is dropped here).
    Lock* find(const std::string& id, std::int64_t now_ms);

    std::unordered_map<std::string, Lock> locks_;  // by map name, '\0', key identity
};

}  // namespace shoal::map
