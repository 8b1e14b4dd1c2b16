// MapOperations over real partition threads: routing by partition, fan-out aggregation,
// read-only mode, and concurrent callers.
#include "partition/map_operations.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "map/data.h"
#include "test_support.h"

namespace shoal::partition {
namespace {

using Value = std::optional<std::string>;
using test::await;

class MapOperationsTest : public ::testing::Test {
protected:
    PartitionThreads threads{271, 3, [](std::string_view name) {
                                 return name == "ttl-map" ? map::MapLimits{200, 0} : map::MapLimits{};
                             }};
    PartitionService service{threads, [](std::string_view) { return 0; }};
    MapOperations maps{threads, service};

    void SetUp() override {
        service.run_standalone();
        threads.start();
    }
    void TearDown() override { threads.stop(); }

    static std::string k(int i) { return map::string_data("key-" + std::to_string(i)); }
    static std::string v(int i) { return map::string_data("value-" + std::to_string(i)); }

    void put(const std::string& m, const std::string& key, const std::string& value) {
        ASSERT_TRUE(await<Value>([&](auto done) { maps.put(m, key, value, {}, done); }).ok());
    }
    Value get(const std::string& m, const std::string& key) {
        return await<Value>([&](auto done) { maps.get(m, key, done); }).value;
    }
    std::size_t size(const std::string& m) {
        return await<std::size_t>([&](auto done) { maps.size(m, done); }).value;
    }
};

TEST_F(MapOperationsTest, PutThenGetAcrossManyPartitions) {
    for (int i = 0; i < 2000; ++i) put("m", k(i), v(i));
    for (int i = 0; i < 2000; ++i) ASSERT_EQ(get("m", k(i)), v(i));
    EXPECT_EQ(size("m"), 2000u);
    EXPECT_EQ(size("other"), 0u);
}

TEST_F(MapOperationsTest, MapsAreIndependent) {
    put("a", k(1), v(1));
    EXPECT_EQ(get("b", k(1)), std::nullopt);
    EXPECT_EQ(size("b"), 0u);
}

TEST_F(MapOperationsTest, KeyIdentityIgnoresPartitionHashHeader) {
    put("m", k(1), v(1));
    std::string same_key_other_header = k(1);
    same_key_other_header[3] = 0;  // still zero: same bytes
    EXPECT_EQ(get("m", same_key_other_header), v(1));
}

TEST_F(MapOperationsTest, ConditionalOperations) {
    EXPECT_EQ(await<Value>([&](auto d) { maps.put_if_absent("m", k(1), v(1), {}, d); }).value, std::nullopt);
    EXPECT_EQ(await<Value>([&](auto d) { maps.put_if_absent("m", k(1), v(2), {}, d); }).value, v(1));
    EXPECT_EQ(await<Value>([&](auto d) { maps.replace("m", k(1), v(3), d); }).value, v(1));
    EXPECT_FALSE(await<bool>([&](auto d) { maps.replace_if_same("m", k(1), v(1), v(4), d); }).value);
    EXPECT_TRUE(await<bool>([&](auto d) { maps.replace_if_same("m", k(1), v(3), v(4), d); }).value);
    EXPECT_FALSE(await<bool>([&](auto d) { maps.remove_if_same("m", k(1), v(3), d); }).value);
    EXPECT_TRUE(await<bool>([&](auto d) { maps.contains_key("m", k(1), d); }).value);
    EXPECT_TRUE(await<bool>([&](auto d) { maps.contains_value("m", v(4), d); }).value);
    EXPECT_TRUE(await<bool>([&](auto d) { maps.remove_if_same("m", k(1), v(4), d); }).value);
    EXPECT_FALSE(await<bool>([&](auto d) { maps.contains_key("m", k(1), d); }).value);
    EXPECT_FALSE(await<bool>([&](auto d) { maps.contains_value("m", v(4), d); }).value);
}

TEST_F(MapOperationsTest, RemoveDeleteAndClear) {
    for (int i = 0; i < 100; ++i) put("m", k(i), v(i));
    EXPECT_EQ(await<Value>([&](auto d) { maps.remove("m", k(0), d); }).value, v(0));
    EXPECT_TRUE(await<bool>([&](auto d) { maps.erase("m", k(1), d); }).value);
    EXPECT_FALSE(await<bool>([&](auto d) { maps.erase("m", k(1), d); }).value);
    EXPECT_EQ(size("m"), 98u);
    EXPECT_TRUE(await<bool>([&](auto d) { maps.clear("m", d); }).ok());
    EXPECT_EQ(size("m"), 0u);
    EXPECT_EQ(get("m", k(5)), std::nullopt);
}

TEST_F(MapOperationsTest, KeySetValuesEntrySetReturnEverything) {
    for (int i = 0; i < 500; ++i) put("m", k(i), v(i));
    auto keys = await<std::vector<std::string>>([&](auto d) { maps.key_set("m", d); }).value;
    auto values = await<std::vector<std::string>>([&](auto d) { maps.values("m", d); }).value;
    auto entries = await<std::vector<Entry>>([&](auto d) { maps.entry_set("m", d); }).value;
    ASSERT_EQ(keys.size(), 500u);
    ASSERT_EQ(values.size(), 500u);
    ASSERT_EQ(entries.size(), 500u);
    std::set<std::string> key_set(keys.begin(), keys.end());
    for (int i = 0; i < 500; ++i) EXPECT_TRUE(key_set.count(k(i))) << i;
    for (const auto& [key, value] : entries) {
        const auto name = map::read_string_payload(key).value();
        EXPECT_EQ(value, map::string_data("value-" + name.substr(4)));
    }
}

TEST_F(MapOperationsTest, GetAllAndPutAll) {
    std::vector<Entry> batch;
    for (int i = 0; i < 300; ++i) batch.emplace_back(k(i), v(i));
    ASSERT_TRUE(await<bool>([&](auto d) { maps.put_all("m", batch, d); }).ok());
    EXPECT_EQ(size("m"), 300u);
    std::vector<std::string> wanted = {k(3), k(200), k(999)};
    auto found = await<std::vector<Entry>>([&](auto d) { maps.get_all("m", wanted, d); }).value;
    std::sort(found.begin(), found.end());
    ASSERT_EQ(found.size(), 2u);
    std::vector<Entry> expected = {{k(200), v(200)}, {k(3), v(3)}};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(found, expected);
}

TEST_F(MapOperationsTest, KeyPagesCoverEveryKeyOnce) {
    for (int i = 0; i < 1000; ++i) put("m", k(i), v(i));
    std::multiset<std::string> seen;
    int cursor = 0;
    int pages = 0;
    while (cursor >= 0) {
        auto page = await<KeyPage>([&](auto d) { maps.key_page("m", cursor, 100, d); }).value;
        ASSERT_TRUE(page.next_partition == -1 || page.next_partition > cursor);
        seen.insert(page.keys.begin(), page.keys.end());
        cursor = page.next_partition;
        ASSERT_LT(++pages, 300);
    }
    EXPECT_GT(pages, 5);
    EXPECT_EQ(seen.size(), 1000u);
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(seen.count(k(i)), 1u);
}

TEST_F(MapOperationsTest, MapConfigTtlExpiresEntriesInBackground) {
    put("ttl-map", k(1), v(1));
    EXPECT_EQ(get("ttl-map", k(1)), v(1));
    // The sweeper (not a read) must remove it: watch the stats, which do not touch entries.
    EXPECT_TRUE(test::eventually([&] {
        auto stats = await<MemberStats>([&](auto d) { maps.stats(d); }).value;
        for (const auto& m : stats.maps) {
            if (m.name == "ttl-map") return m.entries == 0;
        }
        return true;
    }));
    EXPECT_EQ(get("ttl-map", k(1)), std::nullopt);
}

TEST_F(MapOperationsTest, ReadOnlyRejectsWritesButServesReads) {
    put("m", k(1), v(1));
    maps.set_read_only(true);
    EXPECT_EQ(await<Value>([&](auto d) { maps.put("m", k(2), v(2), {}, d); }).status, OpStatus::kReadOnly);
    EXPECT_EQ(await<bool>([&](auto d) { maps.clear("m", d); }).status, OpStatus::kReadOnly);
    EXPECT_EQ(await<bool>([&](auto d) { maps.erase("m", k(1), d); }).status, OpStatus::kReadOnly);
    EXPECT_EQ(get("m", k(1)), v(1));
    maps.set_read_only(false);
    put("m", k(2), v(2));
    EXPECT_EQ(size("m"), 2u);
}

TEST_F(MapOperationsTest, InvalidKeyIsRejected) {
    EXPECT_EQ(await<Value>([&](auto d) { maps.get("m", "abc", d); }).status, OpStatus::kInvalidArgument);
}

TEST_F(MapOperationsTest, StatsCountEntriesBytesAndOperations) {
    for (int i = 0; i < 50; ++i) put("m", k(i), v(i));
    get("m", k(1));
    auto stats = await<MemberStats>([&](auto d) { maps.stats(d); }).value;
    ASSERT_EQ(stats.maps.size(), 1u);
    EXPECT_EQ(stats.maps[0].name, "m");
    EXPECT_EQ(stats.maps[0].entries, 50u);
    EXPECT_GT(stats.maps[0].bytes, 50u * 20);
    EXPECT_EQ(stats.operations.latency[static_cast<std::size_t>(OpType::kPut)].count(), 50u);
    EXPECT_EQ(stats.operations.latency[static_cast<std::size_t>(OpType::kGet)].count(), 1u);
}

// Many IO-like threads at once: every acknowledged write must be readable afterwards.
TEST_F(MapOperationsTest, ConcurrentWritersLoseNothing) {
    constexpr int kWriters = 4;
    constexpr int kPerWriter = 5000;
    std::atomic<int> acknowledged{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers.emplace_back([&, w] {
            for (int i = 0; i < kPerWriter; ++i) {
                const int id = w * kPerWriter + i;
                maps.set("c", k(id), v(id), {}, [&](OpResult<bool> r) {
                    if (r.ok()) acknowledged.fetch_add(1);
                });
            }
        });
    }
    for (auto& t : writers) t.join();
    ASSERT_TRUE(test::eventually([&] { return acknowledged.load() == kWriters * kPerWriter; }));
    EXPECT_EQ(size("c"), static_cast<std::size_t>(kWriters * kPerWriter));
    for (int id = 0; id < kWriters * kPerWriter; id += 97) ASSERT_EQ(get("c", k(id)), v(id));
}

}  // namespace
}  // namespace shoal::partition
