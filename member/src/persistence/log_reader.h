// LogReader: reads one generation file front to back in large sequential reads and hands out
// its records, a batch at a time, as views into its buffer, so a replay copies each byte once
// (into the stores) and holds one buffer in memory, not the file.
//
// The buffer is reused from chunk to chunk (no page faults after the first, and it stays in
// the cache); a record larger than the buffer grows it to fit. What decode() reports is what
// the whole file would report: the reader only decides when to read more (on kTruncated,
// until the end of the file), so a torn or corrupt tail is found at the same byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "persistence/log_record.h"

namespace shoal::persistence {

class LogReader {
public:
    // 1 MiB: a read's system-call cost is amortised over thousands of records, and the buffer
    // stays in a core's L2 cache while its records are decoded and copied out.
    static constexpr std::size_t kDefaultChunkBytes = std::size_t{1} << 20;

    // Opens `path`; std::system_error naming it when it cannot.
    explicit LogReader(const std::filesystem::path& path, std::size_t chunk_bytes = kDefaultChunkBytes);
    ~LogReader();
    LogReader(const LogReader&) = delete;
    LogReader& operator=(const LogReader&) = delete;

    // Replaces `batch` with the next records (at most `max` >= 1, at least one unless the file
    // ends), all from the buffer, so they stay valid until the next call; a batch lets the
    // caller look at several records before it applies them. Returns what ends the batch: kOk
    // (an empty batch at the clean end of the file), or kTruncated / kCorrupt (with the reason)
    // at a bad tail, which follows the batch's records.
    DecodeResult next_batch(std::vector<LogRecordView>& batch, std::size_t max);

    // Bytes of whole records handed out so far: the good prefix when next() stops.
    std::uint64_t offset() const { return offset_; }
    std::uint64_t file_size() const { return file_size_; }

private:
    // Moves the unread bytes to the front and reads after them; false at the end of the file.
    bool refill();

    std::filesystem::path path_;
    int fd_ = -1;
    std::uint64_t file_size_ = 0;
    std::uint64_t offset_ = 0;
    std::unique_ptr<char[]> buffer_;
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0;  // the unread bytes are [begin_, end_)
    std::size_t end_ = 0;
    bool eof_ = false;
};

}  // namespace shoal::persistence
