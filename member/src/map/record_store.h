// RecordStore: the entries of one map in one partition, with IMap semantics and expiry.
//
// Single-threaded by design: only the partition thread that owns the partition calls it, so it
// takes no locks. Keys are key identities (Data without its partition hash, see data.h); values
// are whole Data. Expired entries disappear lazily on access and through sweep_expired(), which
// the owning thread calls a bounded amount at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "map/record_table.h"

namespace shoal::map {

// Time limits of one write, in Hazelcast's client-protocol convention:
// -1 = the map's configured default, 0 = unlimited, > 0 = milliseconds.
struct EntryLimits {
    std::int64_t ttl_ms = -1;
    std::int64_t max_idle_ms = -1;
};

// The map-level defaults (from MapConfig), in milliseconds; 0 = unlimited.
struct MapLimits {
    std::int64_t ttl_ms = 0;
    std::int64_t max_idle_ms = 0;
};

struct StoreStats {
    std::size_t entries = 0;
    std::size_t bytes = 0;  // records plus the table's slots
};

class RecordStore {
public:
    using Value = std::optional<std::string>;
    using EntryVisitor = std::function<void(std::string_view key, std::string_view value)>;
    // Told of each entry that expiry removes (lazily on access, or by the sweep), before it goes.
    using ExpiryListener = std::function<void(std::string_view key, std::string_view value)>;

    explicit RecordStore(MapLimits limits = {}) : limits_(limits) {}
    RecordStore(const RecordStore&) = delete;
    RecordStore& operator=(const RecordStore&) = delete;

    Value get(std::string_view key, std::int64_t now_ms);
    bool contains_key(std::string_view key, std::int64_t now_ms);
    bool contains_value(std::string_view value, std::int64_t now_ms);

    // put returns the previous value; set does not build it.
    Value put(std::string_view key, std::string_view value, EntryLimits limits, std::int64_t now_ms);
    void set(std::string_view key, std::string_view value, EntryLimits limits, std::int64_t now_ms);
    Value put_if_absent(std::string_view key, std::string_view value, EntryLimits limits,
                        std::int64_t now_ms);
    Value replace(std::string_view key, std::string_view value, std::int64_t now_ms);
    bool replace_if_same(std::string_view key, std::string_view expected, std::string_view value,
                         std::int64_t now_ms);
    Value remove(std::string_view key, std::int64_t now_ms);
    bool remove_if_same(std::string_view key, std::string_view expected, std::int64_t now_ms);
    bool erase(std::string_view key, std::int64_t now_ms);  // IMap.delete: true if it was there
    // Changes the TTL of a live entry (IMap.setTtl); false if absent.
    bool set_ttl(std::string_view key, std::int64_t ttl_ms, std::int64_t now_ms);
    void clear();

    // Live entries; expired ones are removed first, so the count is exact.
    std::size_t size(std::int64_t now_ms);
    // Visits every live entry. The views are valid during the call only: records keep keys and
    // values packed (compact_data.h), so each entry is unpacked into a buffer the next one reuses.
    void for_each(const EntryVisitor& visit, std::int64_t now_ms);

    // Removes up to `max_checks` slots' worth of expired entries from where the last sweep
    // stopped; returns how many it removed.
    std::size_t sweep_expired(std::int64_t now_ms, std::size_t max_checks);

    // ---- replication: an entry as value plus absolute times, so a copy on another member
    // expires at the same moment (backups, migration, sync; see partition/replica_sync.h).
    struct Image {
        std::string value;
        Record::Times times;  // now_ms holds the last access
    };
    using ImageVisitor =
        std::function<void(std::string_view key, std::string_view value, const Record::Times& times)>;
    // The live entry's image without touching it; nullopt when absent or expired.
    std::optional<Image> image(std::string_view key, std::int64_t now_ms) const;
    // Writes an image as given (no TTL arithmetic): the receiving side of replication.
    void restore(std::string_view key, std::string_view value, const Record::Times& times);
    void discard(std::string_view key);  // removes the entry if present
    // Starts loading where restore(key, ...) or discard(key) will look (see RecordTable::prefetch).
    void prefetch(std::string_view key) const { table_.prefetch(hash_of(key)); }
    // Then the record itself (see RecordTable::prefetch_record); a batch of operations calls
    // prefetch for all its keys, then this for all, before running them.
    void prefetch_record(std::string_view key) const { table_.prefetch_record(hash_of(key)); }
    void for_each_image(const ImageVisitor& visit, std::int64_t now_ms);  // views as for_each's

    StoreStats stats() const { return {table_.size(), record_bytes_ + table_.table_bytes()}; }
    const MapLimits& limits() const { return limits_; }
    void set_expiry_listener(ExpiryListener listener) { expiry_listener_ = std::move(listener); }

private:
    static std::uint32_t hash_of(std::string_view key);
    Record::Times times_for(EntryLimits limits, std::int64_t now_ms) const;
    static Record::Times times_of(const Record& record);
    // The slot of a live entry, erasing it first if it has expired.
    std::size_t find_live(std::string_view key, std::uint32_t hash, std::int64_t now_ms);
    void write(std::size_t slot, std::uint32_t hash, std::string_view key, std::string_view value,
               const Record::Times& times);
    void erase_slot(std::size_t slot);
    void expire_slot(std::size_t slot);  // erase_slot, telling the expiry listener first
    void remove_all_expired(std::int64_t now_ms);

    RecordTable table_;
    MapLimits limits_;
    std::size_t record_bytes_ = 0;
    std::size_t expiring_entries_ = 0;  // entries with a TTL or max-idle; 0 lets size() skip a scan
    std::size_t sweep_cursor_ = 0;
    ExpiryListener expiry_listener_;
};

}  // namespace shoal::map
