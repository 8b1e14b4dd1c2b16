// Record: one map entry in a single heap allocation: a small header, then the key, then the value.
//
// The header is 9 bytes when key and value are under 64 KiB (13 otherwise), plus optional fields
// that only entries using them pay for:
//   uint32 hash | uint8 flags | uint16 key_size, uint16 value_size   (uint32 each if !kShortSizes)
//   [int64 expire_at_ms]                      if flags & kHasExpiry  (TTL)
//   [int64 last_access_ms, int64 max_idle_ms] if flags & kHasMaxIdle
//   key bytes | value bytes
// Key and value are stored packed when their Hazelcast prefix is implied (compact_data.h); the
// sizes are of the stored bytes. A 14-character String key with a 100-byte byte[] value and no TTL
// takes 9 + 15 + 101 = 125 bytes, one allocation of jemalloc's 128-byte class (unpacked, with the
// former 13-byte header: 147 bytes, the 160-byte class).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace shoal::map {

class Record {
public:
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

    // The key and value as they were given (unpacked).
    std::size_t key_size() const;
    std::size_t value_size() const;
    bool key_equals(std::string_view key) const;
    bool value_equals(std::string_view value) const;
    void copy_key_to(std::string& out) const;
    void copy_value_to(std::string& out) const;
    std::string value_string() const;

    bool has_time_limits() const { return (flags() & (kHasExpiry | kHasMaxIdle)) != 0; }
    std::int64_t expire_at_ms() const { return (flags() & kHasExpiry) ? read_i64(times_offset()) : 0; }
    std::int64_t max_idle_ms() const { return (flags() & kHasMaxIdle) ? read_i64(idle_offset() + 8) : 0; }
    std::int64_t last_access_ms() const { return (flags() & kHasMaxIdle) ? read_i64(idle_offset()) : 0; }
    void touch(std::int64_t now_ms) {
        if (flags() & kHasMaxIdle) write_i64(idle_offset(), now_ms);
    }
    bool expired(std::int64_t now_ms) const;

    // Bytes of the record itself (header, stored key and value), and what it occupies on the
    // heap, allocator overhead included.
    std::size_t stored_bytes() const { return key_offset() + stored_size(0) + stored_size(1); }
    std::size_t allocated_bytes() const;

    // True when `value` can overwrite the current value in place (same stored size and form,
    // same time fields).
    bool fits_in_place(std::string_view value, const Times& times) const;
    void overwrite_value(std::string_view value, const Times& times);

private:
    static constexpr std::uint8_t kHasExpiry = 1;
    static constexpr std::uint8_t kHasMaxIdle = 2;
    static constexpr std::uint8_t kShortSizes = 4;   // sizes are uint16
    static constexpr std::uint8_t kKeyPacked = 8;    // the key is stored packed
    static constexpr std::uint8_t kValuePacked = 16; // the value is stored packed
    static constexpr std::size_t kFlagsOffset = 4;
    static constexpr std::size_t kSizesOffset = 5;

    Record() = default;
    static std::uint8_t time_flags_for(const Times& times);

    std::uint8_t flags() const { return static_cast<std::uint8_t>(bytes()[kFlagsOffset]); }
    const char* bytes() const { return reinterpret_cast<const char*>(this); }
    char* bytes() { return reinterpret_cast<char*>(this); }
    static std::size_t times_offset(std::uint8_t f) { return kSizesOffset + ((f & kShortSizes) ? 4 : 8); }
    static std::size_t idle_offset(std::uint8_t f) { return times_offset(f) + ((f & kHasExpiry) ? 8 : 0); }
    static std::size_t key_offset(std::uint8_t f) { return idle_offset(f) + ((f & kHasMaxIdle) ? 16 : 0); }
    std::size_t times_offset() const { return times_offset(flags()); }
    std::size_t idle_offset() const { return idle_offset(flags()); }
    std::size_t key_offset() const { return key_offset(flags()); }
    std::size_t stored_size(int which) const;  // 0 = key, 1 = value
    std::string_view stored_key() const { return {bytes() + key_offset(), stored_size(0)}; }
    std::string_view stored_value() const {
        return {bytes() + key_offset() + stored_size(0), stored_size(1)};
    }
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
