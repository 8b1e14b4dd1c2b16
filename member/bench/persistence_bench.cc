// Persistence micro-benchmarks: what the on-disk log adds to a write under each fsync policy,
// next to the same write into memory only, and how fast a restart reads the log back (MB/s,
// Hazelcast publishes about 1.2 GB/s per member on SSD for its restore).
//
// The files go to $SHOAL_BENCH_DIR (default: the system temporary directory); put it on the
// disk you care about: on tmpfs a sync costs nothing. Rates are per wall-clock second (a sync
// waits for the disk, not the CPU).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "map/record_store.h"
#include "persistence/data_log.h"

namespace {

namespace fs = std::filesystem;
using shoal::map::RecordStore;
using shoal::persistence::DataLog;
using shoal::persistence::DataLogOptions;
using shoal::persistence::FsyncPolicy;
using shoal::persistence::LogRecord;
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

// A put of a 10-byte key with a 100-byte value, as a member journals an owner's write.
LogRecord put_record(std::uint64_t i) {
    LogRecord r;
    r.type = RecordType::kPut;
    r.partition = static_cast<int>(i % 271);
    r.version = i + 1;
    r.map = "bench";
    std::string digits = std::to_string(i % 1'000'000);
    r.key = std::string("\xff\xff\xff\xf4", 4) + "k" + std::string(9 - digits.size(), '0') + digits;
    r.value = std::string(kValueBytes, 'v');
    return r;
}

std::unique_ptr<DataLog> open_log(const fs::path& dir, FsyncPolicy policy, ReplayReport& report,
                                  const DataLog::Apply& apply = [](const LogRecord&) {}) {
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

// A restart: the log of `records` puts read back into a store. Bytes/s is the load speed.
void BM_RestartLoad(benchmark::State& state) {
    const auto records = static_cast<std::uint64_t>(state.range(0));
    const fs::path dir = bench_dir("load-" + std::to_string(records));
    {
        ReplayReport report;
        auto log = open_log(dir, FsyncPolicy::kNever, report);
        for (std::uint64_t i = 0; i < records; ++i) {
            log->append(put_record(i));
            if (i % 1024 == 1023) log->commit();
        }
        log->commit();
    }
    std::uint64_t bytes = 0;
    for (auto _ : state) {
        RecordStore store;
        ReplayReport report;
        auto log = open_log(dir, FsyncPolicy::kNever, report,
                            [&store](const LogRecord& r) { store.restore(r.key, r.value, r.times); });
        if (report.records != records) state.SkipWithError("the log did not replay every record");
        bytes += report.bytes;
        benchmark::DoNotOptimize(store.size(kNow));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.SetItemsProcessed(static_cast<std::int64_t>(records) * state.iterations());
    fs::remove_all(dir);
}
BENCHMARK(BM_RestartLoad)->Arg(200'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
