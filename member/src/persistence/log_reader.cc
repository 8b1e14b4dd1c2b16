#include "persistence/log_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace shoal::persistence {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
    throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}

}  // namespace

LogReader::LogReader(const std::filesystem::path& path, std::size_t chunk_bytes)
    : path_(path), fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)), capacity_(std::max(chunk_bytes, kRecordHeaderBytes)) {
    if (fd_ < 0) fail("cannot open", path_);
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
        ::close(fd_);
        fail("cannot stat", path_);
    }
    file_size_ = static_cast<std::uint64_t>(st.st_size);
    // A whole-file sequential read: the kernel may read ahead further than it would by default.
    (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    // No bigger than the file: a small log does not cost a large buffer.
    if (file_size_ < capacity_) capacity_ = std::max<std::size_t>(file_size_, kRecordHeaderBytes);
    buffer_ = std::make_unique_for_overwrite<char[]>(capacity_);
}

LogReader::~LogReader() { ::close(fd_); }

bool LogReader::refill() {
    if (eof_) return false;
    const std::size_t unread = end_ - begin_;
    if (unread == capacity_) {
        // One record is larger than the buffer: double it (a record's length is bounded by
        // kMaxRecordBodyBytes, which decode() checks before it asks for more).
        auto larger = std::make_unique_for_overwrite<char[]>(capacity_ * 2);
        std::memcpy(larger.get(), buffer_.get() + begin_, unread);
        buffer_ = std::move(larger);
        capacity_ *= 2;
    } else if (begin_ > 0) {
        std::memmove(buffer_.get(), buffer_.get() + begin_, unread);
    }
    begin_ = 0;
    end_ = unread;
    while (end_ < capacity_) {
        const ssize_t n = ::read(fd_, buffer_.get() + end_, capacity_ - end_);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot read", path_);
        }
        if (n == 0) {
            eof_ = true;
            break;
        }
        end_ += static_cast<std::size_t>(n);
    }
    return end_ > unread;
}

DecodeResult LogReader::next_batch(std::vector<LogRecordView>& batch, std::size_t max) {
    batch.clear();
    LogRecordView record;
    while (batch.size() < max) {
        const std::string_view unread(buffer_.get() + begin_, end_ - begin_);
        if (unread.empty() && eof_) break;
        if (!unread.empty()) {
            DecodeResult result = decode(unread, record);
            if (result.status == DecodeStatus::kOk) {
                begin_ += result.consumed;
                offset_ += result.consumed;
                batch.push_back(record);
                continue;
            }
            if (result.status == DecodeStatus::kCorrupt) return result;
            // kTruncated: the record may go on beyond the buffer; at the end of the file it is
            // a torn tail.
            if (eof_) return result;
        }
        // Reading more moves the buffer's bytes: the batch so far goes out first.
        if (!batch.empty()) break;
        if (!refill() && begin_ == end_) break;
    }
    return {DecodeStatus::kOk, 0, {}};
}

}  // namespace shoal::persistence
