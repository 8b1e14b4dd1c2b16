// PartitionStore: every map's RecordStore for one partition, and the partition's key locks.
//
// Owned by exactly one partition thread. A map's store is created on its first write; reads of
// a map that was never written find nothing without creating anything.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "map/lock_table.h"
#include "map/record_store.h"

namespace shoal::map {

class PartitionStore {
public:
    // Gives the limits a new map's store starts with (from the map's config).
    using LimitsLookup = std::function<MapLimits(std::string_view map_name)>;
    // Told of every entry expiry removes from any map here (see RecordStore::ExpiryListener).
    using ExpiryListener = std::function<void(std::string_view map, std::string_view key, std::string_view value)>;

    PartitionStore(int partition_id, LimitsLookup limits)
        : partition_id_(partition_id), limits_(std::move(limits)) {}

    int partition_id() const { return partition_id_; }

    // The store of `map_name`, or null if the map has no entries here yet.
    RecordStore* find(std::string_view map_name);
    RecordStore& get_or_create(std::string_view map_name);
    void drop(std::string_view map_name) { stores_.erase(std::string(map_name)); }
    // Drops every map; the partition's locks go with them.
    void drop_all() {
        stores_.clear();
        locks_.clear();
    }
    bool empty() const { return stores_.empty(); }
    // Installs `listener` in every map's store, present and future.
    void set_expiry_listener(ExpiryListener listener);

    // The key locks of this partition (any map).
    LockTable& locks() { return locks_; }

    template <typename Fn>
    void for_each_map(Fn&& fn) {
        for (auto& [name, store] : stores_) fn(std::string_view(name), *store);
    }

private:
    int partition_id_;
    LimitsLookup limits_;
    std::unordered_map<std::string, std::unique_ptr<RecordStore>> stores_;
    LockTable locks_;
    std::shared_ptr<const ExpiryListener> expiry_listener_;  // shared by the maps' stores
};

}  // namespace shoal::map
