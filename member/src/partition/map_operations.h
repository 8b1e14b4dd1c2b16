// MapOperations: the asynchronous IMap API every front end (REST, client protocol, embedded)
// calls. It routes each key operation to the partition thread owning the key's partition and
// fans whole-map operations out to every partition thread, gathering their answers.
//
// Callbacks run on a partition thread: a caller that needs its own thread posts from there.
// Keys and values are Hazelcast Data (see map/data.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "map/record_store.h"
#include "partition/operation_stats.h"
#include "partition/partition_threads.h"

namespace shoal::partition {

enum class OpStatus {
    kOk,
    kReadOnly,         // the cluster state (PASSIVE) forbids writes
    kInvalidArgument,  // e.g. a key that is not a Data
};

template <typename T>
struct OpResult {
    OpStatus status = OpStatus::kOk;
    T value{};
    bool ok() const { return status == OpStatus::kOk; }
};

using Entry = std::pair<std::string, std::string>;  // key Data, value Data

struct KeyPage {
    std::vector<std::string> keys;  // key Data
    int next_partition = -1;        // where the next page starts; -1 when this was the last
};

struct MapStats {
    std::string name;
    std::size_t entries = 0;
    std::size_t bytes = 0;
};

struct MemberStats {
    std::vector<MapStats> maps;  // sorted by name
    OperationStats operations;
};

template <typename T>
using Callback = std::function<void(OpResult<T>)>;

class MapOperations {
public:
    using Value = std::optional<std::string>;

    explicit MapOperations(PartitionThreads& threads) : threads_(threads) {}

    int partition_count() const { return threads_.partition_count(); }
    int partition_of(const std::string& key) const;

    // While read-only (cluster state PASSIVE), every write answers kReadOnly.
    void set_read_only(bool read_only) { read_only_.store(read_only, std::memory_order_release); }
    bool read_only() const { return read_only_.load(std::memory_order_acquire); }

    // ---- one key ----
    void get(std::string map, std::string key, Callback<Value> done);
    void contains_key(std::string map, std::string key, Callback<bool> done);
    void put(std::string map, std::string key, std::string value, map::EntryLimits limits,
             Callback<Value> done);
    void set(std::string map, std::string key, std::string value, map::EntryLimits limits,
             Callback<bool> done);
    void put_if_absent(std::string map, std::string key, std::string value,
                       map::EntryLimits limits, Callback<Value> done);
    void replace(std::string map, std::string key, std::string value, Callback<Value> done);
    void replace_if_same(std::string map, std::string key, std::string expected, std::string value,
                         Callback<bool> done);
    void remove(std::string map, std::string key, Callback<Value> done);
    void remove_if_same(std::string map, std::string key, std::string expected, Callback<bool> done);
    void erase(std::string map, std::string key, Callback<bool> done);  // IMap.delete
    void set_ttl(std::string map, std::string key, std::int64_t ttl_ms, Callback<bool> done);

    // ---- whole map ----
    void size(std::string map, Callback<std::size_t> done);
    void contains_value(std::string map, std::string value, Callback<bool> done);
    void clear(std::string map, Callback<bool> done);
    void key_set(std::string map, Callback<std::vector<std::string>> done);
    void values(std::string map, Callback<std::vector<std::string>> done);
    void entry_set(std::string map, Callback<std::vector<Entry>> done);
    void get_all(std::string map, std::vector<std::string> keys, Callback<std::vector<Entry>> done);
    void put_all(std::string map, std::vector<Entry> entries, Callback<bool> done);
    // Keys of whole partitions from `first_partition` on, until at least `limit` are gathered.
    void key_page(std::string map, int first_partition, std::size_t limit, Callback<KeyPage> done);

    // ---- the member ----
    void stats(Callback<MemberStats> done);
    void map_names(Callback<std::vector<std::string>> done);

private:
    // Runs `body(store, now)` for the key's partition on its owner thread, timing it as `type`.
    template <typename T, typename Body>
    void on_key(OpType type, bool is_write, const std::string& key, Callback<T> done, Body body);
    // Runs `per_thread(context, now)` on every thread; `merge` folds the per-thread results.
    template <typename T, typename PerThread>
    void on_every_thread(OpType type, bool is_write, Callback<T> done, PerThread per_thread,
                         std::function<T(std::vector<T>&)> merge);

    PartitionThreads& threads_;
    std::atomic<bool> read_only_{false};
};

}  // namespace shoal::partition
