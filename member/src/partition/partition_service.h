// PartitionService: this member's replicas. It applies the master's partition table to the
// partition threads, runs key operations as owner and replicates their effect to the backups
// (a write completes only when every sync backup acknowledged it; so does a lock call that
// changes a key's lock), applies what owners send here, and moves whole partitions (snapshots,
// with their locks) for migration and repair.
//
// Every per-partition decision is made on the partition's thread, against its ReplicaState.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "partition/key_operation.h"
#include "partition/op_result.h"
#include "partition/partition_digest.h"
#include "partition/partition_query.h"
#include "partition/partition_table.h"
#include "partition/partition_threads.h"
#include "partition/replica_transport.h"

namespace shoal::partition {

class PartitionService {
public:
    using ExecuteDone = std::function<void(OpStatus, KeyOutcome)>;
    // How many backups a write to `map` waits for (the map's backup-count).
    using SyncBackups = std::function<int(std::string_view map)>;

    PartitionService(PartitionThreads& threads, SyncBackups sync_backups);

    // Single process, no cluster: every partition is owned here and has no backups.
    void run_standalone();
    // Cluster mode: replicas are reached through `transport`; `local_member` is our UUID.
    void attach(ReplicaTransport* transport, std::string local_member);

    // Adopts a newer table (older ones are ignored). `master` changing voids every transfer
    // in flight: the new master plans again.
    void apply_table(TablePtr table, const std::string& master);
    TablePtr table() const;
    const std::string& local_member() const { return local_member_; }
    int partition_count() const { return threads_.partition_count(); }

    // Told about every key write this member executes as owner, on the partition's thread, with
    // the entry's value before and after (nullopt: absent); front ends turn it into entry events.
    // `wants(map)` is asked first and must be cheap: nothing is looked up when it says no.
    struct EntryObserver {
        std::function<bool(const std::string& map)> wants;
        std::function<void(const KeyOperation& op, const std::optional<std::string>& before,
                           const std::optional<std::string>& after)>
            changed;
        // An entry of a partition this member owns expired (key identity, its last value).
        std::function<void(const std::string& map, std::string_view key, std::string_view value)> expired;
    };
    // Set once, before the partition threads serve.
    void set_entry_observer(EntryObserver observer);

    // ---- serving ----
    void execute(KeyOperation op, ExecuteDone done);
    void query(PartitionQuery query, std::function<void(QueryResult)> done);

    // ---- replica messages from other members (any thread) ----
    // `reply` answers the sender (an empty body is a plain acknowledgement); for one-way
    // messages it does nothing.
    using ReplicaReply = std::function<void(std::string body)>;
    void on_replica_message(const std::string& from, ReplicaMessageType type, std::string body,
                            ReplicaReply reply);

    // ---- migration, driven by the master through the cluster module ----
    // As owner: sends partition `p` whole to `destinations`, which from now on also receive
    // (and must ack) every write; done(true) once each has applied the snapshot.
    void start_transfer(int p, std::vector<std::string> destinations, std::function<void(bool)> done);
    // As owner about to lose ownership: stops serving `p` and confirms that everything sent to
    // the destinations is applied there; done(false) if one cannot confirm.
    void hand_off(int p, std::function<void(bool)> done);
    // Ends a transfer: the destinations stop receiving writes; with !committed the owner also
    // serves again (the migration was aborted).
    void finish_transfer(int p, bool committed);

    // Anti-entropy: owners tell backups their versions; a backup that is behind asks for a
    // snapshot. Called periodically by the cluster module.
    void sync_tick();
    // Cluster shutdown: asks the backups of every partition this member owns whether they are
    // at its version (one that is not asks for a refill, as after sync_tick). done(true) once
    // every backup answered that none is behind; false if one is, or cannot answer.
    void check_backups_in_sync(std::function<void(bool in_sync)> done);
    // Split-brain merge: this member leaves its cluster. Every partition it owns is imaged,
    // then every replica here is dropped and the table forgotten, so operations wait (and are
    // retried) until the table of the cluster it joins arrives. done() gets the images, keys
    // as full Data routed to the partition they came from.
    void release_for_merge(std::function<void(std::vector<EntryChange>)> done);

    // Persistence: keeps the data just recovered from disk for partitions no table names here
    // (see ReplicaState::retained), until release_retained(). Call after recovery, before
    // the member joins.
    void retain_recovered();
    // The cluster is ACTIVE and balanced: data kept for partitions that did not come back here
    // is dropped. Cheap when nothing is kept.
    void release_retained();

    // Partitions whose local replica is known to be behind (for cluster-safe).
    int out_of_sync() const { return out_of_sync_.load(std::memory_order_relaxed); }
    // Bytes of partition snapshots this member has sent (migrations, repairs), for progress logs.
    std::uint64_t snapshot_bytes_sent() const { return snapshot_bytes_sent_.load(std::memory_order_relaxed); }
    // Snapshots sent whole (the destination held nothing) and differential (only the buckets
    // whose digests differed), with the entries each kind sent and those the differential ones
    // did not have to send.
    struct SnapshotCounts {
        std::uint64_t whole = 0;
        std::uint64_t differential = 0;
        std::uint64_t whole_entries = 0;
        std::uint64_t differential_entries_sent = 0;
        std::uint64_t differential_entries_skipped = 0;
    };
    SnapshotCounts snapshot_counts() const;

private:
    struct Replication;
    // The body of execute(), on the partition's thread (or an IO thread running its queue).
    void run_key_operation(ThreadContext& context, int p, const KeyOperation& op, ExecuteDone done,
                           std::int64_t submitted);
    void replicate(ThreadContext& context, int p, std::vector<EntryChange> changes, int required,
                   std::function<void()> on_done);
    void replicate_lock(ThreadContext& context, int p, const KeyOperation& op, KeyOutcome outcome, std::int64_t now,
                        ExecuteDone done);
    using ReplicateChanges = std::function<void(int p, std::vector<EntryChange>, std::function<void()> done)>;
    // Refills `destination`'s copy of `p`: asks for its digest first, then sends the buckets
    // that differ (or everything, when it holds nothing).
    void send_snapshot(ThreadContext& context, int p, const std::string& destination,
                       std::function<void(bool)> done);
    void send_chunks(ThreadContext& context, int p, const std::string& destination,
                     const std::optional<PartitionDigest>& theirs, std::function<void(bool)> done);
    std::string digest_for_refill(ThreadContext& context, const DigestRequest& request);
    void empty_buckets(ThreadContext& context, int p, std::uint32_t bucket_count,
                       const std::vector<std::uint32_t>& buckets);
    void apply_table_on_thread(ThreadContext& context, const PartitionTable& table, bool master_changed);
    void apply_backup(ThreadContext& context, const std::string& from, const BackupMessage& m);
    void apply_chunk(ThreadContext& context, const ChunkMessage& m);
    // As a backup: asks the owner `from` for a refill of every partition not at its version;
    // answers how many are behind (being refilled included).
    int check_versions(ThreadContext& context, const std::string& from, const std::vector<PartitionVersion>& versions);
    void check_versions_on_threads(const std::string& from, std::vector<PartitionVersion> versions,
                                   std::function<void(int behind)> done);
    std::map<std::string, std::vector<PartitionVersion>> owned_versions_by_backup(ThreadContext& context) const;
    void mark_out_of_sync(ReplicaState& state, bool value);
    void promote(ReplicaState& state);
    void drop(ThreadContext& context, int p);
    void run_query_on_thread(ThreadContext& context, const PartitionQuery& query,
                             const std::vector<int>& partitions, QueryResult& result,
                             const ReplicateChanges& replicate_changes);

    PartitionThreads& threads_;
    SyncBackups sync_backups_;
    ReplicaTransport* transport_ = nullptr;
    std::string local_member_;
    mutable std::mutex table_mutex_;
    TablePtr table_;
    std::string master_;
    std::atomic<std::uint64_t> next_transfer_{1};
    std::atomic<int> out_of_sync_{0};
    std::atomic<std::uint64_t> snapshot_bytes_sent_{0};
    std::atomic<std::uint64_t> whole_snapshots_{0};
    std::atomic<std::uint64_t> differential_snapshots_{0};
    std::atomic<std::uint64_t> whole_entries_{0};
    std::atomic<std::uint64_t> differential_entries_sent_{0};
    std::atomic<std::uint64_t> differential_entries_skipped_{0};
    std::atomic<int> retained_{0};  // partitions with ReplicaState::retained, all threads
    EntryObserver observer_;
};

}  // namespace shoal::partition
