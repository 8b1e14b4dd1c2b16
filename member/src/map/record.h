// Record: one map entry in a single heap allocation: a small header, then the key, then the value.
//
// The header is 13 bytes plus optional fields that only entries using them pay for:
//   uint32 hash | uint32 key_size | uint32 value_size | uint8 flags
//   [int64 expire_at_ms]                      if flags & kHasExpiry  (TTL)
//   [int64 last_access_ms, int64 max_idle_ms] if flags & kHasMaxIdle
//   key bytes | value bytes
// A 10-byte key with a 100-byte value and no TTL takes 123 bytes, one malloc chunk of 144.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace shoal::map {

class Record {
public:
    static constexpr std::uint8_t kHasExpiry = 1;
    static constexpr std::uint8_t kHasMaxIdle = 2;

    struct Times {
        std::int64_t expire_at_ms = 0;  // 0 = never
        std::int64_t max_idle_ms = 0;   // 0 = no idle limit
        std::int64_t now_ms = 0;        // the last access, when max_idle_ms > 0
        bool operator==(const Times&) const = default;
    };

    // Allocates a record; never returns null (throws std::bad_alloc like new).
    static Record* create(std::uint32_t hash, std::string_view key, std::string_view value,
                          const Times& times);
    static void destroy(Record* record) noexcept;

    std::uint32_t hash() const { return read_u32(0); }
    std::string_view key() const { return {bytes() + key_offset(), read_u32(4)}; }
    std::string_view value() const { return {bytes() + key_offset() + read_u32(4), read_u32(8)}; }
    std::uint8_t flags() const { return static_cast<std::uint8_t>(bytes()[12]); }

    std::int64_t expire_at_ms() const { return (flags() & kHasExpiry) ? read_i64(13) : 0; }
    std::int64_t max_idle_ms() const { return (flags() & kHasMaxIdle) ? read_i64(idle_offset() + 8) : 0; }
    std::int64_t last_access_ms() const { return (flags() & kHasMaxIdle) ? read_i64(idle_offset()) : 0; }
    void touch(std::int64_t now_ms) {
        if (flags() & kHasMaxIdle) write_i64(idle_offset(), now_ms);
    }
    bool expired(std::int64_t now_ms) const;

    // Bytes this record occupies on the heap, allocator overhead included.
    std::size_t allocated_bytes() const;

    // True when `value` can overwrite the current value in place (same size, same time fields).
    bool fits_in_place(std::string_view value, const Times& times) const;
    void overwrite_value(std::string_view value, const Times& times);

private:
    Record() = default;
    static std::uint8_t flags_for(const Times& times);
    static std::size_t header_size(std::uint8_t flags);

    const char* bytes() const { return reinterpret_cast<const char*>(this); }
    char* bytes() { return reinterpret_cast<char*>(this); }
    std::size_t idle_offset() const { return (flags() & kHasExpiry) ? 21 : 13; }
    std::size_t key_offset() const { return header_size(flags()); }
    void write_times(const Times& times);

    std::uint32_t read_u32(std::size_t off) const {
        std::uint32_t v;
        std::memcpy(&v, bytes() + off, sizeof v);
        return v;
    }
    std::int64_t read_i64(std::size_t off) const {
        std::int64_t v;
        std::memcpy(&v, bytes() + off, sizeof v);
        return v;
    }
    void write_i64(std::size_t off, std::int64_t v) { std::memcpy(bytes() + off, &v, sizeof v); }
};

}  // namespace shoal::map
