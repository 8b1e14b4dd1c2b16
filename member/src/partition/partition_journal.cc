#include "partition/partition_journal.h"

#include <algorithm>
#include <chrono>
#include <span>
#include <string>

#include "util/clock.h"

namespace shoal::partition {
namespace {

persistence::LogRecord record_of(int p, std::uint64_t version, const EntryChange& change) {
    persistence::LogRecord r;
    r.partition = p;
    r.version = version;
    r.map = change.map;
    switch (change.kind) {
        case EntryChange::Kind::kUpsert:
            r.type = persistence::RecordType::kPut;
            r.key = change.key;
            r.value = change.value;
            r.times = change.times;
            break;
        case EntryChange::Kind::kRemove:
            r.type = persistence::RecordType::kRemove;
            r.key = change.key;
            break;
        case EntryChange::Kind::kClearMap: r.type = persistence::RecordType::kClearMap; break;
        case EntryChange::Kind::kLock: break;  // never journaled (see journal_changes)
    }
    return r;
}

// Applies replayed records to a thread's stores, as apply_change does for live replicas.
//
// A batch at a time: first every put's table slot is prefetched, then the records are applied
// in order, so the batch's cache misses on the tables (the top cost of a replay once the
// reading is cheap) overlap. Each partition's last map store is kept, so a record costs a map
// lookup only when its partition's map changes; a clear or a drop, which destroy stores,
// forgets the partition's.
class RecordApplier {
public:
    explicit RecordApplier(ThreadContext& context)
        : context_(context), last_(context.partitions().empty() ? 0 : context.partitions().back()->partition_id() + 1) {}

    void apply(std::span<const persistence::LogRecordView> batch) {
        for (const auto& r : batch) {
            if (r.type != persistence::RecordType::kPut || !held_here(r.partition)) continue;
            // Without creating a store: a clear later in the batch may still drop it.
            if (const map::RecordStore* records = cached(r)) records->prefetch(r.key);
        }
        for (const auto& r : batch) apply(r);
    }

private:
    struct LastStore {
        std::string map;
        map::RecordStore* store = nullptr;
    };

    // A partition this thread holds. Others are skipped: written by another thread layout (see
    // member_persistence), or out of range in a record whose checksum happened to match.
    bool held_here(int partition) const {
        return partition >= 0 && static_cast<std::size_t>(partition) < last_.size() && context_.owns(partition);
    }

    void apply(const persistence::LogRecordView& r) {
        if (!held_here(r.partition)) return;
        map::PartitionStore& store = context_.store(r.partition);
        switch (r.type) {
            case persistence::RecordType::kPut: records_of(store, r).restore(r.key, r.value, r.times); break;
            case persistence::RecordType::kRemove:
                if (auto* records = store.find(r.map)) records->discard(r.key);
                break;
            case persistence::RecordType::kClearMap:
                last_of(r.partition).store = nullptr;
                store.drop(r.map);
                break;
            case persistence::RecordType::kDropPartition:
                last_of(r.partition).store = nullptr;
                store.drop_all();
                break;
            case persistence::RecordType::kPartitionComplete: break;
        }
        ReplicaState& state = context_.replica(r.partition);
        switch (r.type) {
            case persistence::RecordType::kDropPartition: state.version = 0; break;
            case persistence::RecordType::kPartitionComplete: state.version = r.version; break;
            default: state.version = std::max(state.version, r.version); break;
        }
    }

    LastStore& last_of(int partition) { return last_[static_cast<std::size_t>(partition)]; }

    // The store of the record's map if it is the partition's last one, else null.
    const map::RecordStore* cached(const persistence::LogRecordView& r) {
        const LastStore& last = last_of(r.partition);
        return last.store != nullptr && last.map == r.map ? last.store : nullptr;
    }

    map::RecordStore& records_of(map::PartitionStore& store, const persistence::LogRecordView& r) {
        LastStore& last = last_of(r.partition);
        if (last.store == nullptr || last.map != r.map) {
            last.store = &store.get_or_create(r.map);
            last.map.assign(r.map);
        }
        return *last.store;
    }

    ThreadContext& context_;
    std::vector<LastStore> last_;  // by partition id, up to the highest this thread holds
};

constexpr std::uint64_t kMinCompactionBytes = 64ull << 20;
constexpr std::size_t kCompactionFlushBytes = 1 << 20;

}  // namespace

void journal_changes(ThreadContext& context, int p, std::uint64_t version, const std::vector<EntryChange>& changes) {
    persistence::DataLog* log = context.log();
    if (log == nullptr || changes.empty()) return;
    bool appended = false;
    for (const auto& change : changes) {
        if (change.kind == EntryChange::Kind::kLock) continue;  // locks do not outlive the cluster
        log->append(record_of(p, version, change));
        appended = true;
    }
    if (appended) log->commit();
}

void journal_drop(ThreadContext& context, int p) {
    persistence::DataLog* log = context.log();
    if (log == nullptr) return;
    persistence::LogRecord r;
    r.type = persistence::RecordType::kDropPartition;
    r.partition = p;
    log->append(r);
    log->commit();
}

void compact_log_if_due(ThreadContext& context) {
    persistence::DataLog* log = context.log();
    if (log == nullptr) return;
    std::uint64_t live = 0;
    for (auto& store : context.partitions()) {
        store->for_each_map([&](std::string_view, map::RecordStore& records) { live += records.stats().bytes; });
    }
    if (log->bytes_on_disk() < std::max(kMinCompactionBytes, 2 * live)) return;
    log->start_compaction();
    const std::int64_t now = util::now_millis();
    std::size_t pending = 0;
    for (auto& store : context.partitions()) {
        const int p = store->partition_id();
        const std::uint64_t version = context.replica(p).version;
        store->for_each_map([&](std::string_view map_name, map::RecordStore& records) {
            records.for_each_image([&](std::string_view key, std::string_view value, const map::Record::Times& times) {
                persistence::LogRecord r;
                r.type = persistence::RecordType::kPut;
                r.partition = p;
                r.version = version;
                r.map = std::string(map_name);
                r.key = std::string(key);
                r.value = std::string(value);
                r.times = times;
                log->append(r);
                pending += key.size() + value.size();
                if (pending >= kCompactionFlushBytes) {
                    log->flush();
                    pending = 0;
                }
            }, now);
        });
    }
    log->finish_compaction();
}

void journal_complete(ThreadContext& context, int p, std::uint64_t version) {
    persistence::DataLog* log = context.log();
    if (log == nullptr) return;
    persistence::LogRecord r;
    r.type = persistence::RecordType::kPartitionComplete;
    r.partition = p;
    r.version = version;
    log->append(r);
    log->commit();
}

ThreadRecovery recover_thread(ThreadContext& context, persistence::DataLogOptions options) {
    const auto started = std::chrono::steady_clock::now();
    ThreadRecovery recovery;
    RecordApplier applier(context);
    auto log = persistence::DataLog::open(
        std::move(options),
        persistence::DataLog::ApplyBatch([&](std::span<const persistence::LogRecordView> batch) { applier.apply(batch); }),
        recovery.report);
    const std::int64_t now = util::now_millis();
    for (auto& store : context.partitions()) {
        store->for_each_map([&](std::string_view, map::RecordStore& records) { recovery.entries += records.size(now); });
    }
    context.set_log(std::shared_ptr<persistence::DataLog>(std::move(log)));
    recovery.load_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
    return recovery;
}

}  // namespace shoal::partition
