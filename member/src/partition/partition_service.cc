#include "partition/partition_service.h"

#include "partition/partition_journal.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <mutex>

#include "map/data.h"
#include "util/clock.h"
#include "util/log.h"

namespace shoal::partition {
namespace {

const util::Logger logger("shoal.partition");
// Snapshots travel in chunks of about this many bytes, so no single frame is huge and a
// destination applies a partition in steps.
constexpr std::size_t kChunkBytes = 1 << 20;

// Counts down outstanding steps; the last arrival runs `on_done`. Starts at 1 for the
// launcher, which arrives after it has launched everything.
struct Latch {
    explicit Latch(std::function<void()> done) : on_done(std::move(done)) {}
    void add() { remaining.fetch_add(1, std::memory_order_relaxed); }
    void arrive() {
        if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) on_done();
    }
    std::atomic<int> remaining{1};
    std::function<void()> on_done;
};

std::optional<std::string> value_of_key(map::PartitionStore& store, const std::string& map_name,
                                        std::string_view key, std::int64_t now) {
    map::RecordStore* records = store.find(map_name);
    auto image = records ? records->image(key, now) : std::nullopt;
    if (!image) return std::nullopt;
    return std::move(image->value);
}

EntryChange change_of_key(map::PartitionStore& store, const std::string& map_name,
                          std::string_view key, std::int64_t now) {
    EntryChange change;
    change.map = map_name;
    change.key = std::string(key);
    map::RecordStore* records = store.find(map_name);
    auto image = records ? records->image(key, now) : std::nullopt;
    if (!image) {
        change.kind = EntryChange::Kind::kRemove;
        return change;
    }
    change.kind = EntryChange::Kind::kUpsert;
    change.value = std::move(image->value);
    change.times = image->times;
    return change;
}

void apply_change(map::PartitionStore& store, const EntryChange& change) {
    switch (change.kind) {
        case EntryChange::Kind::kUpsert: store.get_or_create(change.map).restore(change.key, change.value, change.times); break;
        case EntryChange::Kind::kRemove:
            if (auto* records = store.find(change.map)) records->discard(change.key);
            break;
        case EntryChange::Kind::kClearMap: store.drop(change.map); break;
        case EntryChange::Kind::kLock: store.locks().restore(change.lock_state()); break;
    }
}

// Whether a lock call changed the key's lock (the backups must hear of it); isLocked and
// refused calls change nothing.
bool changes_lock(const KeyOperation& op, const KeyOutcome& outcome) {
    return outcome.flag && (op.type == KeyOpType::kLock || op.type == KeyOpType::kUnlock ||
                            op.type == KeyOpType::kForceUnlock);
}

// A task's cache warm-up for the key it will look up (see TaskPrefetch): stage 0 starts loading
// the key's table slot, stage 1 (after every task of the batch had its stage 0) the record that
// slot points to. `records` carries the map's store from one stage to the next.
void prefetch_key(ThreadContext& context, int p, std::string_view map_name, std::string_view key,
                  map::RecordStore*& records, int stage) {
    if (!context.owns(p)) return;
    if (stage == 0) {
        records = context.store(p).find(map_name);
        if (records != nullptr) records->prefetch(key);
    } else if (records != nullptr) {
        records->prefetch_record(key);
    }
}

// Key Data as clients expect it back: a zero partition hash before the identity.
std::string key_data(std::string_view identity) {
    std::string data(4, '\0');
    data.append(identity);
    return data;
}

OpType stats_type(QueryKind kind) {
    switch (kind) {
        case QueryKind::kSize: return OpType::kSize;
        case QueryKind::kContainsValue: return OpType::kContainsValue;
        case QueryKind::kClear: return OpType::kClear;
        case QueryKind::kKeys: return OpType::kKeySet;
        case QueryKind::kValues: return OpType::kValues;
        case QueryKind::kEntries: return OpType::kEntrySet;
        case QueryKind::kReleaseLocks: return OpType::kLock;
        case QueryKind::kMapNames: return OpType::kKeySet;
    }
    return OpType::kSize;
}

std::string encoded(const auto& message) {
    util::ByteWriter out;
    encode(out, message);
    return out.take();
}

}  // namespace

PartitionService::PartitionService(PartitionThreads& threads, SyncBackups sync_backups)
    : threads_(threads), sync_backups_(std::move(sync_backups)) {}

void PartitionService::run_standalone() {
    if (local_member_.empty()) local_member_ = "standalone";
    auto table = std::make_shared<PartitionTable>();
    table->version = 1;
    table->replicas.assign(static_cast<std::size_t>(partition_count()), std::vector<std::string>{local_member_});
    apply_table(std::move(table), local_member_);
}

void PartitionService::attach(ReplicaTransport* transport, std::string local_member) {
    transport_ = transport;
    local_member_ = std::move(local_member);
}

// ---- the table ------------------------------------------------------------------------------

void PartitionService::apply_table(TablePtr table, const std::string& master) {
    bool master_changed = false;
    {
        std::lock_guard lock(table_mutex_);
        if (table_ && table->version <= table_->version && master == master_) return;
        master_changed = !master_.empty() && master != master_;
        table_ = table;
        master_ = master;
    }
    for (int t = 0; t < threads_.thread_count(); ++t) {
        threads_.submit_to_thread(t, [this, table, master_changed](ThreadContext& context) {
            apply_table_on_thread(context, *table, master_changed);
        });
    }
}

TablePtr PartitionService::table() const {
    std::lock_guard lock(table_mutex_);
    return table_;
}

void PartitionService::apply_table_on_thread(ThreadContext& context, const PartitionTable& table,
                                             bool master_changed) {
    for (auto& store : context.partitions()) {
        const int p = store->partition_id();
        if (p >= table.partition_count()) continue;
        ReplicaState& state = context.replica(p);
        if (master_changed) {
            state.destinations.clear();
            state.receiving = false;
            state.incoming = false;
            state.handed_off = false;
        }
        if (master_changed) state.awaiting_refill = false;
        const int was = state.index;
        state.index = table.replica_index(p, local_member_);
        if (state.index >= 0) state.incoming = false;
        if (state.index == 0 && was != 0) promote(state);
        if (state.index >= 0 && state.retained) {
            state.retained = false;  // a replica again: its data is checked by version from now on
            retained_.fetch_sub(1, std::memory_order_relaxed);
        }
        const auto& row = table.replicas[static_cast<std::size_t>(p)];
        state.backups.assign(row.size() > 1 ? row.begin() + 1 : row.end(), row.end());
        if (state.index != 0) {
            state.handed_off = false;
            state.destinations.clear();
        }
        // Data (and locks) of a partition we hold no replica of (and receive nothing for) is
        // stale; backups keep their copies of the owner's locks, to take over with them.
        // Data recovered from disk that may come back here is kept too (ReplicaState::retained).
        if (state.index < 0 && !state.receiving && !state.incoming && !state.awaiting_refill && !state.retained) {
            if (!store->empty()) drop(context, p);
            store->locks().clear();
        }
    }
}

// A replica that becomes the owner is the partition's authority from now on: nobody will refill
// it, so it is no longer behind (or cluster-safe would wait for it forever). A copy that was
// incomplete (a refill under way when its owner died) jumps its version past any its backups
// can hold, so they see a gap and are refilled from it rather than take its next writes for
// duplicates.
void PartitionService::promote(ReplicaState& state) {
    const bool incomplete = state.receiving || state.awaiting_refill;
    state.receiving = false;
    state.awaiting_refill = false;
    if (incomplete) state.version += std::uint64_t{1} << 32;
    mark_out_of_sync(state, false);
}

void PartitionService::set_entry_observer(EntryObserver observer) {
    observer_ = std::move(observer);
    if (!observer_.expired) return;
    // Each partition store tells of its expired entries on its own thread; only the owner's
    // replica speaks (backups expire their copies silently).
    for (int t = 0; t < threads_.thread_count(); ++t) {
        threads_.submit_to_thread(t, [this](ThreadContext& context) {
            for (auto& store : context.partitions()) {
                const int p = store->partition_id();
                store->set_expiry_listener([this, &context, p](std::string_view map, std::string_view key, std::string_view value) {
                    if (!context.replica(p).serving()) return;
                    const std::string name(map);
                    if (observer_.wants && observer_.wants(name)) observer_.expired(name, key, value);
                });
            }
        });
    }
}

// ---- serving --------------------------------------------------------------------------------

void PartitionService::execute(KeyOperation op, ExecuteDone done) {
    // A named task rather than a lambda, so its prefetch can find the key it will look up.
    struct KeyTask {
        PartitionService* service;
        int p;
        KeyOperation op;
        ExecuteDone done;
        std::int64_t submitted;
        map::RecordStore* records = nullptr;  // found by the prefetch's first stage

        void operator()(ThreadContext& context) {
            service->run_key_operation(context, p, op, std::move(done), submitted);
        }
        static void prefetch(ThreadTask& task, ThreadContext& context, int stage) {
            if (auto* self = task.target<KeyTask>()) {
                prefetch_key(context, self->p, self->op.map, map::key_identity(self->op.key), self->records, stage);
            }
        }
    };
    const int p = map::partition_id(op.key, partition_count());
    threads_.submit_from_loop(p, KeyTask{this, p, std::move(op), std::move(done), util::monotonic_nanos()},
                              &KeyTask::prefetch);
}

void PartitionService::run_key_operation(ThreadContext& context, int p, const KeyOperation& op, ExecuteDone done,
                                         std::int64_t submitted) {
    ReplicaState& state = context.replica(p);
    if (!state.serving()) {
        done(OpStatus::kNotOwner, {});
        return;
    }
    const std::int64_t now = util::now_millis();
    map::PartitionStore& store = context.store(p);
    // A write waits (its caller retries) while another owner holds the key's lock.
    if (op.is_write() && op.lock_aware && store.locks().locked_by_other(op.map, map::key_identity(op.key), op.lock_owner, now)) {
        done(OpStatus::kLocked, {});
        return;
    }
    const bool observed = op.is_write() && observer_.wants && observer_.wants(op.map);
    std::optional<std::string> before;
    if (observed) before = value_of_key(store, op.map, map::key_identity(op.key), now);
    KeyOutcome outcome = partition::execute(op, store, now);
    if (observed) observer_.changed(op, before, value_of_key(store, op.map, map::key_identity(op.key), now));
    context.stats().record(op.stats_type(), util::monotonic_nanos() - submitted);
    if (op.is_lock()) {
        replicate_lock(context, p, op, std::move(outcome), now, std::move(done));
        return;
    }
    if (!op.is_write() || (transport_ == nullptr && context.log() == nullptr)) {
        done(OpStatus::kOk, std::move(outcome));
        return;
    }
    ++state.version;
    if (context.log() == nullptr && (transport_ == nullptr || (state.backups.empty() && state.destinations.empty()))) {
        // Nobody to tell (no journal, no backup, no migration in flight): skip building the
        // change, a copy of the whole entry that replicate() would drop unread.
        done(OpStatus::kOk, std::move(outcome));
        return;
    }
    std::vector<EntryChange> changes{change_of_key(store, op.map, map::key_identity(op.key), now)};
    try {
        journal_changes(context, p, state.version, changes);
    } catch (const std::exception& e) {
        // Applied in memory but not on disk: not acknowledged, so the client retries or
        // reports it. Its backups never heard of it: they see the version gap on the next
        // write (or the periodic check) and ask for a full copy.
        logger.error("persistence: write to partition " + std::to_string(p) + " failed, not acknowledged: " + e.what());
        done(OpStatus::kUnavailable, {});
        return;
    }
    if (transport_ == nullptr) {
        done(OpStatus::kOk, std::move(outcome));
        return;
    }
    auto finish = [done = std::move(done), outcome = std::move(outcome)]() mutable {
        done(OpStatus::kOk, std::move(outcome));
    };
    replicate(context, p, std::move(changes), sync_backups_(op.map), std::move(finish));
}

// A lock call that changed the key's lock answers once the sync backups hold the new state (as
// Hazelcast's lock operations are backup-aware), so a lock the caller was granted survives the
// owner's failure. The version grows, as for writes, so backups see gaps; nothing is journaled.
void PartitionService::replicate_lock(ThreadContext& context, int p, const KeyOperation& op, KeyOutcome outcome,
                                      std::int64_t now, ExecuteDone done) {
    ReplicaState& state = context.replica(p);
    if (transport_ == nullptr || !changes_lock(op, outcome) || (state.backups.empty() && state.destinations.empty())) {
        done(OpStatus::kOk, std::move(outcome));
        return;
    }
    ++state.version;
    const map::LockState lock = context.store(p).locks().state_of(op.map, map::key_identity(op.key), now);
    auto finish = [done = std::move(done), outcome = std::move(outcome)]() mutable {
        done(OpStatus::kOk, std::move(outcome));
    };
    replicate(context, p, {EntryChange::of_lock(lock)}, sync_backups_(op.map), std::move(finish));
}

void PartitionService::replicate(ThreadContext& context, int p, std::vector<EntryChange> changes,
                                 int required, std::function<void()> on_done) {
    ReplicaState& state = context.replica(p);
    if (state.backups.empty() && state.destinations.empty()) {
        on_done();
        return;
    }
    const std::string body = encoded(BackupMessage{p, state.version, std::move(changes)});
    auto latch = std::make_shared<Latch>(std::move(on_done));
    auto send = [&](const std::string& member, bool must_ack) {
        if (!must_ack) {
            transport_->send(member, ReplicaMessageType::kBackup, body, [](bool) {});
            return;
        }
        latch->add();
        // A backup that cannot be reached does not block the write forever: the member is
        // being removed, and the owner's copy is what the new backup will be built from.
        transport_->send(member, ReplicaMessageType::kBackup, body, [latch](bool) { latch->arrive(); });
    };
    for (std::size_t i = 0; i < state.backups.size(); ++i) {
        send(state.backups[i], static_cast<int>(i) + 1 <= required);
    }
    for (const auto& destination : state.destinations) {
        if (std::find(state.backups.begin(), state.backups.end(), destination) == state.backups.end()) {
            send(destination, true);
        }
    }
    latch->arrive();
}

void PartitionService::query(PartitionQuery query, std::function<void(QueryResult)> done) {
    std::map<int, std::vector<int>> by_thread;
    for (int p : query.partitions) {
        if (p >= 0 && p < partition_count()) by_thread[threads_.thread_of(p)].push_back(p);
    }
    struct Shared {
        std::mutex mutex;
        QueryResult result;
    };
    auto shared = std::make_shared<Shared>();
    auto latch = std::make_shared<Latch>([shared, done = std::move(done)] { done(std::move(shared->result)); });
    auto shared_query = std::make_shared<const PartitionQuery>(std::move(query));
    const std::int64_t submitted = util::monotonic_nanos();
    for (auto& [thread, partitions] : by_thread) {
        latch->add();
        threads_.submit_to_thread(thread, [this, shared, latch, shared_query, submitted,
                                           partitions = std::move(partitions)](ThreadContext& context) {
            QueryResult mine;
            auto replicate_changes = [&](int p, std::vector<EntryChange> changes, std::function<void()> cleared) {
                latch->add();
                const int required = sync_backups_(changes.front().map);
                replicate(context, p, std::move(changes), required,
                          [latch, cleared = std::move(cleared)] {
                              cleared();
                              latch->arrive();
                          });
            };
            run_query_on_thread(context, *shared_query, partitions, mine, replicate_changes);
            context.stats().record(stats_type(shared_query->kind), util::monotonic_nanos() - submitted);
            {
                std::lock_guard lock(shared->mutex);
                shared->result.merge(std::move(mine));
            }
            latch->arrive();
        });
    }
    latch->arrive();
}

void PartitionService::run_query_on_thread(ThreadContext& context, const PartitionQuery& query,
                                           const std::vector<int>& partitions, QueryResult& result,
                                           const ReplicateChanges& replicate_changes) {
    const std::int64_t now = util::now_millis();
    for (int p : partitions) {
        ReplicaState& state = context.replica(p);
        if (!state.serving()) {
            result.not_owned.push_back(p);
            continue;
        }
        map::PartitionStore& store = context.store(p);
        if (query.kind == QueryKind::kClear) {
            if (map::RecordStore* records = store.find(query.map)) result.count += records->size(now);
            store.drop(query.map);
            ++state.version;
            journal_changes(context, p, state.version, {EntryChange{EntryChange::Kind::kClearMap, query.map, {}, {}, {}}});
            if (transport_ != nullptr) {
                replicate_changes(p, {EntryChange{EntryChange::Kind::kClearMap, query.map, {}, {}, {}, 0}}, [] {});
            }
            continue;
        }
        if (query.kind == QueryKind::kReleaseLocks) {
            if (store.locks().empty()) continue;  // the common case: nothing to look at
            std::vector<map::LockState> released = store.locks().release_owner_states(query.value);
            result.count += released.size();
            if (released.empty() || transport_ == nullptr) continue;
            ++state.version;
            std::vector<EntryChange> changes;
            for (const auto& lock : released) changes.push_back(EntryChange::of_lock(lock));
            replicate_changes(p, std::move(changes), [] {});
            continue;
        }
        if (query.kind == QueryKind::kMapNames) {
            store.for_each_map([&](std::string_view name, map::RecordStore& records) {
                if (records.size(now) > 0) result.values.emplace_back(name);
            });
            continue;
        }
        map::RecordStore* records = store.find(query.map);
        if (records == nullptr) continue;
        switch (query.kind) {
            case QueryKind::kSize: result.count += records->size(now); break;
            case QueryKind::kContainsValue: result.found = result.found || records->contains_value(query.value, now); break;
            case QueryKind::kKeys: {
                std::vector<std::string> keys;
                records->for_each([&](std::string_view k, std::string_view) { keys.push_back(key_data(k)); }, now);
                if (!keys.empty()) result.keys.emplace_back(p, std::move(keys));
                break;
            }
            case QueryKind::kValues:
                records->for_each([&](std::string_view, std::string_view v) { result.values.emplace_back(v); }, now);
                break;
            case QueryKind::kEntries:
                records->for_each([&](std::string_view k, std::string_view v) {
                    result.entries.emplace_back(key_data(k), std::string(v));
                }, now);
                break;
            case QueryKind::kClear:
            case QueryKind::kReleaseLocks:
            case QueryKind::kMapNames: break;
        }
    }
}

// ---- messages from other members ----------------------------------------------------------

void PartitionService::on_replica_message(const std::string& from, ReplicaMessageType type,
                                          std::string body, ReplicaReply reply) {
    util::ByteReader in(body);
    auto ack = [reply] { reply({}); };
    switch (type) {
        case ReplicaMessageType::kBackup: {
            // Named, as execute()'s KeyTask, so a batch of backups prefetches its keys too.
            struct BackupTask {
                PartitionService* service;
                std::shared_ptr<BackupMessage> m;
                std::string from;
                std::function<void()> ack;
                map::RecordStore* records = nullptr;

                void operator()(ThreadContext& c) {
                    service->apply_backup(c, from, *m);
                    ack();
                }
                static void prefetch(ThreadTask& task, ThreadContext& context, int stage) {
                    auto* self = task.target<BackupTask>();
                    if (self == nullptr || self->m->changes.empty()) return;
                    const int p = self->m->partition;
                    if (p < 0 || p >= self->service->partition_count()) return;
                    const EntryChange& first = self->m->changes.front();
                    if (first.kind != EntryChange::Kind::kUpsert && first.kind != EntryChange::Kind::kRemove) return;
                    prefetch_key(context, p, first.map, first.key, self->records, stage);
                }
            };
            auto m = std::make_shared<BackupMessage>(decode_backup(in));
            const int p = m->partition % partition_count();
            threads_.submit_from_loop(p, BackupTask{this, std::move(m), from, std::move(ack)}, &BackupTask::prefetch);
            return;
        }
        case ReplicaMessageType::kDigestRequest: {
            const DigestRequest m = decode_digest_request(in);
            threads_.submit(m.partition % partition_count(), [this, m, reply = std::move(reply)](ThreadContext& c) {
                reply(digest_for_refill(c, m));
            });
            return;
        }
        case ReplicaMessageType::kChunk: {
            auto m = std::make_shared<ChunkMessage>(decode_chunk(in));
            threads_.submit(m->partition % partition_count(), [this, m, ack = std::move(ack)](ThreadContext& c) {
                apply_chunk(c, *m);
                ack();
            });
            return;
        }
        case ReplicaMessageType::kBarrier: {
            const int p = in.i32("partition");
            if (p < 0 || p >= partition_count()) throw util::DecodeError("barrier partition out of range");
            threads_.submit(p, [ack = std::move(ack)](ThreadContext&) { ack(); });
            return;
        }
        case ReplicaMessageType::kSyncCheck: {
            check_versions_on_threads(from, decode_versions(in), [](int) {});
            ack();
            return;
        }
        case ReplicaMessageType::kSyncQuery: {
            check_versions_on_threads(from, decode_versions(in), [reply = std::move(reply)](int behind) {
                util::ByteWriter out;
                out.u32(static_cast<std::uint32_t>(behind));
                reply(out.take());
            });
            return;
        }
        case ReplicaMessageType::kSyncRequest: {
            const int p = in.i32("partition");
            if (p < 0 || p >= partition_count()) throw util::DecodeError("sync partition out of range");
            threads_.submit(p, [this, p, from](ThreadContext& c) {
                ReplicaState& state = c.replica(p);
                const bool replica = std::find(state.backups.begin(), state.backups.end(), from) != state.backups.end() ||
                                     std::find(state.destinations.begin(), state.destinations.end(), from) != state.destinations.end();
                if (state.serving() && replica) send_snapshot(c, p, from, [](bool) {});
            });
            ack();
            return;
        }
    }
    throw util::DecodeError("unknown replica message type " + std::to_string(static_cast<int>(type)));
}

void PartitionService::apply_backup(ThreadContext& context, const std::string& from, const BackupMessage& m) {
    ReplicaState& state = context.replica(m.partition);
    if (state.serving()) {
        logger.warn("ignoring a backup of partition " + std::to_string(m.partition) + " from " + from +
                    ": this member owns it");
        return;
    }
    if (m.version <= state.version) return;  // older than what we hold: a duplicate
    const bool incomplete = state.receiving || state.awaiting_refill;
    const bool gap = m.version != state.version + 1 && !incomplete;
    map::PartitionStore& store = context.store(m.partition);
    for (const auto& change : m.changes) apply_change(store, change);
    state.version = m.version;
    // An incomplete copy stays at version 0 on disk until its snapshot's last chunk, so a
    // member that dies meanwhile never takes it for a current one.
    journal_changes(context, m.partition, incomplete ? 0 : m.version, m.changes);
    if (gap) {
        mark_out_of_sync(state, true);
        util::ByteWriter out;
        out.i32(m.partition);
        transport_->post(from, ReplicaMessageType::kSyncRequest, out.take());
    }
}

void PartitionService::apply_chunk(ThreadContext& context, const ChunkMessage& m) {
    ReplicaState& state = context.replica(m.partition);
    map::PartitionStore& store = context.store(m.partition);
    if (m.first) {
        if (m.digest_buckets > 0) {
            empty_buckets(context, m.partition, m.digest_buckets, m.replaced_buckets);
            store.locks().clear();  // the owner's locks follow, all of them
        } else {
            store.drop_all();
            journal_drop(context, m.partition);
        }
        state.receiving = true;
        state.awaiting_refill = false;
        state.incoming = state.index < 0;
    }
    for (const auto& entry : m.entries) apply_change(store, entry);
    journal_changes(context, m.partition, 0, m.entries);
    if (m.last) {
        journal_complete(context, m.partition, m.version);
        state.version = m.version;
        state.receiving = false;
        mark_out_of_sync(state, false);
    }
}

int PartitionService::check_versions(ThreadContext& context, const std::string& from,
                                     const std::vector<PartitionVersion>& versions) {
    int behind = 0;
    for (const auto& v : versions) {
        ReplicaState& state = context.replica(v.partition);
        if (state.index <= 0) continue;
        if (state.receiving) {
            ++behind;  // being refilled already
            continue;
        }
        if (state.version == v.version && !state.awaiting_refill) continue;
        ++behind;
        mark_out_of_sync(state, true);
        util::ByteWriter out;
        out.i32(v.partition);
        transport_->post(from, ReplicaMessageType::kSyncRequest, out.take());
    }
    return behind;
}

void PartitionService::check_versions_on_threads(const std::string& from, std::vector<PartitionVersion> versions,
                                                 std::function<void(int behind)> done) {
    std::map<int, std::vector<PartitionVersion>> by_thread;
    for (const auto& v : versions) {
        if (v.partition < partition_count()) by_thread[threads_.thread_of(v.partition)].push_back(v);
    }
    auto behind = std::make_shared<std::atomic<int>>(0);
    auto latch = std::make_shared<Latch>([behind, done = std::move(done)] { done(behind->load()); });
    for (auto& [thread, mine] : by_thread) {
        latch->add();
        threads_.submit_to_thread(thread, [this, from, mine = std::move(mine), behind, latch](ThreadContext& c) {
            behind->fetch_add(check_versions(c, from, mine));
            latch->arrive();
        });
    }
    latch->arrive();
}

void PartitionService::check_backups_in_sync(std::function<void(bool)> done) {
    if (transport_ == nullptr) {
        done(true);
        return;
    }
    auto in_sync = std::make_shared<std::atomic<bool>>(true);
    auto latch = std::make_shared<Latch>([in_sync, done = std::move(done)] { done(in_sync->load()); });
    for (int t = 0; t < threads_.thread_count(); ++t) {
        latch->add();
        threads_.submit_to_thread(t, [this, in_sync, latch](ThreadContext& c) {
            for (const auto& [member, versions] : owned_versions_by_backup(c)) {
                latch->add();
                transport_->request(member, ReplicaMessageType::kSyncQuery, encoded(versions),
                                    [in_sync, latch](bool ok, std::string answer) {
                    util::ByteReader in(answer);
                    if (!ok || answer.size() != 4 || in.u32("partitions behind") != 0) in_sync->store(false);
                    latch->arrive();
                });
            }
            latch->arrive();
        });
    }
    latch->arrive();
}

std::map<std::string, std::vector<PartitionVersion>> PartitionService::owned_versions_by_backup(ThreadContext& context) const {
    std::map<std::string, std::vector<PartitionVersion>> by_member;
    for (auto& store : context.partitions()) {
        const int p = store->partition_id();
        const ReplicaState& state = context.replica(p);
        if (!state.serving()) continue;
        for (const auto& backup : state.backups) by_member[backup].push_back({p, state.version});
    }
    return by_member;
}

void PartitionService::drop(ThreadContext& context, int p) {
    ReplicaState& state = context.replica(p);
    context.store(p).drop_all();
    journal_drop(context, p);
    state.version = 0;
    mark_out_of_sync(state, false);
    if (state.retained) {
        state.retained = false;
        retained_.fetch_sub(1, std::memory_order_relaxed);
    }
}

void PartitionService::retain_recovered() {
    for (int t = 0; t < threads_.thread_count(); ++t) {
        threads_.submit_to_thread(t, [this](ThreadContext& c) {
            for (auto& store : c.partitions()) {
                ReplicaState& state = c.replica(store->partition_id());
                if (store->empty() || state.retained) continue;
                state.retained = true;
                retained_.fetch_add(1, std::memory_order_relaxed);
            }
        });
    }
}

void PartitionService::release_retained() {
    if (retained_.load(std::memory_order_relaxed) == 0) return;
    // A cluster restoring its persisted table runs without one for a while: nothing is known
    // to be stale until a table covers every partition.
    const TablePtr current = table();
    if (!current || current->partition_count() < partition_count()) return;
    for (int t = 0; t < threads_.thread_count(); ++t) {
        threads_.submit_to_thread(t, [this](ThreadContext& c) {
            int dropped = 0;
            for (auto& store : c.partitions()) {
                const int p = store->partition_id();
                ReplicaState& state = c.replica(p);
                if (!state.retained || state.receiving || state.incoming || state.awaiting_refill) continue;
                drop(c, p);  // a replica would have had its flag cleared by the table
                ++dropped;
            }
            if (dropped > 0) {
                logger.info("dropped the data of " + std::to_string(dropped) + " partition(s) recovered from disk that did not come back to this member");
            }
        });
    }
}

void PartitionService::release_for_merge(std::function<void(std::vector<EntryChange>)> done) {
    {
        std::lock_guard lock(table_mutex_);
        table_.reset();  // the merged-into cluster's table, whatever its version, is adopted next
        master_.clear();
    }
    struct Gathered {
        std::mutex mutex;
        std::vector<EntryChange> entries;
        int threads_left;
        std::function<void(std::vector<EntryChange>)> done;
    };
    auto gathered = std::make_shared<Gathered>();
    gathered->threads_left = threads_.thread_count();
    gathered->done = std::move(done);
    for (int t = 0; t < threads_.thread_count(); ++t) {
        threads_.submit_to_thread(t, [this, gathered](ThreadContext& c) {
            const std::int64_t now = util::now_millis();
            std::vector<EntryChange> mine;
            for (auto& store : c.partitions()) {
                const int p = store->partition_id();
                ReplicaState& state = c.replica(p);
                if (state.serving()) {
                    // Stores keep a key's identity without the client's partition hash; a header
                    // hash that maps to this partition routes the re-inserted key back to the
                    // same partition (same count in both clusters), partition-aware keys too.
                    std::string header;
                    map::append_int32_be(header, p > 0 ? p : partition_count());
                    store->for_each_map([&](std::string_view map_name, map::RecordStore& records) {
                        records.for_each_image([&](std::string_view key, std::string_view value, const map::Record::Times& times) {
                            mine.push_back({EntryChange::Kind::kUpsert, std::string(map_name), header + std::string(key),
                                            std::string(value), times});
                        }, now);
                    });
                }
                drop(c, p);
                state = ReplicaState{};
            }
            std::lock_guard lock(gathered->mutex);
            std::move(mine.begin(), mine.end(), std::back_inserter(gathered->entries));
            if (--gathered->threads_left == 0) gathered->done(std::move(gathered->entries));
        });
    }
}

void PartitionService::mark_out_of_sync(ReplicaState& state, bool value) {
    if (state.out_of_sync == value) return;
    state.out_of_sync = value;
    out_of_sync_.fetch_add(value ? 1 : -1, std::memory_order_relaxed);
}

// ---- snapshots and migration --------------------------------------------------------------

void PartitionService::send_snapshot(ThreadContext& context, int p, const std::string& destination,
                                     std::function<void(bool)> done) {
    std::uint64_t entries = 0;
    context.store(p).for_each_map([&](std::string_view, map::RecordStore& records) { entries += records.stats().entries; });
    const std::string request = encoded(DigestRequest{p, digest_bucket_count(entries)});
    transport_->request(destination, ReplicaMessageType::kDigestRequest, request,
                        [this, p, destination, done = std::move(done)](bool ok, std::string answer) mutable {
        if (!ok) {
            done(false);
            return;
        }
        threads_.submit(p, [this, p, destination, answer = std::move(answer), done = std::move(done)](ThreadContext& c) mutable {
            // Ownership moved on while the digest travelled: the new owner refills the replica
            // (it stays at version 0, so the next version check asks for that).
            if (c.replica(p).index != 0) {
                done(false);
                return;
            }
            std::optional<PartitionDigest> theirs;
            try {
                util::ByteReader in(answer);
                theirs = decode_digest(in);
                in.expect_done("partition digest");
            } catch (const util::DecodeError& e) {
                logger.warn("partition " + std::to_string(p) + ": unreadable digest from " + destination + " (" + e.what() +
                            "): sending the whole partition");
            }
            send_chunks(c, p, destination, theirs, std::move(done));
        });
    });
}

std::string PartitionService::digest_for_refill(ThreadContext& context, const DigestRequest& request) {
    ReplicaState& state = context.replica(request.partition);
    state.version = 0;
    state.awaiting_refill = true;
    state.incoming = state.incoming || state.index < 0;
    journal_complete(context, request.partition, 0);  // on disk too: incomplete from here on
    return encoded(digest_partition(context.store(request.partition), request.bucket_count, util::now_millis()));
}

// The first chunk of a differential snapshot: the entries of the buckets that differ go, the
// owner's entries of those buckets follow.
void PartitionService::empty_buckets(ThreadContext& context, int p, std::uint32_t bucket_count,
                                     const std::vector<std::uint32_t>& buckets) {
    std::vector<bool> replaced(bucket_count, false);
    for (const std::uint32_t b : buckets) replaced[b] = true;
    std::vector<EntryChange> removals;
    const std::int64_t now = util::now_millis();
    map::PartitionStore& store = context.store(p);
    store.for_each_map([&](std::string_view map_name, map::RecordStore& records) {
        records.for_each_image([&](std::string_view key, std::string_view, const map::Record::Times&) {
            if (replaced[digest_bucket_of(map_name, key, bucket_count)]) {
                removals.push_back({EntryChange::Kind::kRemove, std::string(map_name), std::string(key), {}, {}});
            }
        }, now);
    });
    for (const auto& removal : removals) apply_change(store, removal);
    journal_changes(context, p, 0, removals);
}

void PartitionService::send_chunks(ThreadContext& context, int p, const std::string& destination,
                                   const std::optional<PartitionDigest>& theirs, std::function<void(bool)> done) {
    const std::int64_t now = util::now_millis();
    const std::uint64_t transfer = next_transfer_.fetch_add(1);
    std::vector<ChunkMessage> chunks(1);
    // Differential when the destination holds something: only the buckets that differ travel.
    const bool differential = theirs && theirs->entries > 0;
    std::vector<bool> wanted;
    if (differential) {
        const PartitionDigest mine = digest_partition(context.store(p), theirs->bucket_count, now);
        chunks.front().digest_buckets = theirs->bucket_count;
        chunks.front().replaced_buckets = differing_buckets(mine, *theirs);
        wanted.assign(theirs->bucket_count, false);
        for (const std::uint32_t b : chunks.front().replaced_buckets) wanted[b] = true;
    }
    std::size_t bytes = 0;
    std::uint64_t sent = 0;
    std::uint64_t skipped = 0;
    context.store(p).for_each_map([&](std::string_view map_name, map::RecordStore& records) {
        records.for_each_image([&](std::string_view key, std::string_view value, const map::Record::Times& times) {
            if (differential && !wanted[digest_bucket_of(map_name, key, theirs->bucket_count)]) {
                ++skipped;
                return;
            }
            ++sent;
            EntryChange entry{EntryChange::Kind::kUpsert, std::string(map_name), std::string(key), std::string(value), times};
            bytes += encoded_size(entry);
            chunks.back().entries.push_back(std::move(entry));
            if (bytes >= kChunkBytes) {
                chunks.emplace_back();
                bytes = 0;
            }
        }, now);
    });
    if (differential) {
        differential_snapshots_.fetch_add(1, std::memory_order_relaxed);
        differential_entries_sent_.fetch_add(sent, std::memory_order_relaxed);
        differential_entries_skipped_.fetch_add(skipped, std::memory_order_relaxed);
    } else {
        whole_snapshots_.fetch_add(1, std::memory_order_relaxed);
        whole_entries_.fetch_add(sent, std::memory_order_relaxed);
    }
    // The partition's locks travel with it, all of them also in a differential copy (the
    // receiver drops its own first); none for maps nobody locked: no cost.
    for (const auto& lock : context.store(p).locks().states(now)) chunks.back().entries.push_back(EntryChange::of_lock(lock));
    auto failed = std::make_shared<std::atomic<bool>>(false);
    auto latch = std::make_shared<Latch>([failed, done = std::move(done)] { done(!failed->load()); });
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        ChunkMessage& chunk = chunks[i];
        chunk.partition = p;
        chunk.transfer = transfer;
        chunk.first = i == 0;
        chunk.last = i + 1 == chunks.size();
        chunk.version = context.replica(p).version;
        latch->add();
        std::string body = encoded(chunk);
        snapshot_bytes_sent_.fetch_add(body.size(), std::memory_order_relaxed);
        transport_->send(destination, ReplicaMessageType::kChunk, std::move(body), [latch, failed](bool ok) {
            if (!ok) failed->store(true);
            latch->arrive();
        });
    }
    latch->arrive();
}

void PartitionService::start_transfer(int p, std::vector<std::string> destinations,
                                      std::function<void(bool)> done) {
    threads_.submit(p, [this, p, destinations = std::move(destinations), done = std::move(done)](ThreadContext& c) mutable {
        ReplicaState& state = c.replica(p);
        if (!state.serving() || transport_ == nullptr) {
            done(false);
            return;
        }
        auto failed = std::make_shared<std::atomic<bool>>(false);
        auto latch = std::make_shared<Latch>([failed, done = std::move(done)] { done(!failed->load()); });
        for (const auto& destination : destinations) {
            if (std::find(state.destinations.begin(), state.destinations.end(), destination) == state.destinations.end()) {
                state.destinations.push_back(destination);
            }
            latch->add();
            send_snapshot(c, p, destination, [latch, failed](bool ok) {
                if (!ok) failed->store(true);
                latch->arrive();
            });
        }
        latch->arrive();
    });
}

void PartitionService::hand_off(int p, std::function<void(bool)> done) {
    threads_.submit(p, [this, p, done = std::move(done)](ThreadContext& c) mutable {
        ReplicaState& state = c.replica(p);
        if (state.index != 0 || transport_ == nullptr) {
            done(false);
            return;
        }
        state.handed_off = true;
        auto failed = std::make_shared<std::atomic<bool>>(false);
        auto latch = std::make_shared<Latch>([failed, done = std::move(done)] { done(!failed->load()); });
        util::ByteWriter out;
        out.i32(p);
        const std::string body = out.take();
        for (const auto& destination : state.destinations) {
            latch->add();
            transport_->send(destination, ReplicaMessageType::kBarrier, body, [latch, failed](bool ok) {
                if (!ok) failed->store(true);
                latch->arrive();
            });
        }
        latch->arrive();
    });
}

void PartitionService::finish_transfer(int p, bool committed) {
    threads_.submit(p, [this, p, committed](ThreadContext& c) {
        ReplicaState& state = c.replica(p);
        state.destinations.clear();
        if (!committed) state.handed_off = false;
        // An aborted destination: the copy will not become a replica.
        if (!committed && state.index < 0 && state.incoming) {
            state.incoming = false;
            drop(c, p);
        }
    });
}

PartitionService::SnapshotCounts PartitionService::snapshot_counts() const {
    const auto load = [](const std::atomic<std::uint64_t>& counter) { return counter.load(std::memory_order_relaxed); };
    return {load(whole_snapshots_), load(differential_snapshots_), load(whole_entries_), load(differential_entries_sent_),
            load(differential_entries_skipped_)};
}

void PartitionService::sync_tick() {
    if (transport_ == nullptr) return;
    for (int t = 0; t < threads_.thread_count(); ++t) {
        threads_.submit_to_thread(t, [this](ThreadContext& c) {
            for (const auto& [member, versions] : owned_versions_by_backup(c)) {
                transport_->post(member, ReplicaMessageType::kSyncCheck, encoded(versions));
            }
        });
    }
}

}  // namespace shoal::partition
