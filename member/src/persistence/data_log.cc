#include "persistence/data_log.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "persistence/log_reader.h"

namespace shoal::persistence {
namespace {

constexpr std::string_view kPrefix = "gen-";
constexpr std::string_view kSuffix = ".log";

std::string file_name(std::uint64_t generation) {
    char digits[21];
    std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(generation));
    return std::string(kPrefix) + digits + std::string(kSuffix);
}

// The generation a file name holds, or 0 for files that are not generations.
std::uint64_t generation_of(const std::string& name) {
    if (name.size() <= kPrefix.size() + kSuffix.size() || !name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return 0;
    const char* first = name.data() + kPrefix.size();
    const char* last = name.data() + name.size() - kSuffix.size();
    std::uint64_t generation = 0;
    const auto [end, ec] = std::from_chars(first, last, generation);
    return (ec == std::errc() && end == last) ? generation : 0;
}

std::vector<std::uint64_t> list_generations(const std::filesystem::path& dir) {
    std::vector<std::uint64_t> generations;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        if (const std::uint64_t g = generation_of(entry.path().filename().string()); g > 0) generations.push_back(g);
    }
    std::sort(generations.begin(), generations.end());
    return generations;
}

// Records per batch handed to ApplyBatch: enough for their cache misses to overlap, few
// enough that what the first one's prefetch loaded is still cached when it is applied.
constexpr std::size_t kReplayBatch = 16;

// Replays one generation file; returns the length of its good prefix.
std::uint64_t replay_file(const std::filesystem::path& path, const DataLog::ApplyBatch& apply, ReplayReport& report) {
    LogReader reader(path);
    std::vector<LogRecordView> batch;
    batch.reserve(kReplayBatch);
    for (;;) {
        const std::uint64_t before = reader.offset();
        const DecodeResult result = reader.next_batch(batch, kReplayBatch);
        if (!batch.empty()) apply(batch);
        report.records += batch.size();
        report.bytes += reader.offset() - before;
        if (result.status != DecodeStatus::kOk) {
            const std::uint64_t good = reader.offset();
            const std::uint64_t cut = reader.file_size() - good;
            report.cut_bytes += cut;
            report.problems.push_back(path.filename().string() + " at byte " + std::to_string(good) + ": " + result.error +
                                      (result.status == DecodeStatus::kTruncated ? " (a write cut short)" : "") + "; " +
                                      std::to_string(cut) + " bytes cut");
            return good;
        }
        if (batch.empty()) return reader.offset();
    }
}

}  // namespace

std::unique_ptr<DataLog> DataLog::open(DataLogOptions options, const Apply& apply, ReplayReport& report) {
    return open(std::move(options), ApplyBatch([&apply](std::span<const LogRecordView> batch) {
                    for (const LogRecordView& record : batch) apply(record);
                }),
                report);
}

std::unique_ptr<DataLog> DataLog::open(DataLogOptions options, const ApplyBatch& apply, ReplayReport& report) {
    std::filesystem::create_directories(options.dir);
    std::vector<std::uint64_t> generations = list_generations(options.dir);
    std::uint64_t retired = 0;
    for (std::size_t i = 0; i < generations.size(); ++i) {
        const auto path = options.dir / file_name(generations[i]);
        const std::uint64_t size = std::filesystem::file_size(path);
        const std::uint64_t good = replay_file(path, apply, report);
        // Never replayed, never appended after: a bad tail is cut so the next record written
        // after it cannot be mistaken for its continuation.
        if (good < size) truncate_file(path, good);
        if (i + 1 < generations.size()) retired += good;
    }
    report.generations = static_cast<int>(generations.size());
    if (generations.empty()) generations.push_back(1);
    auto log = std::unique_ptr<DataLog>(new DataLog(std::move(options), std::move(generations), retired));
    log->open_newest();
    return log;
}

DataLog::DataLog(DataLogOptions options, std::vector<std::uint64_t> generations, std::uint64_t retired_bytes)
    : options_(std::move(options)), generations_(std::move(generations)), retired_bytes_(retired_bytes) {}

std::filesystem::path DataLog::path_of(std::uint64_t generation) const { return options_.dir / file_name(generation); }

void DataLog::open_newest() {
    const auto path = path_of(generations_.back());
    const bool created = !std::filesystem::exists(path);
    file_ = options_.open_file(path);
    if (created) sync_directory(options_.dir);
}

void DataLog::append(const LogRecord& record) { encode(record, buffer_); }

void DataLog::write_buffer() {
    if (buffer_.empty()) return;
    file_->append(buffer_);
    buffer_.clear();
}

void DataLog::sync_now() {
    file_->sync();
    unsynced_since_.reset();
}

void DataLog::commit(Clock::time_point now) {
    if (buffer_.empty()) return;
    write_buffer();
    switch (options_.fsync) {
        case FsyncPolicy::kEveryWrite:
            sync_now();
            break;
        case FsyncPolicy::kBatched:
            if (!unsynced_since_) unsynced_since_ = now;
            sync_if_due(now);
            break;
        case FsyncPolicy::kNever:
            break;
    }
}

void DataLog::sync_if_due(Clock::time_point now) {
    if (unsynced_since_ && now - *unsynced_since_ >= options_.fsync_interval) sync_now();
}

void DataLog::start_compaction() {
    if (compacting_) return;
    // The generation being left must be whole on disk before anything relies on the new one.
    write_buffer();
    file_->sync();
    unsynced_since_.reset();
    retired_bytes_ += file_->size();
    generations_.push_back(generations_.back() + 1);
    open_newest();
    compacting_ = true;
}

void DataLog::finish_compaction() {
    if (!compacting_) return;
    write_buffer();
    sync_now();
    // Every older generation goes, the oldest first: a crash midway leaves a suffix of
    // generations, which still replays to the same state.
    const std::uint64_t newest = generations_.back();
    for (std::size_t i = 0; i + 1 < generations_.size(); ++i) std::filesystem::remove(path_of(generations_[i]));
    sync_directory(options_.dir);
    generations_.assign(1, newest);
    retired_bytes_ = 0;
    compacting_ = false;
}

}  // namespace shoal::persistence
