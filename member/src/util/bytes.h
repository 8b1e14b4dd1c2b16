// ByteWriter / ByteReader: the member protocol's encoding of numbers and strings (big-endian,
// strings and byte blocks prefixed with a uint32 length).
//
// The reader is fed network input: every read is bounds-checked and a short or malformed
// buffer throws DecodeError naming what it was reading, never reads past the end.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "util/uuid.h"

namespace shoal::util {

class DecodeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ByteWriter {
public:
    void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
    void boolean(bool v) { u8(v ? 1 : 0); }
    void u16(std::uint16_t v) { unsigned_be(v, 2); }
    void u32(std::uint32_t v) { unsigned_be(v, 4); }
    void u64(std::uint64_t v) { unsigned_be(v, 8); }
    void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
    void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
    void str(std::string_view s) {
        u32(static_cast<std::uint32_t>(s.size()));
        out_.append(s);
    }
    void raw(std::string_view s) { out_.append(s); }
    // A UUID as its two 64-bit halves, most significant first.
    void uuid(const Uuid& u) {
        u64(u.most);
        u64(u.least);
    }

    std::string& buffer() { return out_; }
    std::string take() { return std::move(out_); }

private:
    void unsigned_be(std::uint64_t v, int bytes) {
        for (int i = bytes - 1; i >= 0; --i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    }
    std::string out_;
};

class ByteReader {
public:
    explicit ByteReader(std::string_view in) : in_(in) {}

    std::uint8_t u8(const char* what) { return static_cast<std::uint8_t>(unsigned_be(1, what)); }
    bool boolean(const char* what) { return u8(what) != 0; }
    std::uint16_t u16(const char* what) { return static_cast<std::uint16_t>(unsigned_be(2, what)); }
    std::uint32_t u32(const char* what) { return static_cast<std::uint32_t>(unsigned_be(4, what)); }
    std::uint64_t u64(const char* what) { return unsigned_be(8, what); }
    std::int32_t i32(const char* what) { return static_cast<std::int32_t>(u32(what)); }
    std::int64_t i64(const char* what) { return static_cast<std::int64_t>(u64(what)); }
    std::string str(const char* what) { return std::string(view(what)); }
    Uuid uuid(const char* what) {
        Uuid u;
        u.most = u64(what);
        u.least = u64(what);
        return u;
    }
    // A length-prefixed block without copying; valid while the input is.
    std::string_view view(const char* what) {
        const std::uint32_t n = u32(what);
        need(n, what);
        std::string_view s = in_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    // A count that must fit the remaining bytes at `min_item_bytes` each: a hostile count
    // cannot make the caller reserve gigabytes.
    std::uint32_t count(const char* what, std::size_t min_item_bytes) {
        const std::uint32_t n = u32(what);
        if (min_item_bytes > 0 && n > remaining() / min_item_bytes) {
            throw DecodeError(std::string(what) + ": count " + std::to_string(n) + " exceeds the message");
        }
        return n;
    }

    std::size_t remaining() const { return in_.size() - pos_; }
    bool done() const { return pos_ == in_.size(); }
    void expect_done(const char* what) const {
        if (!done()) throw DecodeError(std::string(what) + ": " + std::to_string(remaining()) + " unexpected trailing bytes");
    }

private:
    void need(std::size_t n, const char* what) const {
        if (n > remaining()) {
            throw DecodeError(std::string("truncated message reading ") + what + " (needs " +
                              std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left)");
        }
    }
    std::uint64_t unsigned_be(int bytes, const char* what) {
        need(static_cast<std::size_t>(bytes), what);
        std::uint64_t v = 0;
        for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(in_[pos_ + i]);
        pos_ += static_cast<std::size_t>(bytes);
        return v;
    }

    std::string_view in_;
    std::size_t pos_ = 0;
};

}  // namespace shoal::util
