// Differential refills between PartitionServices in one process: a replica that already holds
// most of a partition (a backup that missed some writes, data recovered from disk by a member
// back from a restart) receives only the digest buckets that differ, and ends up holding
// exactly what its owner holds: updated, added and removed entries included.
#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "map/data.h"
#include "partition/map_operations.h"
#include "partition/partition_digest.h"
#include "partition/partition_service.h"
#include "replica_loopback.h"
#include "test_support.h"

namespace shoal::partition {
namespace {

using Value = std::optional<std::string>;
constexpr int kPartitions = 16;
constexpr int kEntries = 8'000;  // 500 per partition: 128 digest buckets each

using test_members::TestMember;

class PartitionRefill : public ::testing::Test {
protected:
    void table(const std::vector<std::string>& replicas) {
        auto t = std::make_shared<PartitionTable>();
        t->version = ++table_version_;
        t->replicas.assign(kPartitions, replicas);
        for (auto& [id, service] : members) service->apply_table(t, "A");
    }
    static std::string k(int i) { return map::string_data("key-" + std::to_string(i)); }
    static std::string v(int i, int round = 0) { return map::string_data("value-" + std::to_string(i) + "-" + std::to_string(round)); }
    void put(TestMember& m, int i, int round = 0) {
        ASSERT_TRUE(test::await<Value>([&](auto done) { m.maps.put("m", k(i), v(i, round), {}, done); }).ok()) << "key " << i;
    }
    void remove(TestMember& m, int i) {
        ASSERT_TRUE(test::await<Value>([&](auto done) { m.maps.remove("m", k(i), done); }).ok()) << "key " << i;
    }
    // Every key's value as `m` serves it (it must own every partition).
    std::map<int, Value> contents(TestMember& m, int keys) {
        std::map<int, Value> found;
        for (int i = 0; i < keys; ++i) found[i] = test::await<Value>([&](auto done) { m.maps.get("m", k(i), done); }).value;
        return found;
    }
    std::size_t size_on(TestMember& m) {
        return test::await<std::size_t>([&](auto done) { m.maps.size("m", done); }).value;
    }
    static bool eventually(const std::function<bool()>& condition) { return test::eventually(condition, std::chrono::seconds(30)); }

    std::int64_t table_version_ = 0;
    std::map<std::string, PartitionService*> members;
};

TEST_F(PartitionRefill, ABackupThatMissedWritesGetsOnlyTheBucketsThatDiffer) {
    TestMember a{"A", members, kPartitions};
    TestMember b{"B", members, kPartitions};
    table({"A", "B"});
    for (int i = 0; i < kEntries; ++i) put(a, i);
    a.transport.lose_backups = true;
    for (int i = 0; i < 40; ++i) put(a, i * 7, 1);                 // updated
    for (int i = 0; i < 20; ++i) remove(a, 1000 + i * 13);          // removed
    for (int i = kEntries; i < kEntries + 20; ++i) put(a, i);       // added
    a.transport.lose_backups = false;
    a.service.sync_tick();  // the version check finds every partition that missed writes
    ASSERT_TRUE(eventually([&] {
        const int requests = b.transport.delivered(ReplicaMessageType::kSyncRequest);
        return requests > 0 && a.transport.delivered(ReplicaMessageType::kChunk) >= requests && b.service.out_of_sync() == 0;
    }));
    EXPECT_EQ(b.transport.delivered(ReplicaMessageType::kSyncRequest), kPartitions) << "every partition missed writes";
    const auto counts = a.service.snapshot_counts();
    EXPECT_EQ(counts.whole, 0u) << "B held the partitions: nothing should travel whole";
    EXPECT_GT(counts.differential_entries_skipped, 10 * counts.differential_entries_sent)
        << "sent " << counts.differential_entries_sent << ", skipped " << counts.differential_entries_skipped;

    const auto on_a = contents(a, kEntries + 20);
    table({"B"});  // A is gone: B's copies are promoted and serve what they hold
    const auto on_b = contents(b, kEntries + 20);
    EXPECT_EQ(on_a, on_b);
    EXPECT_EQ(on_b.at(7), v(7, 1));
    EXPECT_EQ(on_b.at(1013), std::nullopt);
    EXPECT_EQ(on_b.at(kEntries + 5), v(kEntries + 5));
    EXPECT_EQ(size_on(b), static_cast<std::size_t>(kEntries));  // 8000 - 20 removed + 20 added
}

TEST_F(PartitionRefill, AMemberHoldingNothingIsSentWholePartitions) {
    TestMember a{"A", members, kPartitions};
    table({"A"});
    for (int i = 0; i < 2000; ++i) put(a, i);
    TestMember c{"C", members, kPartitions};
    std::atomic<int> done{0};
    for (int p = 0; p < kPartitions; ++p) a.service.start_transfer(p, {"C"}, [&](bool ok) { done += ok ? 1 : 100; });
    ASSERT_TRUE(eventually([&] { return done.load() >= kPartitions; }));
    EXPECT_EQ(done.load(), kPartitions) << "a transfer failed";
    for (int p = 0; p < kPartitions; ++p) a.service.finish_transfer(p, true);
    const auto counts = a.service.snapshot_counts();
    EXPECT_EQ(counts.whole, static_cast<std::uint64_t>(kPartitions));
    EXPECT_EQ(counts.differential, 0u);
    EXPECT_EQ(counts.whole_entries, 2000u);
    table({"C"});
    EXPECT_EQ(size_on(c), 2000u);
}

// A member back from a restart finds its replicas promoted elsewhere. What it recovered is
// kept while no table names it (retain_recovered), so the migration that brings a partition
// back sends only what changed meanwhile; what never comes back goes once the cluster settles.
TEST_F(PartitionRefill, RecoveredDataIsKeptUntilReleasedAndMakesTheReturnMigrationDifferential) {
    TestMember a{"A", members, kPartitions};
    TestMember b{"B", members, kPartitions};
    table({"A", "B"});
    for (int i = 0; i < kEntries; ++i) put(a, i);
    b.service.retain_recovered();  // as a member does after loading its log
    table({"A"});                  // B "left": its replicas are promoted away
    for (int i = 0; i < 50; ++i) put(a, i * 11, 2);
    table({"A"});                  // and B is back, named by no partition yet
    // Half the partitions move back to B, by migration.
    std::atomic<int> done{0};
    for (int p = 0; p < kPartitions / 2; ++p) a.service.start_transfer(p, {"B"}, [&](bool ok) { done += ok ? 1 : 100; });
    ASSERT_TRUE(eventually([&] { return done.load() >= kPartitions / 2; }));
    EXPECT_EQ(done.load(), kPartitions / 2) << "a transfer failed";
    const auto counts = a.service.snapshot_counts();
    EXPECT_EQ(counts.differential, static_cast<std::uint64_t>(kPartitions / 2));
    EXPECT_EQ(counts.whole, 0u);
    EXPECT_GT(counts.differential_entries_skipped, 10 * counts.differential_entries_sent)
        << "sent " << counts.differential_entries_sent << ", skipped " << counts.differential_entries_skipped;
    {
        auto t = std::make_shared<PartitionTable>();
        t->version = ++table_version_;
        t->replicas.assign(kPartitions, {"A"});
        for (int p = 0; p < kPartitions / 2; ++p) t->replicas[static_cast<std::size_t>(p)] = {"A", "B"};
        for (auto& [id, service] : members) service->apply_table(t, "A");
    }
    for (int p = 0; p < kPartitions / 2; ++p) a.service.finish_transfer(p, true);
    b.service.release_retained();  // the cluster settled: the other half is dropped
    table({"B"});
    const auto on_b = contents(b, kEntries);
    int present = 0;
    for (const auto& [i, value] : on_b) {
        const int p = map::partition_id(k(i), kPartitions);
        if (p < kPartitions / 2) {
            EXPECT_EQ(value, v(i, i % 11 == 0 && i / 11 < 50 ? 2 : 0)) << "key " << i;
            ++present;
        } else {
            EXPECT_EQ(value, std::nullopt) << "key " << i << " of a partition that did not come back";
        }
    }
    EXPECT_GT(present, kEntries / 4);
}

// What a member of a stopping StatefulSet waits for before it exits (cluster shutdown): every
// backup of its partitions at its version. A backup that missed writes answers "behind" and is
// refilled meanwhile; a backup that cannot answer counts as not in sync.
TEST_F(PartitionRefill, BackupsInSyncIsFalseWhileABackupIsBehindAndTrueOnceRefilled) {
    TestMember a{"A", members, kPartitions};
    TestMember b{"B", members, kPartitions};
    table({"A", "B"});
    for (int i = 0; i < 500; ++i) put(a, i);
    const auto in_sync = [&] {
        return test::await<bool>([&](auto done) {
            a.service.check_backups_in_sync([done](bool ok) { done(OpResult<bool>{OpStatus::kOk, ok}); });
        }).value;
    };
    EXPECT_TRUE(in_sync());
    a.transport.lose_backups = true;
    for (int i = 0; i < 100; ++i) put(a, i, 1);
    a.transport.lose_backups = false;
    EXPECT_FALSE(in_sync()) << "B missed writes";
    EXPECT_TRUE(eventually(in_sync)) << "the query itself starts the refill";
    table({"B"});
    EXPECT_EQ(test::await<Value>([&](auto done) { b.maps.get("m", k(42), done); }).value, v(42, 1));
}

// A backup that knows it is behind and whose owner dies before refilling it becomes the owner:
// nobody can refill it now, so it must stop counting as out of sync (cluster-safe waits for
// none), and its next writes must not look like duplicates to its own backups.
TEST_F(PartitionRefill, ABackupPromotedWhileBehindIsNoLongerOutOfSync) {
    TestMember a{"A", members, kPartitions};
    TestMember b{"B", members, kPartitions};
    table({"A", "B"});
    for (int i = 0; i < 200; ++i) put(a, i);
    a.transport.lose_backups = true;
    put(a, 0, 1);
    a.transport.lose_backups = false;
    b.transport.lose_sync_requests = true;  // the owner dies before it hears B
    a.service.sync_tick();
    ASSERT_TRUE(eventually([&] { return b.service.out_of_sync() > 0; }));
    table({"B"});
    EXPECT_TRUE(eventually([&] { return b.service.out_of_sync() == 0; })) << "a promoted owner is never behind";
}

TEST(PartitionDigest, EqualContentsGiveEqualDigestsAndOneChangeOneBucket) {
    map::PartitionStore x(0, [](std::string_view) { return map::MapLimits{}; });
    map::PartitionStore y(0, [](std::string_view) { return map::MapLimits{}; });
    for (int i = 0; i < 1000; ++i) x.get_or_create("m").restore("k" + std::to_string(i), "v", {});
    for (int i = 999; i >= 0; --i) y.get_or_create("m").restore("k" + std::to_string(i), "v", {});  // other order
    const std::uint32_t buckets = digest_bucket_count(1000);
    EXPECT_EQ(buckets, 256u);
    EXPECT_TRUE(differing_buckets(digest_partition(x, buckets, 0), digest_partition(y, buckets, 0)).empty());
    y.get_or_create("m").restore("k5", "w", {});
    const auto differ = differing_buckets(digest_partition(x, buckets, 0), digest_partition(y, buckets, 0));
    ASSERT_EQ(differ.size(), 1u);
    EXPECT_EQ(differ[0], digest_bucket_of("m", "k5", buckets));
    // The same key in another map, or another expiry, is another entry.
    y.get_or_create("m").restore("k5", "v", map::Record::Times{123, 0, 0});
    EXPECT_EQ(differing_buckets(digest_partition(x, buckets, 0), digest_partition(y, buckets, 0)).size(), 1u);
}

TEST(PartitionDigest, DecodingRejectsWhatIsNotADigest) {
    PartitionDigest d;
    d.bucket_count = 4;
    d.entries = 9;
    d.sums = {1, 2, 3, 4};
    util::ByteWriter out;
    encode(out, d);
    const std::string bytes = out.take();
    util::ByteReader in(bytes);
    const PartitionDigest back = decode_digest(in);
    EXPECT_EQ(back.sums, d.sums);
    EXPECT_EQ(back.entries, 9u);
    const auto fails = [](std::string bytes, const std::string& expected) {
        util::ByteReader in(bytes);
        try {
            decode_digest(in);
            ADD_FAILURE() << "decoded";
        } catch (const util::DecodeError& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    };
    fails(bytes.substr(0, bytes.size() - 1), "carries");
    std::string three = bytes;
    three[3] = 3;
    fails(three, "not a power of two");
    fails(std::string(4, '\0'), "not a power of two");
}

TEST(PartitionDigest, ADifferentialChunkRoundTripsAndABucketOutOfRangeIsRefused) {
    ChunkMessage m;
    m.partition = 3;
    m.first = true;
    m.last = true;
    m.version = 17;
    m.digest_buckets = 8;
    m.replaced_buckets = {1, 6};
    util::ByteWriter out;
    encode(out, m);
    std::string bytes = out.take();
    util::ByteReader in(bytes);
    const ChunkMessage back = decode_chunk(in);
    EXPECT_EQ(back.digest_buckets, 8u);
    EXPECT_EQ(back.replaced_buckets, m.replaced_buckets);
    bytes[bytes.size() - 1] = 9;  // bucket 9 of 8
    util::ByteReader bad(bytes);
    EXPECT_THROW(decode_chunk(bad), util::DecodeError);
}

}  // namespace
}  // namespace shoal::partition
