#include "partition/map_operations.h"

#include <algorithm>
#include <map>
#include <memory>

#include "map/data.h"
#include "util/clock.h"

namespace shoal::partition {
namespace {

// Gathers one result per thread; the last thread to finish merges and answers.
template <typename T>
struct Gather {
    Gather(std::size_t n, Callback<T> cb, std::function<T(std::vector<T>&)> m)
        : parts(n), remaining(n), done(std::move(cb)), merge(std::move(m)) {}
    // Each thread writes only its own slot. Slots are optionals, not T, so that T = bool does
    // not become the bit-packed vector<bool>, where neighbouring slots share a word.
    std::vector<std::optional<T>> parts;
    std::atomic<std::size_t> remaining;
    Callback<T> done;
    std::function<T(std::vector<T>&)> merge;

    void finish(std::size_t slot, T value) {
        parts[slot] = std::move(value);
        if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            std::vector<T> all;
            all.reserve(parts.size());
            for (auto& part : parts) all.push_back(std::move(*part));
            done(OpResult<T>{OpStatus::kOk, merge(all)});
        }
    }
};

// Between two routing attempts while partitions move: short, as a migration commit takes
// milliseconds.
constexpr std::chrono::milliseconds kRetryDelay{20};

std::optional<std::string> pick_value(KeyOutcome& outcome) { return std::move(outcome.value); }
bool pick_flag(KeyOutcome& outcome) { return outcome.flag; }

std::vector<int> every_partition(int count) {
    std::vector<int> all(static_cast<std::size_t>(count));
    for (int p = 0; p < count; ++p) all[static_cast<std::size_t>(p)] = p;
    return all;
}

}  // namespace

int MapOperations::partition_of(const std::string& key) const {
    return map::partition_id(key, threads_.partition_count());
}

// ---- routing ------------------------------------------------------------------------------

void MapOperations::execute(KeyOperation op, std::function<void(OpStatus, KeyOutcome)> done) {
    if (!map::is_valid_data(op.key)) {
        done(OpStatus::kInvalidArgument, {});
        return;
    }
    if (op.is_write() && read_only()) {
        done(OpStatus::kReadOnly, {});
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    const Deadline deadline = now + deadline_;
    const Deadline lock_deadline = op.lock_wait_ms < 0 ? deadline : now + std::chrono::milliseconds(op.lock_wait_ms);
    attempt(std::make_shared<KeyOperation>(std::move(op)), deadline, lock_deadline, std::move(done));
}

void MapOperations::attempt(std::shared_ptr<KeyOperation> op, Deadline deadline, Deadline lock_deadline,
                            std::function<void(OpStatus, KeyOutcome)> done) {
    auto again = [this, op, deadline, lock_deadline, done](OpStatus status, KeyOutcome outcome) {
        if (status == OpStatus::kLocked) {
            // Another owner holds the key's lock: ask again until it is released or we stop waiting.
            retry_or_fail(lock_deadline, [this, op, deadline, lock_deadline, done] { attempt(op, deadline, lock_deadline, done); },
                          [done] { done(OpStatus::kLocked, {}); });
            return;
        }
        if (status != OpStatus::kNotOwner && status != OpStatus::kUnavailable) {
            done(status, std::move(outcome));
            return;
        }
        retry_or_fail(deadline, [this, op, deadline, lock_deadline, done] { attempt(op, deadline, lock_deadline, done); },
                      [done] { done(OpStatus::kUnavailable, {}); });
    };
    const TablePtr table = service_.table();
    const std::string owner = table ? table->owner(partition_of(op->key)) : std::string();
    if (owner.empty() || (owner != service_.local_member() && remote_ == nullptr)) {
        again(OpStatus::kUnavailable, {});
    } else if (owner == service_.local_member()) {
        service_.execute(*op, std::move(again));
    } else {
        remote_->execute(owner, *op, std::move(again));
    }
}

bool MapOperations::later(std::chrono::milliseconds delay, std::function<void()> task) {
    if (remote_ == nullptr) return false;
    remote_->later(delay, std::move(task));
    return true;
}

void MapOperations::retry_or_fail(Deadline deadline, std::function<void()> retry, std::function<void()> fail) {
    if (remote_ == nullptr || std::chrono::steady_clock::now() >= deadline) {
        fail();
        return;
    }
    remote_->later(kRetryDelay, std::move(retry));
}

struct MapOperations::QueryRun {
    PartitionQuery query;  // partitions filled per round
    Deadline deadline;
    std::function<void(OpStatus, QueryResult)> done;
    std::mutex mutex;
    QueryResult result;
    std::vector<int> retry;
    int pending = 0;
};

void MapOperations::query(PartitionQuery query, std::function<void(OpStatus, QueryResult)> done) {
    if (query.kind == QueryKind::kClear && read_only()) {
        done(OpStatus::kReadOnly, {});
        return;
    }
    auto run = std::make_shared<QueryRun>();
    std::vector<int> partitions = query.partitions.empty() ? every_partition(partition_count()) : query.partitions;
    run->query = std::move(query);
    run->deadline = std::chrono::steady_clock::now() + deadline_;
    run->done = std::move(done);
    query_round(run, std::move(partitions));
}

// Asks each owner for its partitions; partitions nobody answered for go into the next round.
void MapOperations::query_round(std::shared_ptr<QueryRun> run, std::vector<int> partitions) {
    const TablePtr table = service_.table();
    std::map<std::string, std::vector<int>> by_owner;
    std::vector<int> unowned;
    for (int p : partitions) {
        const std::string owner = table ? table->owner(p) : std::string();
        const bool reachable = !owner.empty() && (owner == service_.local_member() || remote_ != nullptr);
        (reachable ? by_owner[owner] : unowned).push_back(p);
    }
    auto finish_part = [this, run](QueryResult part) {
        std::unique_lock lock(run->mutex);
        std::move(part.not_owned.begin(), part.not_owned.end(), std::back_inserter(run->retry));
        part.not_owned.clear();
        run->result.merge(std::move(part));
        if (--run->pending > 0) return;
        std::vector<int> retry = std::move(run->retry);
        run->retry.clear();
        lock.unlock();
        if (retry.empty()) {
            run->done(OpStatus::kOk, std::move(run->result));
            return;
        }
        retry_or_fail(run->deadline, [this, run, retry] { query_round(run, retry); },
                      [run] { run->done(OpStatus::kUnavailable, {}); });
    };
    {
        std::lock_guard lock(run->mutex);
        run->pending = static_cast<int>(by_owner.size()) + 1;
    }
    for (auto& [owner, partitions] : by_owner) {
        const std::vector<int> mine = partitions;  // a plain variable: clang 14 cannot capture bindings
        PartitionQuery q{run->query.kind, run->query.map, run->query.value, mine};
        if (owner == service_.local_member()) {
            service_.query(std::move(q), finish_part);
        } else {
            remote_->query(owner, q, [finish_part, mine](bool ok, QueryResult part) {
                if (!ok) {
                    part = QueryResult{};
                    part.not_owned = mine;
                }
                finish_part(std::move(part));
            });
        }
    }
    QueryResult nobody;
    nobody.not_owned = std::move(unowned);
    finish_part(std::move(nobody));
}

template <typename T>
void MapOperations::on_key(KeyOperation op, Callback<T> done, T (*pick)(KeyOutcome&)) {
    execute(std::move(op), [done = std::move(done), pick](OpStatus status, KeyOutcome outcome) {
        done(OpResult<T>{status, status == OpStatus::kOk ? pick(outcome) : T{}});
    });
}

template <typename T>
void MapOperations::on_all_partitions(QueryKind kind, bool is_write, std::string map, std::string value,
                                      Callback<T> done, std::function<T(QueryResult&)> pick) {
    if (is_write && read_only()) {
        done(OpResult<T>{OpStatus::kReadOnly, T{}});
        return;
    }
    query(PartitionQuery{kind, std::move(map), std::move(value), {}},
          [done = std::move(done), pick = std::move(pick)](OpStatus status, QueryResult result) {
              done(OpResult<T>{status, status == OpStatus::kOk ? pick(result) : T{}});
          });
}

template <typename T, typename PerThread>
void MapOperations::on_every_thread(OpType type, bool is_write, Callback<T> done,
                                    PerThread per_thread, std::function<T(std::vector<T>&)> merge) {
    if (is_write && read_only()) {
        done(OpResult<T>{OpStatus::kReadOnly, T{}});
        return;
    }
    const auto n = static_cast<std::size_t>(threads_.thread_count());
    auto gather = std::make_shared<Gather<T>>(n, std::move(done), std::move(merge));
    const std::int64_t submitted = util::monotonic_nanos();
    for (std::size_t i = 0; i < n; ++i) {
        threads_.submit_to_thread(static_cast<int>(i), [gather, i, type, submitted,
                                                        per_thread](ThreadContext& context) {
            T part = per_thread(context, util::now_millis());
            // kCount marks internal fan-outs (stats) that are not map operations.
            if (type != OpType::kCount) context.stats().record(type, util::monotonic_nanos() - submitted);
            gather->finish(i, std::move(part));
        });
    }
}

// ---- one key ------------------------------------------------------------------------------

void MapOperations::get(std::string map, std::string key, Callback<Value> done) {
    on_key<Value>(KeyOperation::of(KeyOpType::kGet, std::move(map), std::move(key)), std::move(done), pick_value);
}

void MapOperations::contains_key(std::string map, std::string key, Callback<bool> done) {
    on_key<bool>(KeyOperation::of(KeyOpType::kContainsKey, std::move(map), std::move(key)), std::move(done), pick_flag);
}

void MapOperations::put(std::string map, std::string key, std::string value, map::EntryLimits limits,
                        Callback<Value> done) {
    on_key<Value>(KeyOperation::of(KeyOpType::kPut, std::move(map), std::move(key), std::move(value), {}, limits),
                  std::move(done), pick_value);
}

void MapOperations::set(std::string map, std::string key, std::string value, map::EntryLimits limits,
                        Callback<bool> done) {
    on_key<bool>(KeyOperation::of(KeyOpType::kSet, std::move(map), std::move(key), std::move(value), {}, limits),
                 std::move(done), pick_flag);
}

void MapOperations::put_if_absent(std::string map, std::string key, std::string value,
                                  map::EntryLimits limits, Callback<Value> done) {
    on_key<Value>(KeyOperation::of(KeyOpType::kPutIfAbsent, std::move(map), std::move(key), std::move(value), {}, limits),
                  std::move(done), pick_value);
}

void MapOperations::replace(std::string map, std::string key, std::string value, Callback<Value> done) {
    on_key<Value>(KeyOperation::of(KeyOpType::kReplace, std::move(map), std::move(key), std::move(value)),
                  std::move(done), pick_value);
}

void MapOperations::replace_if_same(std::string map, std::string key, std::string expected,
                                    std::string value, Callback<bool> done) {
    on_key<bool>(KeyOperation::of(KeyOpType::kReplaceIfSame, std::move(map), std::move(key), std::move(value),
                              std::move(expected)),
                 std::move(done), pick_flag);
}

void MapOperations::remove(std::string map, std::string key, Callback<Value> done) {
    on_key<Value>(KeyOperation::of(KeyOpType::kRemove, std::move(map), std::move(key)), std::move(done), pick_value);
}

void MapOperations::remove_if_same(std::string map, std::string key, std::string expected,
                                   Callback<bool> done) {
    on_key<bool>(KeyOperation::of(KeyOpType::kRemoveIfSame, std::move(map), std::move(key), {}, std::move(expected)),
                 std::move(done), pick_flag);
}

void MapOperations::erase(std::string map, std::string key, Callback<bool> done) {
    on_key<bool>(KeyOperation::of(KeyOpType::kDelete, std::move(map), std::move(key)), std::move(done), pick_flag);
}

void MapOperations::set_ttl(std::string map, std::string key, std::int64_t ttl_ms, Callback<bool> done) {
    KeyOperation op = KeyOperation::of(KeyOpType::kSetTtl, std::move(map), std::move(key));
    op.ttl_ms = ttl_ms;
    op.lock_aware = false;  // Map.setTtl names no thread: it cannot tell the lock's owner
    on_key<bool>(std::move(op), std::move(done), pick_flag);
}

void MapOperations::release_locks(std::string owner_prefix, Callback<std::size_t> done) {
    on_all_partitions<std::size_t>(QueryKind::kReleaseLocks, false, {}, std::move(owner_prefix), std::move(done),
                                   [](QueryResult& r) { return static_cast<std::size_t>(r.count); });
}

// ---- whole map ----------------------------------------------------------------------------

void MapOperations::size(std::string map, Callback<std::size_t> done) {
    on_all_partitions<std::size_t>(QueryKind::kSize, false, std::move(map), {}, std::move(done),
                                   [](QueryResult& r) { return static_cast<std::size_t>(r.count); });
}

void MapOperations::contains_value(std::string map, std::string value, Callback<bool> done) {
    on_all_partitions<bool>(QueryKind::kContainsValue, false, std::move(map), std::move(value), std::move(done),
                            [](QueryResult& r) { return r.found; });
}

void MapOperations::clear(std::string map, Callback<bool> done) {
    on_all_partitions<bool>(QueryKind::kClear, true, std::move(map), {}, std::move(done),
                            [](QueryResult&) { return true; });
}

void MapOperations::clear_and_count(std::string map, Callback<std::size_t> done) {
    on_all_partitions<std::size_t>(QueryKind::kClear, true, std::move(map), {}, std::move(done),
                                   [](QueryResult& r) { return static_cast<std::size_t>(r.count); });
}

void MapOperations::key_set(std::string map, Callback<std::vector<std::string>> done) {
    on_all_partitions<std::vector<std::string>>(QueryKind::kKeys, false, std::move(map), {}, std::move(done),
                                                [](QueryResult& r) {
                                                    std::vector<std::string> keys;
                                                    for (auto& [p, part] : r.keys) {
                                                        std::move(part.begin(), part.end(), std::back_inserter(keys));
                                                    }
                                                    return keys;
                                                });
}

void MapOperations::values(std::string map, Callback<std::vector<std::string>> done) {
    on_all_partitions<std::vector<std::string>>(QueryKind::kValues, false, std::move(map), {}, std::move(done),
                                                [](QueryResult& r) { return std::move(r.values); });
}

void MapOperations::entry_set(std::string map, Callback<std::vector<Entry>> done) {
    on_all_partitions<std::vector<Entry>>(QueryKind::kEntries, false, std::move(map), {}, std::move(done),
                                          [](QueryResult& r) { return std::move(r.entries); });
}

// getAll and putAll run as one key operation per key, in parallel: each key goes to its owner.
void MapOperations::each_key(std::vector<KeyOperation> ops,
                             std::function<void(OpStatus, std::vector<KeyOutcome>)> done) {
    struct State {
        std::vector<KeyOutcome> outcomes;
        std::atomic<std::size_t> remaining;
        std::atomic<int> status{static_cast<int>(OpStatus::kOk)};
        std::function<void(OpStatus, std::vector<KeyOutcome>)> done;
    };
    if (ops.empty()) {
        done(OpStatus::kOk, {});
        return;
    }
    auto state = std::make_shared<State>();
    state->outcomes.resize(ops.size());
    state->remaining = ops.size();
    state->done = std::move(done);
    for (std::size_t i = 0; i < ops.size(); ++i) {
        execute(std::move(ops[i]), [state, i](OpStatus status, KeyOutcome outcome) {
            if (status != OpStatus::kOk) state->status.store(static_cast<int>(status));
            state->outcomes[i] = std::move(outcome);  // each callback writes only its own slot
            if (state->remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) {
                state->done(static_cast<OpStatus>(state->status.load()), std::move(state->outcomes));
            }
        });
    }
}

void MapOperations::get_all(std::string map, std::vector<std::string> keys, Callback<std::vector<Entry>> done) {
    for (const auto& key : keys) {
        if (!map::is_valid_data(key)) {
            done(OpResult<std::vector<Entry>>{OpStatus::kInvalidArgument, {}});
            return;
        }
    }
    std::vector<KeyOperation> ops;
    ops.reserve(keys.size());
    for (const auto& key : keys) ops.push_back(KeyOperation::of(KeyOpType::kGet, map, key));
    each_key(std::move(ops), [keys = std::move(keys), done = std::move(done)](OpStatus status,
                                                                             std::vector<KeyOutcome> outcomes) {
        std::vector<Entry> found;
        for (std::size_t i = 0; i < outcomes.size(); ++i) {
            if (outcomes[i].value) found.emplace_back(keys[i], std::move(*outcomes[i].value));
        }
        done(OpResult<std::vector<Entry>>{status, status == OpStatus::kOk ? std::move(found) : std::vector<Entry>{}});
    });
}

void MapOperations::put_all(std::string map, std::vector<Entry> entries, Callback<bool> done) {
    for (const auto& entry : entries) {
        if (!map::is_valid_data(entry.first)) {
            done(OpResult<bool>{OpStatus::kInvalidArgument, false});
            return;
        }
    }
    if (read_only()) {
        done(OpResult<bool>{OpStatus::kReadOnly, false});
        return;
    }
    std::vector<KeyOperation> ops;
    ops.reserve(entries.size());
    for (auto& [key, value] : entries) {
        ops.push_back(KeyOperation::of(KeyOpType::kSet, map, std::move(key), std::move(value)));
        ops.back().lock_aware = false;  // as Hazelcast's putAll
    }
    each_key(std::move(ops), [done = std::move(done)](OpStatus status, std::vector<KeyOutcome>) {
        done(OpResult<bool>{status, status == OpStatus::kOk});
    });
}

void MapOperations::key_page(std::string map, int first_partition, std::size_t limit, Callback<KeyPage> done) {
    std::vector<int> partitions;
    for (int p = std::max(0, first_partition); p < partition_count(); ++p) partitions.push_back(p);
    if (partitions.empty()) {
        done(OpResult<KeyPage>{OpStatus::kOk, {}});
        return;
    }
    query(PartitionQuery{QueryKind::kKeys, std::move(map), {}, std::move(partitions)},
          [done = std::move(done), limit](OpStatus status, QueryResult result) {
              KeyPage page;
              std::sort(result.keys.begin(), result.keys.end(),
                        [](const auto& a, const auto& b) { return a.first < b.first; });
              for (auto& [partition, keys] : result.keys) {
                  if (limit > 0 && page.keys.size() >= limit) {
                      page.next_partition = partition;
                      break;
                  }
                  std::move(keys.begin(), keys.end(), std::back_inserter(page.keys));
              }
              done(OpResult<KeyPage>{status, std::move(page)});
          });
}

// ---- the member ---------------------------------------------------------------------------

void MapOperations::stats(Callback<MemberStats> done) {
    on_every_thread<MemberStats>(
        OpType::kCount, false, std::move(done),
        [](ThreadContext& context, std::int64_t) {
            std::map<std::string, MapStats> by_name;
            for (auto& partition : context.partitions()) {
                partition->for_each_map([&](std::string_view name, map::RecordStore& store) {
                    MapStats& s = by_name[std::string(name)];
                    s.name = name;
                    const map::StoreStats st = store.stats();
                    s.entries += st.entries;
                    s.bytes += st.bytes;
                });
            }
            MemberStats mine;
            for (auto& [name, s] : by_name) mine.maps.push_back(std::move(s));
            mine.operations = context.stats();
            return mine;
        },
        [](std::vector<MemberStats>& parts) {
            std::map<std::string, MapStats> by_name;
            MemberStats all;
            for (auto& part : parts) {
                for (auto& s : part.maps) {
                    MapStats& total = by_name[s.name];
                    total.name = s.name;
                    total.entries += s.entries;
                    total.bytes += s.bytes;
                }
                all.operations.merge(part.operations);
            }
            for (auto& [name, s] : by_name) all.maps.push_back(std::move(s));
            return all;
        });
}

void MapOperations::cluster_map_names(Callback<std::vector<std::string>> done) {
    on_all_partitions<std::vector<std::string>>(QueryKind::kMapNames, false, {}, {}, std::move(done), [](QueryResult& r) {
        std::sort(r.values.begin(), r.values.end());
        r.values.erase(std::unique(r.values.begin(), r.values.end()), r.values.end());
        return std::move(r.values);
    });
}

void MapOperations::map_names(Callback<std::vector<std::string>> done) {
    stats([done = std::move(done)](OpResult<MemberStats> result) {
        std::vector<std::string> names;
        for (auto& s : result.value.maps) names.push_back(s.name);
        done(OpResult<std::vector<std::string>>{OpStatus::kOk, std::move(names)});
    });
}

}  // namespace shoal::partition
