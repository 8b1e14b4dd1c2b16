// Persistence micro-benchmarks: what the on-disk log adds to a write under each fsync policy,
// next to the same write into memory only, and how fast a restart reads the log back (MB/s,
// Hazelcast publishes about 1.2 GB/s per member on SSD for its restore).
//
// The files go to $SHOAL_BENCH_DIR (default: the system temporary directory); put it on the
// disk you care about: on tmpfs a sync costs nothing. Rates are per wall-clock second (a sync
// waits for the disk, not the CPU). The restart loads read logs the page cache holds (they were
// just written): they measure the CPU's side of a load, which is what bounds it on an SSD.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <span>
#include <string>
#include <unistd.h>
#include <vector>

#include "app/member_persistence.h"
#include "config/member_config.h"
#include "map/record_store.h"
#include "partition/partition_threads.h"
#include "persistence/data_log.h"
#include "util/log.h"

namespace {

namespace fs = std::filesystem;
using shoal::map::RecordStore;
using shoal::persistence::DataLog;
using shoal::persistence::DataLogOptions;
using shoal::persistence::FsyncPolicy;
using shoal::persistence::LogRecord;
using shoal::persistence::LogRecordView;
using shoal::persistence::RecordType;
using shoal::persistence::ReplayReport;

constexpr std::int64_t kNow = 1'700'000'000'000;
constexpr std::size_t kValueBytes = 100;

fs::path bench_dir(const std::string& name) {
    const char* base = std::getenv("SHOAL_BENCH_DIR");
    fs::path dir = fs::path(base ? base : fs::temp_directory_path().string()) /
                   ("shoal-persistence-bench-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// A put of a 10-byte key with a 100-byte value, as a member journals an owner's write; keys
// repeat every `keys` records (a log holding several versions of each).
LogRecord put_record(std::uint64_t i, std::uint64_t keys = 1'000'000) {
    LogRecord r;
    r.type = RecordType::kPut;
    r.partition = static_cast<int>(i % 271);
    r.version = i + 1;
    r.map = "bench";
    std::string digits = std::to_string(i % keys);
    r.key = std::string("\xff\xff\xff\xf4", 4) + "k" + std::string(9 - digits.size(), '0') + digits;
    r.value = std::string(kValueBytes, 'v');
    return r;
}

std::unique_ptr<DataLog> open_log(const fs::path& dir, FsyncPolicy policy, ReplayReport& report,
                                  const DataLog::Apply& apply = [](const LogRecordView&) {}) {
    DataLogOptions options;
    options.dir = dir;
    options.fsync = policy;
    return DataLog::open(options, apply, report);
}

// The in-memory member's cost of the same write: the baseline of the ratios.
void BM_WriteInMemory(benchmark::State& state) {
    RecordStore store;
    std::uint64_t i = 0;
    for (auto _ : state) {
        const LogRecord r = put_record(i++);
        store.set(r.key, r.value, {}, kNow);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WriteInMemory)->UseRealTime();

// One write applied in memory and journaled, `batch` writes per commit (a partition thread
// commits once per batch of operations it drained from its queue).
void write_journaled(benchmark::State& state, FsyncPolicy policy) {
    const auto batch = static_cast<std::uint64_t>(state.range(0));
    const fs::path dir = bench_dir("write-" + std::to_string(static_cast<int>(policy)) + "-" + std::to_string(batch));
    ReplayReport report;
    auto log = open_log(dir, policy, report);
    RecordStore store;
    std::uint64_t i = 0;
    for (auto _ : state) {
        for (std::uint64_t b = 0; b < batch; ++b) {
            const LogRecord r = put_record(i++);
            store.set(r.key, r.value, {}, kNow);
            log->append(r);
        }
        log->commit();
        if (policy == FsyncPolicy::kBatched) log->sync_if_due();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(i));
    log.reset();
    fs::remove_all(dir);
}
void BM_WriteEveryWriteSync(benchmark::State& state) { write_journaled(state, FsyncPolicy::kEveryWrite); }
void BM_WriteBatchedSync(benchmark::State& state) { write_journaled(state, FsyncPolicy::kBatched); }
void BM_WriteNeverSync(benchmark::State& state) { write_journaled(state, FsyncPolicy::kNever); }
BENCHMARK(BM_WriteEveryWriteSync)->Arg(1)->Arg(16)->UseRealTime();
BENCHMARK(BM_WriteBatchedSync)->Arg(1)->Arg(16)->UseRealTime();
BENCHMARK(BM_WriteNeverSync)->Arg(1)->Arg(16)->UseRealTime();

// A restart of one partition thread: a log of `records` puts of `keys` distinct keys read
// back into a store. Bytes/s is the load speed per thread. Freeing the store afterwards is not
// timed (a restart keeps it).
void BM_RestartLoad(benchmark::State& state) {
    const auto records = static_cast<std::uint64_t>(state.range(0));
    const auto keys = static_cast<std::uint64_t>(state.range(1));
    const fs::path dir = bench_dir("load-" + std::to_string(records) + "-" + std::to_string(keys));
    {
        ReplayReport report;
        auto log = open_log(dir, FsyncPolicy::kNever, report);
        for (std::uint64_t i = 0; i < records; ++i) {
            log->append(put_record(i, keys));
            if (i % 1024 == 1023) log->commit();
        }
        log->commit();
    }
    std::uint64_t bytes = 0;
    for (auto _ : state) {
        auto store = std::make_unique<RecordStore>();
        ReplayReport report;
        DataLogOptions options;
        options.dir = dir;
        options.fsync = FsyncPolicy::kNever;
        // As a partition thread replays: a batch's slots prefetched, then its records applied.
        auto log = DataLog::open(options, DataLog::ApplyBatch([&store](std::span<const LogRecordView> batch) {
                                     for (const auto& r : batch) store->prefetch(r.key);
                                     for (const auto& r : batch) store->restore(r.key, r.value, r.times);
                                 }),
                                 report);
        if (report.records != records || store->size(kNow) != keys) state.SkipWithError("the log did not replay every record");
        bytes += report.bytes;
        state.PauseTiming();
        store.reset();
        state.ResumeTiming();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.SetItemsProcessed(static_cast<std::int64_t>(records) * state.iterations());
    fs::remove_all(dir);
}
BENCHMARK(BM_RestartLoad)
    ->ArgNames({"records", "keys"})
    ->Args({200'000, 200'000})
    ->Args({200'000, 20'000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Writes `per_thread` puts into each partition thread's log under `base`, each to partitions
// that thread owns, as a member with `threads` partition threads would have left them.
void write_member_logs(const fs::path& base, int threads, std::uint64_t per_thread) {
    constexpr int kPartitions = 271;
    for (int t = 0; t < threads; ++t) {
        std::vector<int> owned;
        for (int p = t; p < kPartitions; p += threads) owned.push_back(p);
        ReplayReport report;
        auto log = open_log(base / "threads" / std::to_string(t), FsyncPolicy::kNever, report);
        for (std::uint64_t i = 0; i < per_thread; ++i) {
            LogRecord r = put_record(static_cast<std::uint64_t>(t) * per_thread + i, ~0ull);
            r.partition = owned[i % owned.size()];
            log->append(r);
            if (i % 1024 == 1023) log->commit();
        }
        log->commit();
    }
}

// A member's restart: `threads` partition threads each replay their own log of 200 000 puts
// at once (MemberPersistence::recover, as shoal-member does). bytes_per_second is the member's
// load speed; per_thread is that over the thread count. CPU time is every thread's.
void BM_MemberRestartLoad(benchmark::State& state) {
    const int threads = static_cast<int>(state.range(0));
    constexpr std::uint64_t kPerThread = 200'000;
    const fs::path base = bench_dir("member-load-" + std::to_string(threads));
    write_member_logs(base, threads, kPerThread);
    shoal::util::set_log_level(shoal::util::LogLevel::kWarn);
    shoal::config::MemberConfig config;
    config.persistence.enabled = true;
    config.persistence.base_dir = base.string();
    config.persistence.fsync = shoal::config::FsyncPolicy::kNever;
    std::uint64_t bytes = 0;
    for (auto _ : state) {
        auto persistence = std::make_unique<shoal::app::MemberPersistence>(config);
        auto partitions = std::make_unique<shoal::partition::PartitionThreads>(config.partition_count, threads, nullptr);
        partitions->start();
        persistence->recover(*partitions);
        const auto status = persistence->status();
        if (status.records != kPerThread * static_cast<std::uint64_t>(threads) || status.entries != status.records) {
            state.SkipWithError("the member did not replay every record");
        }
        bytes += status.bytes;
        state.PauseTiming();
        partitions.reset();
        persistence.reset();
        state.ResumeTiming();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.counters["per_thread"] = benchmark::Counter(static_cast<double>(bytes) / threads, benchmark::Counter::kIsRate,
                                                      benchmark::Counter::OneK::kIs1024);
    fs::remove_all(base);
}
BENCHMARK(BM_MemberRestartLoad)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
