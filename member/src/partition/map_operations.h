// MapOperations: the asynchronous IMap API every front end (REST, client protocol, embedded)
// calls. It routes each key operation to the partition's owner (this member's partition
// thread, or another member through the RemoteInvoker) and asks every owner for its share of
// a whole-map operation. While partitions move it routes again until the operation's deadline.
//
// Callbacks run on a partition or IO thread: a caller that needs its own thread posts from there.
// Keys and values are Hazelcast Data (see map/data.h).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "map/record_store.h"
#include "partition/key_operation.h"
#include "partition/op_result.h"
#include "partition/partition_query.h"
#include "partition/partition_service.h"
#include "partition/remote_invoker.h"
#include "partition/operation_stats.h"
#include "partition/partition_threads.h"

namespace shoal::partition {

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

class MapOperations {
public:
    using Value = std::optional<std::string>;

    MapOperations(PartitionThreads& threads, PartitionService& service)
        : threads_(threads), service_(service) {}

    // Cluster mode: partitions owned elsewhere are reached through `remote`.
    void attach(RemoteInvoker* remote) { remote_ = remote; }
    // How long an operation keeps routing while no owner answers (Hazelcast's invocation
    // timeout plays this part).
    void set_deadline(std::chrono::milliseconds deadline) { deadline_ = deadline; }

    int partition_count() const { return threads_.partition_count(); }
    // The partition table this member routes by (null before the first one arrives).
    TablePtr partition_table() const { return service_.table(); }
    // What this member sent to refill other members' replicas (migrations, repairs).
    PartitionService::SnapshotCounts snapshot_counts() const { return service_.snapshot_counts(); }
    std::uint64_t snapshot_bytes_sent() const { return service_.snapshot_bytes_sent(); }
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
    // Releases every lock (of any map) whose owner starts with `owner_prefix`, on every owner.
    void release_locks(std::string owner_prefix, Callback<std::size_t> done);
    // Runs `task` after `delay` on a timer thread; false (and nothing runs) without a cluster.
    bool later(std::chrono::milliseconds delay, std::function<void()> task);

    // ---- whole map ----
    void size(std::string map, Callback<std::size_t> done);
    void contains_value(std::string map, std::string value, Callback<bool> done);
    void clear(std::string map, Callback<bool> done);
    // clear, answering how many entries it removed.
    void clear_and_count(std::string map, Callback<std::size_t> done);
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
    // The maps with entries anywhere in the cluster (asked of every partition's owner), sorted.
    void cluster_map_names(Callback<std::vector<std::string>> done);

    // The one entry for key operations (the client protocol calls it directly).
    void execute(KeyOperation op, std::function<void(OpStatus, KeyOutcome)> done);
    // Whole-map work over every partition, asked of each owner.
    void query(PartitionQuery query, std::function<void(OpStatus, QueryResult)> done);

private:
    using Deadline = std::chrono::steady_clock::time_point;
    struct QueryRun;
    template <typename T>
    void on_key(KeyOperation op, Callback<T> done, T (*pick)(KeyOutcome&));
    void attempt(std::shared_ptr<KeyOperation> op, Deadline deadline, Deadline lock_deadline,
                 std::function<void(OpStatus, KeyOutcome)> done);
    void each_key(std::vector<KeyOperation> ops, std::function<void(OpStatus, std::vector<KeyOutcome>)> done);
    void query_round(std::shared_ptr<QueryRun> run, std::vector<int> partitions);
    void retry_or_fail(Deadline deadline, std::function<void()> retry, std::function<void()> fail);
    template <typename T>
    void on_all_partitions(QueryKind kind, bool is_write, std::string map, std::string value,
                           Callback<T> done, std::function<T(QueryResult&)> pick);
    // Runs `per_thread(context, now)` on every thread; `merge` folds the per-thread results.
    template <typename T, typename PerThread>
    void on_every_thread(OpType type, bool is_write, Callback<T> done, PerThread per_thread,
                         std::function<T(std::vector<T>&)> merge);

    PartitionThreads& threads_;
    PartitionService& service_;
    RemoteInvoker* remote_ = nullptr;
    std::chrono::milliseconds deadline_{60'000};
    std::atomic<bool> read_only_{false};
};

}  // namespace shoal::partition
