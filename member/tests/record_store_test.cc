// RecordStore: IMap semantics of one map in one partition, with TTL and max-idle.
#include "map/record_store.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>

#include "map/data.h"

namespace shoal::map {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;

std::string key(const std::string& s) { return std::string(key_identity(string_data(s))); }
std::string val(const std::string& s) { return string_data(s); }

TEST(RecordStore, PutReturnsPreviousValueAndGetSeesLatest) {
    RecordStore store;
    EXPECT_EQ(store.put(key("a"), val("1"), {}, kNow), std::nullopt);
    EXPECT_EQ(store.put(key("a"), val("2"), {}, kNow), val("1"));
    EXPECT_EQ(store.get(key("a"), kNow), val("2"));
    EXPECT_EQ(store.size(kNow), 1u);
}

TEST(RecordStore, ValueOfDifferentSizeReplacesRecord) {
    RecordStore store;
    store.set(key("a"), val("short"), {}, kNow);
    store.set(key("a"), val(std::string(1000, 'x')), {}, kNow);
    EXPECT_EQ(store.get(key("a"), kNow), val(std::string(1000, 'x')));
    store.set(key("a"), val("s"), {}, kNow);
    EXPECT_EQ(store.get(key("a"), kNow), val("s"));
    EXPECT_EQ(store.size(kNow), 1u);
}

TEST(RecordStore, GetOfMissingKeyIsEmpty) {
    RecordStore store;
    EXPECT_EQ(store.get(key("nope"), kNow), std::nullopt);
    EXPECT_FALSE(store.contains_key(key("nope"), kNow));
}

TEST(RecordStore, PutIfAbsentKeepsExistingValue) {
    RecordStore store;
    EXPECT_EQ(store.put_if_absent(key("a"), val("1"), {}, kNow), std::nullopt);
    EXPECT_EQ(store.put_if_absent(key("a"), val("2"), {}, kNow), val("1"));
    EXPECT_EQ(store.get(key("a"), kNow), val("1"));
}

TEST(RecordStore, ReplaceOnlyWhenPresent) {
    RecordStore store;
    EXPECT_EQ(store.replace(key("a"), val("1"), kNow), std::nullopt);
    EXPECT_FALSE(store.contains_key(key("a"), kNow));
    store.set(key("a"), val("1"), {}, kNow);
    EXPECT_EQ(store.replace(key("a"), val("2"), kNow), val("1"));
    EXPECT_EQ(store.get(key("a"), kNow), val("2"));
}

TEST(RecordStore, ReplaceIfSameComparesValue) {
    RecordStore store;
    store.set(key("a"), val("1"), {}, kNow);
    EXPECT_FALSE(store.replace_if_same(key("a"), val("x"), val("2"), kNow));
    EXPECT_TRUE(store.replace_if_same(key("a"), val("1"), val("2"), kNow));
    EXPECT_EQ(store.get(key("a"), kNow), val("2"));
    EXPECT_FALSE(store.replace_if_same(key("missing"), val("1"), val("2"), kNow));
}

TEST(RecordStore, RemoveAndDelete) {
    RecordStore store;
    store.set(key("a"), val("1"), {}, kNow);
    store.set(key("b"), val("2"), {}, kNow);
    EXPECT_EQ(store.remove(key("a"), kNow), val("1"));
    EXPECT_EQ(store.remove(key("a"), kNow), std::nullopt);
    EXPECT_TRUE(store.erase(key("b"), kNow));
    EXPECT_FALSE(store.erase(key("b"), kNow));
    EXPECT_EQ(store.size(kNow), 0u);
}

TEST(RecordStore, RemoveIfSameComparesValue) {
    RecordStore store;
    store.set(key("a"), val("1"), {}, kNow);
    EXPECT_FALSE(store.remove_if_same(key("a"), val("2"), kNow));
    EXPECT_TRUE(store.remove_if_same(key("a"), val("1"), kNow));
    EXPECT_FALSE(store.contains_key(key("a"), kNow));
}

TEST(RecordStore, ContainsValueAndClear) {
    RecordStore store;
    store.set(key("a"), val("1"), {}, kNow);
    EXPECT_TRUE(store.contains_value(val("1"), kNow));
    EXPECT_FALSE(store.contains_value(val("2"), kNow));
    store.clear();
    EXPECT_EQ(store.size(kNow), 0u);
    EXPECT_FALSE(store.contains_value(val("1"), kNow));
    EXPECT_EQ(store.stats().entries, 0u);
}

TEST(RecordStore, EntryTtlExpiresExactlyAtDeadline) {
    RecordStore store;
    store.set(key("a"), val("1"), {.ttl_ms = 1000}, kNow);
    EXPECT_EQ(store.get(key("a"), kNow + 999), val("1"));
    EXPECT_EQ(store.get(key("a"), kNow + 1000), std::nullopt);
    EXPECT_EQ(store.size(kNow + 1000), 0u);
}

TEST(RecordStore, MapDefaultTtlAppliesWhenEntryGivesMinusOne) {
    RecordStore store(MapLimits{.ttl_ms = 500, .max_idle_ms = 0});
    store.set(key("a"), val("1"), {}, kNow);                // -1: map default
    store.set(key("b"), val("2"), {.ttl_ms = 0}, kNow);     // 0: forever
    store.set(key("c"), val("3"), {.ttl_ms = 2000}, kNow);  // explicit
    EXPECT_EQ(store.size(kNow + 499), 3u);
    EXPECT_EQ(store.size(kNow + 500), 2u);
    EXPECT_TRUE(store.contains_key(key("b"), kNow + 10'000'000));
    EXPECT_FALSE(store.contains_key(key("c"), kNow + 2000));
}

TEST(RecordStore, PutOverExpiredEntryReturnsNoOldValue) {
    RecordStore store;
    store.set(key("a"), val("1"), {.ttl_ms = 10}, kNow);
    EXPECT_EQ(store.put(key("a"), val("2"), {}, kNow + 10), std::nullopt);
    EXPECT_EQ(store.put_if_absent(key("b"), val("x"), {.ttl_ms = 10}, kNow), std::nullopt);
    EXPECT_EQ(store.put_if_absent(key("b"), val("y"), {}, kNow + 10), std::nullopt);
    EXPECT_EQ(store.get(key("b"), kNow + 11), val("y"));
}

// Found by the HTTP fuzzer: a TTL near INT64_MAX must not overflow the deadline.
TEST(RecordStore, HugeTtlMeansNoExpiryNotOverflow) {
    RecordStore store;
    store.set(key("a"), val("1"), {.ttl_ms = INT64_MAX}, kNow);
    EXPECT_TRUE(store.contains_key(key("a"), INT64_MAX - 1));
    EXPECT_TRUE(store.set_ttl(key("a"), INT64_MAX - 5, kNow));
    EXPECT_TRUE(store.contains_key(key("a"), INT64_MAX - 1));
}

TEST(RecordStore, MaxIdleCountsFromLastAccess) {
    RecordStore store;
    store.set(key("a"), val("1"), {.ttl_ms = -1, .max_idle_ms = 100}, kNow);
    EXPECT_EQ(store.get(key("a"), kNow + 90), val("1"));  // access resets the idle clock
    EXPECT_EQ(store.get(key("a"), kNow + 180), val("1"));
    EXPECT_EQ(store.get(key("a"), kNow + 280), std::nullopt);
}

TEST(RecordStore, MapDefaultMaxIdle) {
    RecordStore store(MapLimits{.ttl_ms = 0, .max_idle_ms = 100});
    store.set(key("a"), val("1"), {}, kNow);
    EXPECT_TRUE(store.contains_key(key("a"), kNow + 99));
    EXPECT_FALSE(store.contains_key(key("a"), kNow + 199 + 1));
}

TEST(RecordStore, SetTtlChangesDeadlineOfLiveEntry) {
    RecordStore store;
    store.set(key("a"), val("1"), {}, kNow);
    EXPECT_TRUE(store.set_ttl(key("a"), 100, kNow));
    EXPECT_TRUE(store.contains_key(key("a"), kNow + 99));
    EXPECT_FALSE(store.contains_key(key("a"), kNow + 100));
    EXPECT_FALSE(store.set_ttl(key("missing"), 100, kNow));
    store.set(key("b"), val("2"), {.ttl_ms = 100}, kNow);
    EXPECT_TRUE(store.set_ttl(key("b"), 0, kNow));  // 0: live forever
    EXPECT_TRUE(store.contains_key(key("b"), kNow + 1'000'000));
}

TEST(RecordStore, SweepRemovesExpiredEntriesWithoutAccess) {
    RecordStore store;
    for (int i = 0; i < 1000; ++i) store.set(key("k" + std::to_string(i)), val("v"), {.ttl_ms = i < 500 ? 10 : 0}, kNow);
    std::size_t removed = 0;
    for (int pass = 0; pass < 100 && removed < 500; ++pass) removed += store.sweep_expired(kNow + 10, 64);
    EXPECT_EQ(removed, 500u);
    EXPECT_EQ(store.stats().entries, 500u);
    EXPECT_EQ(store.sweep_expired(kNow + 10, 64), 0u);
}

TEST(RecordStore, ForEachVisitsLiveEntriesOnly) {
    RecordStore store;
    store.set(key("live"), val("1"), {}, kNow);
    store.set(key("dead"), val("2"), {.ttl_ms = 5}, kNow);
    std::vector<std::string> seen;
    store.for_each([&](std::string_view k, std::string_view) { seen.emplace_back(k); }, kNow + 5);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], key("live"));
}

TEST(RecordStore, StatsTrackBytesAndReturnToZero) {
    RecordStore store;
    store.set(key("a"), val(std::string(100, 'x')), {}, kNow);
    const auto after_one = store.stats();
    EXPECT_EQ(after_one.entries, 1u);
    EXPECT_GT(after_one.bytes, 100u);
    store.set(key("a"), val(std::string(500, 'x')), {}, kNow);
    EXPECT_GT(store.stats().bytes, after_one.bytes);
    store.erase(key("a"), kNow);
    EXPECT_EQ(store.stats().entries, 0u);
    // Only the table's slot array remains once the last record is gone.
    EXPECT_LT(store.stats().bytes, after_one.bytes);
    EXPECT_EQ(store.stats().bytes % sizeof(std::uintptr_t), 0u);
}

// The table against a reference model: random inserts, overwrites and removals.
TEST(RecordStore, AgreesWithReferenceModelUnderRandomOperations) {
    RecordStore store;
    std::unordered_map<std::string, std::string> model;
    std::mt19937 rng(12345);
    for (int step = 0; step < 200'000; ++step) {
        const std::string k = key("k" + std::to_string(rng() % 5000));
        const int action = static_cast<int>(rng() % 10);
        if (action < 5) {
            const std::string v = val(std::string(rng() % 40, 'a' + static_cast<char>(rng() % 26)));
            store.set(k, v, {}, kNow);
            model[k] = v;
        } else if (action < 8) {
            const bool had = model.erase(k) > 0;
            ASSERT_EQ(store.erase(k, kNow), had) << "step " << step;
        } else {
            auto it = model.find(k);
            auto got = store.get(k, kNow);
            ASSERT_EQ(got.has_value(), it != model.end()) << "step " << step;
            if (got) {
                ASSERT_EQ(*got, it->second);
            }
        }
    }
    ASSERT_EQ(store.size(kNow), model.size());
    std::size_t visited = 0;
    store.for_each([&](std::string_view k, std::string_view v) {
        ++visited;
        ASSERT_EQ(model.at(std::string(k)), v);
    }, kNow);
    EXPECT_EQ(visited, model.size());
}

// Prefetching is a hint: on an empty table, for absent keys and for present ones it changes
// nothing a reader sees.
TEST(RecordStore, PrefetchesChangeNothing) {
    RecordStore store;
    store.prefetch(key("a"));
    store.prefetch_record(key("a"));  // no slots yet
    store.set(key("a"), val("1"), {}, kNow);
    for (const char* k : {"a", "b"}) {
        store.prefetch(key(k));
        store.prefetch_record(key(k));
    }
    EXPECT_EQ(store.get(key("a"), kNow), val("1"));
    EXPECT_EQ(store.get(key("b"), kNow), std::nullopt);
    EXPECT_EQ(store.size(kNow), 1u);
}

}  // namespace
}  // namespace shoal::map
