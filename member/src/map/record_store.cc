#include "map/record_store.h"

#include "util/murmur3.h"

namespace shoal::map {
namespace {

// A different seed from the partition hash: keys of one partition share hash residues, and
// keys with a custom partition hash share the whole partition hash.
constexpr std::uint32_t kTableSeed = 0x9747b28c;

bool is_expiring(const Record* r) { return r->has_time_limits(); }

std::int64_t pick(std::int64_t given, std::int64_t map_default) {
    return given < 0 ? map_default : given;
}

}  // namespace

std::uint32_t RecordStore::hash_of(std::string_view key) {
    return static_cast<std::uint32_t>(util::murmur3_x86_32(key.data(), key.size(), kTableSeed));
}

Record::Times RecordStore::times_for(EntryLimits limits, std::int64_t now_ms) const {
    Record::Times times;
    const std::int64_t ttl = pick(limits.ttl_ms, limits_.ttl_ms);
    // A deadline past the end of time is no deadline (clients may send Long.MAX_VALUE).
    if (ttl > 0 && ttl < INT64_MAX - now_ms) times.expire_at_ms = now_ms + ttl;
    times.max_idle_ms = pick(limits.max_idle_ms, limits_.max_idle_ms);
    if (times.max_idle_ms < 0) times.max_idle_ms = 0;
    times.now_ms = now_ms;
    return times;
}

std::size_t RecordStore::find_live(std::string_view key, std::uint32_t hash, std::int64_t now_ms) {
    const std::size_t slot = table_.find(hash, key);
    if (slot == RecordTable::kNotFound) return slot;
    Record* r = table_.at(slot);
    if (r->expired(now_ms)) {
        expire_slot(slot);
        return RecordTable::kNotFound;
    }
    r->touch(now_ms);
    return slot;
}

void RecordStore::write(std::size_t slot, std::uint32_t hash, std::string_view key,
                        std::string_view value, const Record::Times& times) {
    if (slot != RecordTable::kNotFound) {
        Record* old = table_.at(slot);
        if (old->fits_in_place(value, times)) {
            old->overwrite_value(value, times);
            return;
        }
        Record* fresh = Record::create(hash, key, value, times);
        record_bytes_ += fresh->allocated_bytes();
        expiring_entries_ += is_expiring(fresh);
        record_bytes_ -= old->allocated_bytes();
        expiring_entries_ -= is_expiring(old);
        table_.replace(slot, fresh);
        Record::destroy(old);
        return;
    }
    Record* fresh = Record::create(hash, key, value, times);
    record_bytes_ += fresh->allocated_bytes();
    expiring_entries_ += is_expiring(fresh);
    table_.insert(fresh);
}

void RecordStore::expire_slot(std::size_t slot) {
    if (expiry_listener_) {
        const Record* r = table_.at(slot);
        std::string key;
        std::string value;
        r->copy_key_to(key);
        r->copy_value_to(value);
        expiry_listener_(key, value);
    }
    erase_slot(slot);
}

void RecordStore::erase_slot(std::size_t slot) {
    Record* r = table_.at(slot);
    record_bytes_ -= r->allocated_bytes();
    expiring_entries_ -= is_expiring(r);
    table_.erase(slot);
    Record::destroy(r);
}

RecordStore::Value RecordStore::get(std::string_view key, std::int64_t now_ms) {
    const std::size_t slot = find_live(key, hash_of(key), now_ms);
    if (slot == RecordTable::kNotFound) return std::nullopt;
    return table_.at(slot)->value_string();
}

bool RecordStore::contains_key(std::string_view key, std::int64_t now_ms) {
    return find_live(key, hash_of(key), now_ms) != RecordTable::kNotFound;
}

bool RecordStore::contains_value(std::string_view value, std::int64_t now_ms) {
    remove_all_expired(now_ms);
    for (std::size_t i = 0; i < table_.slot_count(); ++i) {
        const Record* r = table_.at(i);
        if (r != nullptr && r->value_equals(value)) return true;
    }
    return false;
}

RecordStore::Value RecordStore::put(std::string_view key, std::string_view value,
                                    EntryLimits limits, std::int64_t now_ms) {
    const std::uint32_t hash = hash_of(key);
    const std::size_t slot = find_live(key, hash, now_ms);
    Value old;
    if (slot != RecordTable::kNotFound) old = table_.at(slot)->value_string();
    write(slot, hash, key, value, times_for(limits, now_ms));
    return old;
}

void RecordStore::set(std::string_view key, std::string_view value, EntryLimits limits,
                      std::int64_t now_ms) {
    const std::uint32_t hash = hash_of(key);
    write(find_live(key, hash, now_ms), hash, key, value, times_for(limits, now_ms));
}

RecordStore::Value RecordStore::put_if_absent(std::string_view key, std::string_view value,
                                              EntryLimits limits, std::int64_t now_ms) {
    const std::uint32_t hash = hash_of(key);
    const std::size_t slot = find_live(key, hash, now_ms);
    if (slot != RecordTable::kNotFound) return table_.at(slot)->value_string();
    write(slot, hash, key, value, times_for(limits, now_ms));
    return std::nullopt;
}

RecordStore::Value RecordStore::replace(std::string_view key, std::string_view value,
                                        std::int64_t now_ms) {
    const std::uint32_t hash = hash_of(key);
    const std::size_t slot = find_live(key, hash, now_ms);
    if (slot == RecordTable::kNotFound) return std::nullopt;
    Value old = table_.at(slot)->value_string();
    // A replace keeps the map's default limits, as Hazelcast's replace has no TTL argument.
    write(slot, hash, key, value, times_for({}, now_ms));
    return old;
}

bool RecordStore::replace_if_same(std::string_view key, std::string_view expected,
                                  std::string_view value, std::int64_t now_ms) {
    const std::uint32_t hash = hash_of(key);
    const std::size_t slot = find_live(key, hash, now_ms);
    if (slot == RecordTable::kNotFound || !table_.at(slot)->value_equals(expected)) return false;
    write(slot, hash, key, value, times_for({}, now_ms));
    return true;
}

RecordStore::Value RecordStore::remove(std::string_view key, std::int64_t now_ms) {
    const std::size_t slot = find_live(key, hash_of(key), now_ms);
    if (slot == RecordTable::kNotFound) return std::nullopt;
    Value old = table_.at(slot)->value_string();
    erase_slot(slot);
    return old;
}

bool RecordStore::remove_if_same(std::string_view key, std::string_view expected,
                                 std::int64_t now_ms) {
    const std::size_t slot = find_live(key, hash_of(key), now_ms);
    if (slot == RecordTable::kNotFound || !table_.at(slot)->value_equals(expected)) return false;
    erase_slot(slot);
    return true;
}

bool RecordStore::erase(std::string_view key, std::int64_t now_ms) {
    const std::size_t slot = find_live(key, hash_of(key), now_ms);
    if (slot == RecordTable::kNotFound) return false;
    erase_slot(slot);
    return true;
}

bool RecordStore::set_ttl(std::string_view key, std::int64_t ttl_ms, std::int64_t now_ms) {
    const std::uint32_t hash = hash_of(key);
    const std::size_t slot = find_live(key, hash, now_ms);
    if (slot == RecordTable::kNotFound) return false;
    const Record* r = table_.at(slot);
    Record::Times times;
    times.expire_at_ms = ttl_ms < 0 ? r->expire_at_ms() : 0;
    if (ttl_ms > 0 && ttl_ms < INT64_MAX - now_ms) times.expire_at_ms = now_ms + ttl_ms;
    times.max_idle_ms = r->max_idle_ms();
    times.now_ms = now_ms;
    const std::string value = r->value_string();
    write(slot, hash, key, value, times);
    return true;
}

void RecordStore::clear() {
    table_.clear();
    record_bytes_ = 0;
    expiring_entries_ = 0;
    sweep_cursor_ = 0;
}

void RecordStore::remove_all_expired(std::int64_t now_ms) {
    if (expiring_entries_ == 0) return;
    for (std::size_t i = 0; i < table_.slot_count();) {
        const Record* r = table_.at(i);
        if (r != nullptr && r->expired(now_ms)) {
            expire_slot(i);  // a later record may have moved into i: look at i again
        } else {
            ++i;
        }
    }
}

std::size_t RecordStore::size(std::int64_t now_ms) {
    remove_all_expired(now_ms);
    return table_.size();
}

void RecordStore::for_each(const EntryVisitor& visit, std::int64_t now_ms) {
    remove_all_expired(now_ms);
    std::string key;  // reused across entries: a scan allocates only for a larger entry
    std::string value;
    for (std::size_t i = 0; i < table_.slot_count(); ++i) {
        const Record* r = table_.at(i);
        if (r == nullptr) continue;
        r->copy_key_to(key);
        r->copy_value_to(value);
        visit(key, value);
    }
}

std::size_t RecordStore::sweep_expired(std::int64_t now_ms, std::size_t max_checks) {
    if (expiring_entries_ == 0 || table_.slot_count() == 0) return 0;
    std::size_t removed = 0;
    for (std::size_t checks = 0; checks < max_checks; ++checks) {
        if (sweep_cursor_ >= table_.slot_count()) sweep_cursor_ = 0;
        const Record* r = table_.at(sweep_cursor_);
        if (r != nullptr && r->expired(now_ms)) {
            expire_slot(sweep_cursor_);
            ++removed;
        } else {
            ++sweep_cursor_;
        }
    }
    return removed;
}

// ---- replication ---------------------------------------------------------------------------

std::optional<RecordStore::Image> RecordStore::image(std::string_view key, std::int64_t now_ms) const {
    const std::size_t slot = table_.find(hash_of(key), key);
    if (slot == RecordTable::kNotFound) return std::nullopt;
    const Record* r = table_.at(slot);
    if (r->expired(now_ms)) return std::nullopt;
    return Image{r->value_string(), times_of(*r)};
}

void RecordStore::restore(std::string_view key, std::string_view value, const Record::Times& times) {
    const std::uint32_t hash = hash_of(key);
    write(table_.find(hash, key), hash, key, value, times);
}

void RecordStore::discard(std::string_view key) {
    const std::size_t slot = table_.find(hash_of(key), key);
    if (slot != RecordTable::kNotFound) erase_slot(slot);
}

void RecordStore::for_each_image(const ImageVisitor& visit, std::int64_t now_ms) {
    remove_all_expired(now_ms);
    std::string key;
    std::string value;
    for (std::size_t i = 0; i < table_.slot_count(); ++i) {
        const Record* r = table_.at(i);
        if (r == nullptr) continue;
        r->copy_key_to(key);
        r->copy_value_to(value);
        visit(key, value, times_of(*r));
    }
}

Record::Times RecordStore::times_of(const Record& r) {
    Record::Times times;
    times.expire_at_ms = r.expire_at_ms();
    times.max_idle_ms = r.max_idle_ms();
    times.now_ms = r.last_access_ms();
    return times;
}

}  // namespace shoal::map
