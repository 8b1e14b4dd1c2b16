// DataLog: the on-disk log of the partitions one partition thread holds.
//
// One log per partition thread (not per partition), so a batch of writes to many partitions
// costs one write and at most one sync, and only that thread touches it: no lock. The log is a
// sequence of generations (gen-<n>.log); records are appended to the newest. Compaction starts a
// new generation, into which the caller copies the live entries (a bounded number at a time,
// interleaved with new writes), then deletes the older ones. Replaying every generation oldest
// first always rebuilds the state, also after a crash in the middle of a compaction: whatever
// the newer generation holds is newer than anything in the older ones.
//
// Durability (`FsyncPolicy`): commit() always hands the bytes to the kernel before it returns,
// so a write acknowledged after commit() survives the death of the process (SIGKILL, OOM kill).
// What it survives beyond that, a crash of the machine or a power loss, is the policy's:
//   kEveryWrite  every commit syncs: nothing acknowledged is lost;
//   kBatched     the file is synced at most `fsync_interval` after a write: up to that window
//                of acknowledged writes can be lost on a machine crash;
//   kNever       the kernel syncs when it likes (typically within 30 s).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "persistence/append_file.h"
#include "persistence/log_record.h"

namespace shoal::persistence {

enum class FsyncPolicy { kEveryWrite, kBatched, kNever };

struct DataLogOptions {
    std::filesystem::path dir;
    FsyncPolicy fsync = FsyncPolicy::kEveryWrite;
    std::chrono::milliseconds fsync_interval{10};
    // How generation files are opened for appending; tests put a failing file in front.
    std::function<std::unique_ptr<AppendFile>(const std::filesystem::path&)> open_file = open_append_file;
};

// What opening the log found on disk.
struct ReplayReport {
    std::uint64_t records = 0;
    std::uint64_t bytes = 0;        // bytes of good records replayed
    std::uint64_t cut_bytes = 0;    // bytes of torn or corrupt tails cut off
    int generations = 0;
    std::vector<std::string> problems;  // each cut, with file, offset and reason
};

class DataLog {
public:
    using Clock = std::chrono::steady_clock;
    // Gets each replayed record as a view into the reader's buffer, valid during the call.
    using Apply = std::function<void(const LogRecordView&)>;
    // Gets the replayed records a batch at a time, in order (views valid during the call), so
    // it can start the memory loads of several before it applies the first.
    using ApplyBatch = std::function<void(std::span<const LogRecordView>)>;

    // Replays every generation in `options.dir` (created if missing) oldest first through
    // `apply`, cuts torn or corrupt tails, and opens the newest generation for appending.
    static std::unique_ptr<DataLog> open(DataLogOptions options, const ApplyBatch& apply, ReplayReport& report);
    static std::unique_ptr<DataLog> open(DataLogOptions options, const Apply& apply, ReplayReport& report);

    DataLog(const DataLog&) = delete;
    DataLog& operator=(const DataLog&) = delete;

    // Buffers a record; nothing reaches the file before commit().
    void append(const LogRecord& record);
    // Writes the buffered records and syncs as the policy says. Acknowledge writes after it.
    void commit(Clock::time_point now = Clock::now());
    // Writes the buffered records without syncing (a compaction's copy; finish syncs it).
    void flush() { write_buffer(); }
    // kBatched: syncs when written bytes have waited `fsync_interval`. Call it periodically.
    void sync_if_due(Clock::time_point now = Clock::now());
    // True when a batched sync is owed: when sync_if_due() next has something to do.
    bool sync_pending() const { return unsynced_since_.has_value(); }

    // Compaction. Appends go to a new generation from start_compaction() on; the caller appends
    // every live entry (as kPut records) meanwhile; finish_compaction() syncs the new generation
    // and deletes the older ones.
    void start_compaction();
    void finish_compaction();
    bool compacting() const { return compacting_; }

    // Bytes in every generation on disk (plus what is buffered): with the live bytes of the
    // caller's stores, tells when compaction pays.
    std::uint64_t bytes_on_disk() const { return retired_bytes_ + file_->size() + buffer_.size(); }
    const std::filesystem::path& dir() const { return options_.dir; }

private:
    DataLog(DataLogOptions options, std::vector<std::uint64_t> generations, std::uint64_t retired_bytes);
    std::filesystem::path path_of(std::uint64_t generation) const;
    void open_newest();
    void write_buffer();
    void sync_now();

    DataLogOptions options_;
    // Generations on disk, oldest first; records are appended to the last. More than one
    // remain after a compaction that a crash interrupted, until the next compaction ends.
    std::vector<std::uint64_t> generations_;
    std::unique_ptr<AppendFile> file_;
    std::string buffer_;
    bool compacting_ = false;
    std::uint64_t retired_bytes_ = 0;  // the sizes of every generation but the last
    std::optional<Clock::time_point> unsynced_since_;
};

}  // namespace shoal::persistence
