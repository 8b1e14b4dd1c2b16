// The persistence log: records round-trip, a crash at any byte of any write loses exactly the
// records not yet whole on disk and nothing before them, corrupt records are cut and never
// replayed, and compaction (also interrupted by a crash) keeps the same state.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>
#include <stdexcept>

#include "persistence/append_file.h"
#include "persistence/data_log.h"
#include "persistence/log_record.h"
#include "util/crc32c.h"

namespace shoal::persistence {
namespace {

namespace fs = std::filesystem;

LogRecord put(int partition, std::uint64_t version, const std::string& key, const std::string& value) {
    LogRecord r;
    r.type = RecordType::kPut;
    r.partition = partition;
    r.version = version;
    r.map = "m";
    r.key = key;
    r.value = value;
    r.times.expire_at_ms = 1'700'000'000'000 + version;
    return r;
}

LogRecord remove(int partition, std::uint64_t version, const std::string& key) {
    LogRecord r = put(partition, version, key, "");
    r.type = RecordType::kRemove;
    r.times = {};
    return r;
}

// A fresh directory per test, removed afterwards.
class TempDir {
public:
    TempDir() : path_(fs::temp_directory_path() / ("shoal-log-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))) {
        fs::remove_all(path_);
    }
    ~TempDir() { fs::remove_all(path_); }
    const fs::path& path() const { return path_; }

private:
    static inline int counter_ = 0;
    fs::path path_;
};

// A file that "crashes" (throws) once `budget` bytes have been written: the bytes before the
// budget reach the real file, as a process killed in the middle of a write leaves them.
class CrashingFile final : public AppendFile {
public:
    CrashingFile(std::unique_ptr<AppendFile> real, std::uint64_t& budget) : real_(std::move(real)), budget_(budget) {}
    void append(std::string_view bytes) override {
        const std::size_t n = std::min<std::uint64_t>(bytes.size(), budget_);
        real_->append(bytes.substr(0, n));
        budget_ -= n;
        if (n < bytes.size()) throw std::runtime_error("crash");
    }
    void sync() override { real_->sync(); }
    std::uint64_t size() const override { return real_->size(); }

private:
    std::unique_ptr<AppendFile> real_;
    std::uint64_t& budget_;
};

// The state a replay builds: key -> value, as the member's stores would.
using State = std::map<std::string, std::string>;

// From a replayed record (a view) or a written one (a LogRecord).
template <typename Record>
void apply_to(State& state, const Record& r) {
    switch (r.type) {
        case RecordType::kPut: state[std::string(r.key)] = std::string(r.value); break;
        case RecordType::kRemove: state.erase(std::string(r.key)); break;
        case RecordType::kClearMap:
        case RecordType::kDropPartition: state.clear(); break;
        case RecordType::kPartitionComplete: break;
    }
}

State replay(const fs::path& dir, ReplayReport& report) {
    State state;
    DataLog::open({.dir = dir}, [&](const LogRecordView& r) { apply_to(state, r); }, report);
    return state;
}

TEST(PersistenceCrc32c, MatchesTheStandardCheckValue) {
    EXPECT_EQ(util::crc32c("123456789"), 0xe3069283u);  // the CRC-32C check value
    EXPECT_EQ(util::crc32c(""), 0u);
    EXPECT_EQ(util::crc32c("6789", util::crc32c("12345")), util::crc32c("123456789")) << "extends";
}

TEST(PersistenceLogRecord, EveryTypeRoundTrips) {
    LogRecord clear;
    clear.type = RecordType::kClearMap;
    clear.partition = 270;
    clear.map = "sessions";
    LogRecord drop;
    drop.type = RecordType::kDropPartition;
    drop.partition = 12;
    drop.version = ~0ull;
    LogRecord idle = put(3, 9, std::string("k\0ey", 4), std::string(70000, 'v'));
    idle.times = {.expire_at_ms = 0, .max_idle_ms = 5000, .now_ms = 1234};
    for (const LogRecord& r : {put(0, 1, "a", "b"), remove(1, 2, "a"), clear, drop, idle}) {
        std::string bytes;
        encode(r, bytes);
        LogRecord back;
        const DecodeResult result = decode(bytes, back);
        ASSERT_EQ(result.status, DecodeStatus::kOk) << result.error;
        EXPECT_EQ(result.consumed, bytes.size());
        EXPECT_EQ(back, r);
    }
}

TEST(PersistenceLogRecord, EveryPrefixIsTruncatedAndEveryFlippedBitIsCaught) {
    std::string bytes;
    encode(put(7, 42, "key", "value"), bytes);
    LogRecord out;
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        EXPECT_EQ(decode(std::string_view(bytes).substr(0, n), out).status, DecodeStatus::kTruncated) << n;
    }
    for (std::size_t bit = 0; bit < bytes.size() * 8; ++bit) {
        std::string damaged = bytes;
        damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
        EXPECT_EQ(decode(damaged, out).status, DecodeStatus::kCorrupt) << "bit " << bit;
    }
}

TEST(PersistenceDataLog, ReplaysWhatWasCommittedAcrossReopens) {
    TempDir dir;
    ReplayReport first;
    {
        auto log = DataLog::open({.dir = dir.path()}, [](const LogRecordView&) { FAIL() << "empty log"; }, first);
        log->append(put(1, 1, "a", "1"));
        log->append(put(2, 1, "b", "2"));
        log->commit();
        log->append(remove(1, 2, "a"));
        log->commit();
    }
    ReplayReport second;
    EXPECT_EQ(replay(dir.path(), second), (State{{"b", "2"}}));
    EXPECT_EQ(second.records, 3u);
    EXPECT_TRUE(second.problems.empty());
}

TEST(PersistenceDataLog, ACrashAtEveryByteKeepsEveryWholeRecordAndCutsTheTornOne) {
    std::vector<LogRecord> records;
    for (int i = 0; i < 6; ++i) records.push_back(put(i, i + 1, "key-" + std::to_string(i), std::string(i * 7, 'x')));
    records.push_back(remove(2, 9, "key-2"));
    std::vector<std::uint64_t> ends;  // the log size after each record
    std::uint64_t total = 0;
    for (const auto& r : records) {
        std::string bytes;
        encode(r, bytes);
        ends.push_back(total += bytes.size());
    }
    for (std::uint64_t crash_at = 0; crash_at <= total; ++crash_at) {
        TempDir dir;
        std::uint64_t budget = crash_at;
        // Syncing is not what is tested here (the bytes a killed process wrote stay in the
        // page cache), and a sync per step would make the test slow.
        DataLogOptions options{.dir = dir.path(), .fsync = FsyncPolicy::kNever};
        options.open_file = [&](const fs::path& p) { return std::make_unique<CrashingFile>(open_append_file(p), budget); };
        ReplayReport ignored;
        std::size_t acknowledged = 0;
        try {
            auto log = DataLog::open(options, [](const LogRecordView&) {}, ignored);
            for (const auto& r : records) {
                log->append(r);
                log->commit();
                ++acknowledged;
            }
        } catch (const std::runtime_error&) {
        }
        ReplayReport report;
        State expected;
        std::size_t whole = 0;
        while (whole < ends.size() && ends[whole] <= crash_at) apply_to(expected, records[whole++]);
        EXPECT_GE(whole, acknowledged) << "an acknowledged record is on disk";
        EXPECT_EQ(replay(dir.path(), report), expected) << "crash at byte " << crash_at;
        EXPECT_EQ(report.records, whole);
        const std::uint64_t good = whole == 0 ? 0 : ends[whole - 1];
        EXPECT_EQ(report.cut_bytes, crash_at - good);
        EXPECT_EQ(report.problems.empty(), crash_at == good) << "a torn tail is reported";
        // After the cut the log goes on: a new record is replayed after the survivors.
        ReplayReport after;
        {
            auto log = DataLog::open({.dir = dir.path(), .fsync = FsyncPolicy::kNever}, [](const LogRecordView&) {}, after);
            log->append(put(0, 100, "later", "v"));
            log->commit();
        }
        expected["later"] = "v";
        ReplayReport final_report;
        EXPECT_EQ(replay(dir.path(), final_report), expected);
        EXPECT_TRUE(final_report.problems.empty());
    }
}

TEST(PersistenceDataLog, ACorruptRecordIsCutWithEverythingAfterItAndNeverReplayed) {
    TempDir dir;
    std::string first;
    encode(put(0, 1, "a", "1"), first);
    {
        ReplayReport r;
        auto log = DataLog::open({.dir = dir.path()}, [](const LogRecordView&) {}, r);
        log->append(put(0, 1, "a", "1"));
        log->append(put(0, 2, "b", "2"));
        log->append(put(0, 3, "c", "3"));
        log->commit();
    }
    const fs::path file = *fs::directory_iterator(dir.path());
    std::string bytes = read_file(file);
    bytes[first.size() + kRecordHeaderBytes + 3] ^= 0x10;  // inside the second record's body
    fs::remove(file);
    open_append_file(file)->append(bytes);
    ReplayReport report;
    EXPECT_EQ(replay(dir.path(), report), (State{{"a", "1"}}));
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_NE(report.problems[0].find("checksum mismatch"), std::string::npos) << report.problems[0];
    EXPECT_EQ(fs::file_size(file), first.size()) << "the corrupt tail is cut from the file";
}

TEST(PersistenceDataLog, CompactionKeepsTheStateAndFreesTheOldGenerations) {
    TempDir dir;
    State live;
    {
        ReplayReport r;
        auto log = DataLog::open({.dir = dir.path()}, [](const LogRecordView&) {}, r);
        for (int round = 0; round < 50; ++round) {
            for (int k = 0; k < 20; ++k) {
                const auto record = put(k % 4, round * 20 + k, "k" + std::to_string(k), "v" + std::to_string(round));
                log->append(record);
                apply_to(live, record);
            }
            log->commit();
        }
        const std::uint64_t before = log->bytes_on_disk();
        log->start_compaction();
        // The caller copies its live entries while new writes go on, in any interleaving.
        int copied = 0;
        for (const auto& [key, value] : live) {
            log->append(put(0, 5000, key, value));
            if (++copied == 10) {
                const auto write = put(1, 6000, "k3", "during");
                log->append(write);
                apply_to(live, write);
                log->append(remove(1, 6001, "k4"));
                live.erase("k4");
            }
        }
        log->commit();
        log->finish_compaction();
        EXPECT_LT(log->bytes_on_disk(), before / 10);
    }
    ReplayReport report;
    EXPECT_EQ(replay(dir.path(), report), live);
    EXPECT_EQ(report.generations, 1);
}

TEST(PersistenceDataLog, ACrashInTheMiddleOfACompactionReplaysBothGenerationsToTheSameState) {
    TempDir dir;
    State live;
    {
        ReplayReport r;
        auto log = DataLog::open({.dir = dir.path()}, [](const LogRecordView&) {}, r);
        for (int k = 0; k < 30; ++k) {
            const auto record = put(0, k, "k" + std::to_string(k % 10), "v" + std::to_string(k));
            log->append(record);
            apply_to(live, record);
        }
        log->append(remove(0, 31, "k9"));
        live.erase("k9");
        log->commit();
        log->start_compaction();
        int copied = 0;
        for (const auto& [key, value] : live) {
            if (copied++ == 4) break;  // the process dies here, half-way through the copy
            log->append(put(0, 40, key, value));
        }
        log->append(remove(0, 41, "k1"));
        live.erase("k1");
        log->commit();
    }
    ReplayReport report;
    EXPECT_EQ(replay(dir.path(), report), live);
    EXPECT_EQ(report.generations, 2);
    // The next compaction that finishes removes both.
    {
        ReplayReport r;
        auto log = DataLog::open({.dir = dir.path()}, [](const LogRecordView&) {}, r);
        log->start_compaction();
        for (const auto& [key, value] : live) log->append(put(0, 50, key, value));
        log->finish_compaction();
    }
    ReplayReport last;
    EXPECT_EQ(replay(dir.path(), last), live);
    EXPECT_EQ(last.generations, 1);
}

TEST(PersistenceDataLog, BatchedSyncIsOwedUntilTheIntervalPasses) {
    TempDir dir;
    ReplayReport r;
    auto log = DataLog::open({.dir = dir.path(), .fsync = FsyncPolicy::kBatched, .fsync_interval = std::chrono::milliseconds(50)},
                             [](const LogRecordView&) {}, r);
    const auto t0 = DataLog::Clock::now();
    log->append(put(0, 1, "a", "1"));
    log->commit(t0);
    EXPECT_TRUE(log->sync_pending());
    log->sync_if_due(t0 + std::chrono::milliseconds(10));
    EXPECT_TRUE(log->sync_pending());
    log->sync_if_due(t0 + std::chrono::milliseconds(50));
    EXPECT_FALSE(log->sync_pending());
}

TEST(PersistenceDataLog, AtomicFileWriteReplacesTheWholeFile) {
    TempDir dir;
    fs::create_directories(dir.path());
    const fs::path file = dir.path() / "metadata";
    write_file_atomically(file, "first");
    write_file_atomically(file, "second version");
    EXPECT_EQ(read_file(file), "second version");
    EXPECT_FALSE(fs::exists(dir.path() / "metadata.tmp"));
}

}  // namespace
}  // namespace shoal::persistence
