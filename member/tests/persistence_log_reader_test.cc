// LogReader: reading a log in chunks and batches finds exactly what decoding the whole file at
// once finds, whatever the chunk and batch sizes: every record (also those larger than a chunk
// or split across two), a torn tail at the same byte, a corrupt record at the same byte.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "persistence/log_reader.h"
#include "persistence/log_record.h"

namespace shoal::persistence {
namespace {

namespace fs = std::filesystem;

class TempFile {
public:
    TempFile() : path_(fs::temp_directory_path() / ("shoal-reader-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))) {}
    ~TempFile() { fs::remove(path_); }
    const fs::path& path() const { return path_; }
    void write(std::string_view bytes) const { std::ofstream(path_, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size())); }

private:
    static inline int counter_ = 0;
    fs::path path_;
};

// Records of many sizes: some smaller than the smallest chunk tried, one far larger than it.
std::vector<LogRecord> sample_records() {
    std::vector<LogRecord> records;
    for (int i = 0; i < 12; ++i) {
        LogRecord r;
        r.type = i % 4 == 3 ? RecordType::kRemove : RecordType::kPut;
        r.partition = i;
        r.version = static_cast<std::uint64_t>(i) + 1;
        r.map = "m" + std::to_string(i % 3);
        r.key = "key-" + std::to_string(i);
        r.value = std::string(i == 5 ? 5000 : static_cast<std::size_t>(i * 7), static_cast<char>('a' + i));
        r.times.expire_at_ms = i;
        records.push_back(std::move(r));
    }
    return records;
}

struct ReadResult {
    std::vector<LogRecord> records;
    DecodeResult end;
    std::uint64_t offset = 0;
};

ReadResult read_all(const fs::path& path, std::size_t chunk, std::size_t batch_size = 3) {
    LogReader reader(path, chunk);
    ReadResult out;
    std::vector<LogRecordView> batch;
    for (;;) {
        out.end = reader.next_batch(batch, batch_size);
        EXPECT_LE(batch.size(), batch_size);
        for (const auto& view : batch) out.records.push_back(view.owned());
        if (out.end.status != DecodeStatus::kOk || batch.empty()) break;
    }
    out.offset = reader.offset();
    return out;
}

// What decoding the whole file at once finds: the reference the reader must match.
ReadResult decode_whole(std::string_view bytes) {
    ReadResult out;
    std::string_view rest = bytes;
    LogRecord record;
    while (!rest.empty()) {
        out.end = decode(rest, record);
        if (out.end.status != DecodeStatus::kOk) break;
        out.records.push_back(record);
        rest.remove_prefix(out.end.consumed);
    }
    out.offset = bytes.size() - rest.size();
    return out;
}

void expect_same(const ReadResult& got, const ReadResult& want, const std::string& what) {
    EXPECT_EQ(got.records, want.records) << what;
    EXPECT_EQ(got.offset, want.offset) << what;
    const bool want_ok = want.end.status == DecodeStatus::kOk;
    EXPECT_EQ(got.end.status, want_ok ? DecodeStatus::kOk : want.end.status) << what;
    if (!want_ok) {
        EXPECT_EQ(got.end.error, want.end.error) << what;
    }
}

constexpr std::size_t kChunks[] = {1, 12, 13, 64, 1000, LogReader::kDefaultChunkBytes};

TEST(PersistenceLogReader, ReadsEveryRecordWhateverTheChunkSize) {
    const std::vector<LogRecord> records = sample_records();
    std::string bytes;
    for (const auto& r : records) encode(r, bytes);
    TempFile file;
    file.write(bytes);
    for (const std::size_t chunk : kChunks) {
        for (const std::size_t batch : {std::size_t{1}, std::size_t{5}, std::size_t{64}}) {
            const ReadResult got = read_all(file.path(), chunk, batch);
            EXPECT_EQ(got.records, records) << "chunk " << chunk << ", batch " << batch;
            EXPECT_EQ(got.end.status, DecodeStatus::kOk) << got.end.error;
            EXPECT_EQ(got.offset, bytes.size());
        }
    }
}

TEST(PersistenceLogReader, AnEmptyFileHasNoRecords) {
    TempFile file;
    file.write("");
    const ReadResult got = read_all(file.path(), 64);
    EXPECT_TRUE(got.records.empty());
    EXPECT_EQ(got.end.status, DecodeStatus::kOk);
    EXPECT_EQ(got.offset, 0u);
}

TEST(PersistenceLogReader, ATornTailStopsAtTheSameByteAsAWholeFileDecode) {
    std::string bytes;
    for (const auto& r : sample_records()) encode(r, bytes);
    TempFile file;
    // Every length the file could have been cut to, stepping over the large record's middle.
    for (std::size_t n = 0; n <= bytes.size(); n += (n > 400 && n < bytes.size() - 400) ? 97 : 1) {
        const std::string_view cut = std::string_view(bytes).substr(0, n);
        file.write(cut);
        const ReadResult want = decode_whole(cut);
        for (const std::size_t chunk : {std::size_t{13}, std::size_t{64}, std::size_t{1000}}) {
            expect_same(read_all(file.path(), chunk), want, "cut at " + std::to_string(n) + ", chunk " + std::to_string(chunk));
        }
    }
}

TEST(PersistenceLogReader, ACorruptRecordStopsAtTheSameByteAsAWholeFileDecode) {
    std::string bytes;
    for (const auto& r : sample_records()) encode(r, bytes);
    TempFile file;
    for (std::size_t at = 0; at < bytes.size(); at += 37) {
        std::string damaged = bytes;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
        file.write(damaged);
        const ReadResult want = decode_whole(damaged);
        ASSERT_NE(want.end.status, DecodeStatus::kOk) << "byte " << at << " is checked";
        for (const std::size_t chunk : {std::size_t{13}, std::size_t{1000}}) {
            expect_same(read_all(file.path(), chunk), want, "byte " + std::to_string(at) + ", chunk " + std::to_string(chunk));
        }
    }
}

}  // namespace
}  // namespace shoal::persistence
