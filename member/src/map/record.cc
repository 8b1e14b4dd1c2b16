#include "map/record.h"

#include <malloc.h>

#include <cstdlib>
#include <new>

namespace shoal::map {

std::uint8_t Record::flags_for(const Times& times) {
    std::uint8_t flags = 0;
    if (times.expire_at_ms > 0) flags |= kHasExpiry;
    if (times.max_idle_ms > 0) flags |= kHasMaxIdle;
    return flags;
}

std::size_t Record::header_size(std::uint8_t flags) {
    std::size_t size = 13;
    if (flags & kHasExpiry) size += 8;
    if (flags & kHasMaxIdle) size += 16;
    return size;
}

Record* Record::create(std::uint32_t hash, std::string_view key, std::string_view value,
                       const Times& times) {
    const std::uint8_t flags = flags_for(times);
    const std::size_t total = header_size(flags) + key.size() + value.size();
    // malloc, not new: the size is dynamic and the object has no constructor to run.
    void* memory = std::malloc(total);
    if (memory == nullptr) throw std::bad_alloc();
    auto* record = static_cast<Record*>(memory);
    char* p = record->bytes();
    const auto key_size = static_cast<std::uint32_t>(key.size());
    const auto value_size = static_cast<std::uint32_t>(value.size());
    std::memcpy(p, &hash, 4);
    std::memcpy(p + 4, &key_size, 4);
    std::memcpy(p + 8, &value_size, 4);
    p[12] = static_cast<char>(flags);
    record->write_times(times);
    std::memcpy(p + header_size(flags), key.data(), key.size());
    std::memcpy(p + header_size(flags) + key.size(), value.data(), value.size());
    return record;
}

void Record::destroy(Record* record) noexcept { std::free(record); }

void Record::write_times(const Times& times) {
    if (flags() & kHasExpiry) write_i64(13, times.expire_at_ms);
    if (flags() & kHasMaxIdle) {
        write_i64(idle_offset(), times.now_ms);
        write_i64(idle_offset() + 8, times.max_idle_ms);
    }
}

bool Record::expired(std::int64_t now_ms) const {
    const std::uint8_t f = flags();
    if ((f & kHasExpiry) && now_ms >= read_i64(13)) return true;
    if ((f & kHasMaxIdle) && now_ms - read_i64(idle_offset()) >= read_i64(idle_offset() + 8)) return true;
    return false;
}

std::size_t Record::allocated_bytes() const {
    return malloc_usable_size(const_cast<Record*>(this)) + sizeof(std::size_t);
}

bool Record::fits_in_place(std::string_view value, const Times& times) const {
    return value.size() == read_u32(8) && flags_for(times) == flags();
}

void Record::overwrite_value(std::string_view value, const Times& times) {
    std::memcpy(bytes() + key_offset() + read_u32(4), value.data(), value.size());
    write_times(times);
}

}  // namespace shoal::map
