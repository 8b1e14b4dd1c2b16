// LogRecord: one change to the data a member holds, as the persistence log stores it on disk.
//
// A record is what a replica applied, never the operation that produced it: a put carries the
// entry's resulting value and absolute times (as backups receive them), so replaying the log
// rebuilds exactly the state the member acknowledged. Each record names its partition and the
// partition's replica version after the change, so recovery knows how current each partition is.
//
// On disk (big-endian):
//     u32 body length | u32 crc32c(body) | u32 crc32c(the previous 8 bytes) | body
//     body = u8 type | u32 partition | u64 version | str map | str key | str value
//            | i64 expire_at_ms | i64 max_idle_ms | i64 last_access_ms
// The header has its own checksum so a damaged length is told apart from a torn write: a
// length that runs past the end of the file with a valid header is a write cut short by a crash
// (the tail to cut); anything else that fails a checksum is corruption.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "map/record.h"

namespace shoal::persistence {

enum class RecordType : std::uint8_t {
    kPut = 1,            // map[key] = value with times
    kRemove = 2,         // map[key] removed
    kClearMap = 3,       // every entry of map in this partition removed
    kDropPartition = 4,  // this member no longer holds the partition: forget all of it
    kPartitionComplete = 5,  // a copy received whole is complete at `version` (the end of a migration)
};

struct LogRecord {
    RecordType type = RecordType::kPut;
    int partition = 0;
    std::uint64_t version = 0;  // the partition's replica version once this record is applied
    std::string map;
    std::string key;    // key identity (Data without its partition hash)
    std::string value;  // whole Data
    map::Record::Times times;

    bool operator==(const LogRecord&) const = default;
};

// A decoded record whose strings point into the bytes it was decoded from: what a replay
// applies, so reading a log back copies each key and value once, into the store. Valid while
// those bytes are.
struct LogRecordView {
    RecordType type = RecordType::kPut;
    int partition = 0;
    std::uint64_t version = 0;
    std::string_view map;
    std::string_view key;
    std::string_view value;
    map::Record::Times times;

    // An owning copy (tests, and callers that keep records beyond the bytes).
    LogRecord owned() const { return {type, partition, version, std::string(map), std::string(key), std::string(value), times}; }
};

inline constexpr std::size_t kRecordHeaderBytes = 12;
// A body longer than this is never written, so a header claiming more is corrupt.
inline constexpr std::uint32_t kMaxRecordBodyBytes = 512u << 20;

// Appends the record's on-disk form to `out`.
void encode(const LogRecord& record, std::string& out);

enum class DecodeStatus {
    kOk,         // `record` holds the next record; `consumed` bytes were read
    kTruncated,  // the input ends inside a record whose header is intact: a torn write
    kCorrupt,    // a checksum, a length or a field is wrong; `error` says which
};

struct DecodeResult {
    DecodeStatus status = DecodeStatus::kOk;
    std::size_t consumed = 0;
    std::string error;
};

// Decodes the record at the start of `in`. Never reads past `in`; any input gives a result.
// A prefix of `in` that holds the whole record decodes the same; one that ends inside it gives
// kTruncated (or the same header corruption): so a reader may decode from a buffer that holds
// only part of a file and read more on kTruncated.
DecodeResult decode(std::string_view in, LogRecordView& record);
DecodeResult decode(std::string_view in, LogRecord& record);

}  // namespace shoal::persistence
