// Recovery of a partition thread (recover_thread): replaying its log rebuilds exactly the stores
// and replica versions the journaled changes produced, also when clears, drops and puts to the
// same map follow one another inside one replay batch, and records of partitions the thread
// does not hold (another layout, or a partition id out of range) are skipped.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <random>
#include <string>

#include "partition/partition_journal.h"
#include "persistence/data_log.h"

namespace shoal::partition {
namespace {

namespace fs = std::filesystem;
using persistence::LogRecord;
using persistence::RecordType;

constexpr int kPartitions = 271;
constexpr int kThreads = 2;
constexpr std::int64_t kNow = 1'700'000'000'000;

class TempDir {
public:
    TempDir() : path_(fs::temp_directory_path() / ("shoal-journal-" + std::to_string(::getpid()))) { fs::remove_all(path_); }
    ~TempDir() { fs::remove_all(path_); }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// Thread 0 of kThreads holds the even partitions.
void hold_partitions(ThreadContext& context) {
    for (int p = context.index(); p < kPartitions; p += kThreads) context.add_partition(std::make_unique<map::PartitionStore>(p, nullptr));
}

// What the stores should hold: (partition, map) -> key -> value, and each partition's version.
struct Model {
    std::map<std::pair<int, std::string>, std::map<std::string, std::string>> maps;
    std::map<int, std::uint64_t> versions;

    void apply(const LogRecord& r) {
        auto& version = versions[r.partition];
        switch (r.type) {
            case RecordType::kPut: maps[{r.partition, r.map}][r.key] = r.value; break;
            case RecordType::kRemove: maps[{r.partition, r.map}].erase(r.key); break;
            case RecordType::kClearMap: maps.erase({r.partition, r.map}); break;
            case RecordType::kDropPartition:
                std::erase_if(maps, [&](const auto& m) { return m.first.first == r.partition; });
                version = 0;
                return;
            case RecordType::kPartitionComplete: version = r.version; return;
        }
        version = std::max(version, r.version);
    }
};

LogRecord record(RecordType type, int partition, std::uint64_t version, std::string map, std::string key = {},
                 std::string value = {}) {
    LogRecord r;
    r.type = type;
    r.partition = partition;
    r.version = version;
    r.map = std::move(map);
    r.key = std::move(key);
    r.value = std::move(value);
    return r;
}

std::map<std::string, std::string> contents(map::RecordStore& store) {
    std::map<std::string, std::string> out;
    store.for_each([&](std::string_view k, std::string_view v) { out.emplace(k, v); }, kNow);
    return out;
}

TEST(PartitionJournalRecovery, ReplayRebuildsTheStoresAndVersionsTheRecordsDescribe) {
    TempDir dir;
    Model model;
    std::uint64_t written_entries = 0;
    {
        persistence::ReplayReport report;
        auto log = persistence::DataLog::open({.dir = dir.path()}, [](const persistence::LogRecordView&) {}, report);
        std::mt19937 random(7);
        std::uint64_t version = 0;
        // Few partitions and maps, so clears and drops often fall between puts to the same
        // store within one replay batch.
        const int partitions[] = {0, 2, 4, 270};
        for (int i = 0; i < 3000; ++i) {
            const int p = partitions[random() % 4];
            const std::string map = "m" + std::to_string(random() % 2);
            const std::string key = "k" + std::to_string(random() % 40);
            const unsigned dice = random() % 100;
            LogRecord r = dice < 75   ? record(RecordType::kPut, p, ++version, map, key, "v" + std::to_string(i))
                          : dice < 90 ? record(RecordType::kRemove, p, ++version, map, key)
                          : dice < 96 ? record(RecordType::kClearMap, p, ++version, map)
                          : dice < 98 ? record(RecordType::kDropPartition, p, 0, {})
                                      : record(RecordType::kPartitionComplete, p, ++version, {});
            log->append(r);
            model.apply(r);
            if (i % 7 == 0) log->commit();
        }
        log->commit();
        for (const auto& [id, entries] : model.maps) written_entries += entries.size();
    }
    ThreadContext context(0, kThreads);
    hold_partitions(context);
    const ThreadRecovery recovery = recover_thread(context, {.dir = dir.path()});
    EXPECT_EQ(recovery.report.records, 3000u);
    EXPECT_EQ(recovery.entries, written_entries);
    for (const auto& [id, entries] : model.maps) {
        map::RecordStore* store = context.store(id.first).find(id.second);
        if (entries.empty()) {
            if (store != nullptr) {
                EXPECT_EQ(store->size(kNow), 0u) << id.first << "/" << id.second;
            }
            continue;
        }
        ASSERT_NE(store, nullptr) << id.first << "/" << id.second;
        EXPECT_EQ(contents(*store), entries) << id.first << "/" << id.second;
    }
    for (const auto& [p, version] : model.versions) EXPECT_EQ(context.replica(p).version, version) << "partition " << p;
}

TEST(PartitionJournalRecovery, RecordsOfPartitionsTheThreadDoesNotHoldAreSkipped) {
    TempDir dir;
    {
        persistence::ReplayReport report;
        auto log = persistence::DataLog::open({.dir = dir.path()}, [](const persistence::LogRecordView&) {}, report);
        log->append(record(RecordType::kPut, 4, 1, "m", "held", "v"));
        log->append(record(RecordType::kPut, 3, 1, "m", "other thread's", "v"));
        log->append(record(RecordType::kPut, 272, 1, "m", "past the partition count", "v"));
        log->append(record(RecordType::kPut, -2, 1, "m", "negative", "v"));
        log->commit();
    }
    ThreadContext context(0, kThreads);
    hold_partitions(context);
    const ThreadRecovery recovery = recover_thread(context, {.dir = dir.path()});
    EXPECT_EQ(recovery.report.records, 4u);
    EXPECT_EQ(recovery.entries, 1u);
    ASSERT_NE(context.store(4).find("m"), nullptr);
    EXPECT_EQ(contents(*context.store(4).find("m")), (std::map<std::string, std::string>{{"held", "v"}}));
}

}  // namespace
}  // namespace shoal::partition
