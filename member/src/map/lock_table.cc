#include "map/lock_table.h"

namespace shoal::map {

std::string LockTable::id_of(std::string_view map, std::string_view key) {
    std::string id;
    id.reserve(map.size() + 1 + key.size());
    id.append(map).push_back('\0');
    id.append(key);
    return id;
}

LockTable::Lock* LockTable::find(const std::string& id, std::int64_t now_ms) {
    auto it = locks_.find(id);
    if (it == locks_.end()) return nullptr;
    if (it->second.expires_at_ms != 0 && now_ms >= it->second.expires_at_ms) {
        locks_.erase(it);
        return nullptr;
    }
    return &it->second;
}

bool LockTable::try_lock(std::string_view map, std::string_view key, std::string_view owner, std::int64_t lease_ms,
                         std::int64_t now_ms) {
    const std::string id = id_of(map, key);
    Lock* lock = find(id, now_ms);
    if (lock != nullptr && lock->owner != owner) return false;
    if (lock == nullptr) lock = &(locks_[id] = Lock{std::string(owner), 0, 0});
    ++lock->count;
    lock->expires_at_ms = lease_ms > 0 ? now_ms + lease_ms : 0;
    return true;
}

LockTable::Unlock LockTable::unlock(std::string_view map, std::string_view key, std::string_view owner,
                                    std::int64_t now_ms) {
    const std::string id = id_of(map, key);
    Lock* lock = find(id, now_ms);
    if (lock == nullptr || lock->owner != owner) return Unlock::kNotOwner;
    if (--lock->count > 0) return Unlock::kStillHeld;
    locks_.erase(id);
    return Unlock::kReleased;
}

bool LockTable::force_unlock(std::string_view map, std::string_view key, std::int64_t now_ms) {
    const std::string id = id_of(map, key);
    if (find(id, now_ms) == nullptr) return false;
    locks_.erase(id);
    return true;
}

bool LockTable::is_locked(std::string_view map, std::string_view key, std::int64_t now_ms) {
    return !locks_.empty() && find(id_of(map, key), now_ms) != nullptr;
}

bool LockTable::locked_by_other(std::string_view map, std::string_view key, std::string_view owner,
                                std::int64_t now_ms) {
    if (locks_.empty()) return false;
    const Lock* lock = find(id_of(map, key), now_ms);
    return lock != nullptr && lock->owner != owner;
}

std::size_t LockTable::release_owner(std::string_view owner_prefix) {
    return std::erase_if(locks_, [&](const auto& entry) { return entry.second.owner.starts_with(owner_prefix); });
}

namespace {
// Splits "map\0key" back into its parts (map names hold no NUL: the first one separates).
LockState state_from(const std::string& id) {
    const auto split = id.find('\0');
    LockState s;
    s.map = id.substr(0, split);
    s.key = split == std::string::npos ? std::string() : id.substr(split + 1);
    return s;
}
}  // namespace

std::vector<LockState> LockTable::release_owner_states(std::string_view owner_prefix) {
    std::vector<LockState> released;
    for (auto it = locks_.begin(); it != locks_.end();) {
        if (it->second.owner.starts_with(owner_prefix)) {
            released.push_back(state_from(it->first));
            it = locks_.erase(it);
        } else {
            ++it;
        }
    }
    return released;
}

LockState LockTable::state_of(std::string_view map, std::string_view key, std::int64_t now_ms) {
    LockState s{std::string(map), std::string(key), {}, 0, 0};
    if (const Lock* lock = find(id_of(map, key), now_ms)) {
        s.owner = lock->owner;
        s.count = lock->count;
        s.expires_at_ms = lock->expires_at_ms;
    }
    return s;
}

void LockTable::restore(const LockState& state) {
    const std::string id = id_of(state.map, state.key);
    if (state.count <= 0) {
        locks_.erase(id);
        return;
    }
    locks_[id] = Lock{state.owner, state.count, state.expires_at_ms};
}

std::vector<LockState> LockTable::states(std::int64_t now_ms) {
    std::vector<LockState> out;
    if (locks_.empty()) return out;
    std::erase_if(locks_, [&](const auto& entry) {
        return entry.second.expires_at_ms != 0 && now_ms >= entry.second.expires_at_ms;
    });
    out.reserve(locks_.size());
    for (const auto& [id, lock] : locks_) {
        LockState s = state_from(id);
        s.owner = lock.owner;
        s.count = lock.count;
        s.expires_at_ms = lock.expires_at_ms;
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace shoal::map
