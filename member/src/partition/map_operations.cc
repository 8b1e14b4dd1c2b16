#include "partition/map_operations.h"

#include <algorithm>
#include <map>
#include <memory>

#include "map/data.h"
#include "util/clock.h"

namespace shoal::partition {
namespace {

// Keys come in as Data; the store keys entries by identity (Data without its partition hash).
std::string_view identity(const std::string& key) { return map::key_identity(key); }

// Key Data as clients expect it back: a zero partition hash before the identity.
std::string key_data(std::string_view identity_bytes) {
    std::string data(4, '\0');
    data.append(identity_bytes);
    return data;
}

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

template <typename T>
std::vector<T> concatenate(std::vector<std::vector<T>>& parts) {
    std::vector<T> all;
    std::size_t total = 0;
    for (auto& part : parts) total += part.size();
    all.reserve(total);
    for (auto& part : parts) std::move(part.begin(), part.end(), std::back_inserter(all));
    return all;
}

}  // namespace

int MapOperations::partition_of(const std::string& key) const {
    return map::partition_id(key, threads_.partition_count());
}

template <typename T, typename Body>
void MapOperations::on_key(OpType type, bool is_write, const std::string& key, Callback<T> done,
                           Body body) {
    if (!map::is_valid_data(key)) {
        done(OpResult<T>{OpStatus::kInvalidArgument, T{}});
        return;
    }
    if (is_write && read_only()) {
        done(OpResult<T>{OpStatus::kReadOnly, T{}});
        return;
    }
    const int partition = partition_of(key);
    const std::int64_t submitted = util::monotonic_nanos();
    threads_.submit(partition, [partition, type, submitted, done = std::move(done),
                                body = std::move(body)](ThreadContext& context) mutable {
        T value = body(context.store(partition), util::now_millis());
        context.stats().record(type, util::monotonic_nanos() - submitted);
        done(OpResult<T>{OpStatus::kOk, std::move(value)});
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
    on_key<Value>(OpType::kGet, false, key, std::move(done),
                  [map = std::move(map), key](map::PartitionStore& p, std::int64_t now) -> Value {
                      map::RecordStore* store = p.find(map);
                      return store ? store->get(identity(key), now) : std::nullopt;
                  });
}

void MapOperations::contains_key(std::string map, std::string key, Callback<bool> done) {
    on_key<bool>(OpType::kContainsKey, false, key, std::move(done),
                 [map = std::move(map), key](map::PartitionStore& p, std::int64_t now) {
                     map::RecordStore* store = p.find(map);
                     return store != nullptr && store->contains_key(identity(key), now);
                 });
}

void MapOperations::put(std::string map, std::string key, std::string value,
                        map::EntryLimits limits, Callback<Value> done) {
    on_key<Value>(OpType::kPut, true, key, std::move(done),
                  [map = std::move(map), key, value = std::move(value), limits](
                      map::PartitionStore& p, std::int64_t now) {
                      return p.get_or_create(map).put(identity(key), value, limits, now);
                  });
}

void MapOperations::set(std::string map, std::string key, std::string value,
                        map::EntryLimits limits, Callback<bool> done) {
    on_key<bool>(OpType::kSet, true, key, std::move(done),
                 [map = std::move(map), key, value = std::move(value), limits](
                     map::PartitionStore& p, std::int64_t now) {
                     p.get_or_create(map).set(identity(key), value, limits, now);
                     return true;
                 });
}

void MapOperations::put_if_absent(std::string map, std::string key, std::string value,
                                  map::EntryLimits limits, Callback<Value> done) {
    on_key<Value>(OpType::kPutIfAbsent, true, key, std::move(done),
                  [map = std::move(map), key, value = std::move(value), limits](
                      map::PartitionStore& p, std::int64_t now) {
                      return p.get_or_create(map).put_if_absent(identity(key), value, limits, now);
                  });
}

void MapOperations::replace(std::string map, std::string key, std::string value,
                            Callback<Value> done) {
    on_key<Value>(OpType::kReplace, true, key, std::move(done),
                  [map = std::move(map), key, value = std::move(value)](
                      map::PartitionStore& p, std::int64_t now) -> Value {
                      map::RecordStore* store = p.find(map);
                      return store ? store->replace(identity(key), value, now) : std::nullopt;
                  });
}

void MapOperations::replace_if_same(std::string map, std::string key, std::string expected,
                                    std::string value, Callback<bool> done) {
    on_key<bool>(OpType::kReplaceIfSame, true, key, std::move(done),
                 [map = std::move(map), key, expected = std::move(expected),
                  value = std::move(value)](map::PartitionStore& p, std::int64_t now) {
                     map::RecordStore* store = p.find(map);
                     return store != nullptr && store->replace_if_same(identity(key), expected, value, now);
                 });
}

void MapOperations::remove(std::string map, std::string key, Callback<Value> done) {
    on_key<Value>(OpType::kRemove, true, key, std::move(done),
                  [map = std::move(map), key](map::PartitionStore& p, std::int64_t now) -> Value {
                      map::RecordStore* store = p.find(map);
                      return store ? store->remove(identity(key), now) : std::nullopt;
                  });
}

void MapOperations::remove_if_same(std::string map, std::string key, std::string expected,
                                   Callback<bool> done) {
    on_key<bool>(OpType::kRemoveIfSame, true, key, std::move(done),
                 [map = std::move(map), key, expected = std::move(expected)](
                     map::PartitionStore& p, std::int64_t now) {
                     map::RecordStore* store = p.find(map);
                     return store != nullptr && store->remove_if_same(identity(key), expected, now);
                 });
}

void MapOperations::erase(std::string map, std::string key, Callback<bool> done) {
    on_key<bool>(OpType::kDelete, true, key, std::move(done),
                 [map = std::move(map), key](map::PartitionStore& p, std::int64_t now) {
                     map::RecordStore* store = p.find(map);
                     return store != nullptr && store->erase(identity(key), now);
                 });
}

void MapOperations::set_ttl(std::string map, std::string key, std::int64_t ttl_ms,
                            Callback<bool> done) {
    on_key<bool>(OpType::kSetTtl, true, key, std::move(done),
                 [map = std::move(map), key, ttl_ms](map::PartitionStore& p, std::int64_t now) {
                     map::RecordStore* store = p.find(map);
                     return store != nullptr && store->set_ttl(identity(key), ttl_ms, now);
                 });
}

// ---- whole map ----------------------------------------------------------------------------

void MapOperations::size(std::string map, Callback<std::size_t> done) {
    on_every_thread<std::size_t>(
        OpType::kSize, false, std::move(done),
        [map = std::move(map)](ThreadContext& context, std::int64_t now) {
            std::size_t total = 0;
            for (auto& partition : context.partitions()) {
                if (map::RecordStore* store = partition->find(map)) total += store->size(now);
            }
            return total;
        },
        [](std::vector<std::size_t>& parts) {
            std::size_t total = 0;
            for (std::size_t part : parts) total += part;
            return total;
        });
}

void MapOperations::contains_value(std::string map, std::string value, Callback<bool> done) {
    on_every_thread<bool>(
        OpType::kContainsValue, false, std::move(done),
        [map = std::move(map), value = std::move(value)](ThreadContext& context, std::int64_t now) {
            for (auto& partition : context.partitions()) {
                map::RecordStore* store = partition->find(map);
                if (store != nullptr && store->contains_value(value, now)) return true;
            }
            return false;
        },
        [](std::vector<bool>& parts) { return std::find(parts.begin(), parts.end(), true) != parts.end(); });
}

void MapOperations::clear(std::string map, Callback<bool> done) {
    on_every_thread<bool>(
        OpType::kClear, true, std::move(done),
        [map = std::move(map)](ThreadContext& context, std::int64_t) {
            for (auto& partition : context.partitions()) partition->drop(map);
            return true;
        },
        [](std::vector<bool>&) { return true; });
}

void MapOperations::key_set(std::string map, Callback<std::vector<std::string>> done) {
    on_every_thread<std::vector<std::string>>(
        OpType::kKeySet, false, std::move(done),
        [map = std::move(map)](ThreadContext& context, std::int64_t now) {
            std::vector<std::string> keys;
            for (auto& partition : context.partitions()) {
                if (map::RecordStore* store = partition->find(map)) {
                    store->for_each([&](std::string_view k, std::string_view) { keys.push_back(key_data(k)); }, now);
                }
            }
            return keys;
        },
        concatenate<std::string>);
}

void MapOperations::values(std::string map, Callback<std::vector<std::string>> done) {
    on_every_thread<std::vector<std::string>>(
        OpType::kValues, false, std::move(done),
        [map = std::move(map)](ThreadContext& context, std::int64_t now) {
            std::vector<std::string> values;
            for (auto& partition : context.partitions()) {
                if (map::RecordStore* store = partition->find(map)) {
                    store->for_each([&](std::string_view, std::string_view v) { values.emplace_back(v); }, now);
                }
            }
            return values;
        },
        concatenate<std::string>);
}

void MapOperations::entry_set(std::string map, Callback<std::vector<Entry>> done) {
    on_every_thread<std::vector<Entry>>(
        OpType::kEntrySet, false, std::move(done),
        [map = std::move(map)](ThreadContext& context, std::int64_t now) {
            std::vector<Entry> entries;
            for (auto& partition : context.partitions()) {
                if (map::RecordStore* store = partition->find(map)) {
                    store->for_each([&](std::string_view k, std::string_view v) {
                        entries.emplace_back(key_data(k), std::string(v));
                    }, now);
                }
            }
            return entries;
        },
        concatenate<Entry>);
}

void MapOperations::get_all(std::string map, std::vector<std::string> keys,
                            Callback<std::vector<Entry>> done) {
    for (const auto& key : keys) {
        if (!map::is_valid_data(key)) {
            done(OpResult<std::vector<Entry>>{OpStatus::kInvalidArgument, {}});
            return;
        }
    }
    // Every thread gets the whole key list and answers for the keys it owns: simple, and the
    // IO thread does not have to split the list.
    auto shared_keys = std::make_shared<const std::vector<std::string>>(std::move(keys));
    const int partitions = threads_.partition_count();
    on_every_thread<std::vector<Entry>>(
        OpType::kGetAll, false, std::move(done),
        [map = std::move(map), shared_keys, partitions](ThreadContext& context, std::int64_t now) {
            std::vector<Entry> found;
            for (const auto& key : *shared_keys) {
                const int partition = map::partition_id(key, partitions);
                if (!context.owns(partition)) continue;
                map::RecordStore* store = context.store(partition).find(map);
                if (store == nullptr) continue;
                if (auto value = store->get(identity(key), now)) found.emplace_back(key, std::move(*value));
            }
            return found;
        },
        concatenate<Entry>);
}

void MapOperations::put_all(std::string map, std::vector<Entry> entries, Callback<bool> done) {
    for (const auto& entry : entries) {
        if (!map::is_valid_data(entry.first)) {
            done(OpResult<bool>{OpStatus::kInvalidArgument, false});
            return;
        }
    }
    auto shared_entries = std::make_shared<const std::vector<Entry>>(std::move(entries));
    const int partitions = threads_.partition_count();
    on_every_thread<bool>(
        OpType::kPutAll, true, std::move(done),
        [map = std::move(map), shared_entries, partitions](ThreadContext& context, std::int64_t now) {
            for (const auto& [key, value] : *shared_entries) {
                const int partition = map::partition_id(key, partitions);
                if (!context.owns(partition)) continue;
                context.store(partition).get_or_create(map).set(identity(key), value, {}, now);
            }
            return true;
        },
        [](std::vector<bool>&) { return true; });
}

void MapOperations::key_page(std::string map, int first_partition, std::size_t limit,
                             Callback<KeyPage> done) {
    // Each thread lists its partitions from first_partition on, as (partition, keys) pairs;
    // the merge walks them in partition order and stops once `limit` keys are gathered.
    using PerPartition = std::vector<std::pair<int, std::vector<std::string>>>;
    auto gather = std::make_shared<Gather<PerPartition>>(
        static_cast<std::size_t>(threads_.thread_count()),
        [done = std::move(done), limit](OpResult<PerPartition> result) {
            std::map<int, std::vector<std::string>> ordered;
            for (auto& [partition, keys] : result.value) ordered[partition] = std::move(keys);
            KeyPage page;
            for (auto& [partition, keys] : ordered) {
                if (page.keys.size() >= limit && limit > 0) {
                    page.next_partition = partition;
                    break;
                }
                std::move(keys.begin(), keys.end(), std::back_inserter(page.keys));
            }
            done(OpResult<KeyPage>{OpStatus::kOk, std::move(page)});
        },
        concatenate<std::pair<int, std::vector<std::string>>>);
    const std::int64_t submitted = util::monotonic_nanos();
    for (int i = 0; i < threads_.thread_count(); ++i) {
        threads_.submit_to_thread(i, [gather, i, map, first_partition, submitted](ThreadContext& context) {
            PerPartition mine;
            const std::int64_t now = util::now_millis();
            for (auto& partition : context.partitions()) {
                if (partition->partition_id() < first_partition) continue;
                map::RecordStore* store = partition->find(map);
                if (store == nullptr || store->size(now) == 0) continue;
                std::vector<std::string> keys;
                store->for_each([&](std::string_view k, std::string_view) { keys.push_back(key_data(k)); }, now);
                mine.emplace_back(partition->partition_id(), std::move(keys));
            }
            context.stats().record(OpType::kKeySet, util::monotonic_nanos() - submitted);
            gather->finish(static_cast<std::size_t>(i), std::move(mine));
        });
    }
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

void MapOperations::map_names(Callback<std::vector<std::string>> done) {
    stats([done = std::move(done)](OpResult<MemberStats> result) {
        std::vector<std::string> names;
        for (auto& s : result.value.maps) names.push_back(s.name);
        done(OpResult<std::vector<std::string>>{OpStatus::kOk, std::move(names)});
    });
}

}  // namespace shoal::partition
