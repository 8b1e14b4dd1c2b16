#include "map/record.h"

#include <malloc.h>

#include <cstdlib>
#include <new>

#include "map/compact_data.h"

namespace shoal::map {
namespace {

using compact::Shape;

// How one key or value is stored: packed when its prefix is implied, else as given.
struct StoredForm {
    bool packed;
    std::size_t size;
};

StoredForm stored_form(Shape shape, std::string_view bytes) {
    if (compact::packable(shape, bytes)) return {true, bytes.size() - compact::saved_bytes(shape)};
    return {false, bytes.size()};
}

void store(Shape shape, const StoredForm& form, std::string_view bytes, char* out) {
    if (form.packed) {
        compact::pack(shape, bytes, out);
    } else {
        std::memcpy(out, bytes.data(), bytes.size());
    }
}

void unstore(Shape shape, bool packed, std::string_view stored, std::string& out) {
    out.resize(packed ? stored.size() + compact::saved_bytes(shape) : stored.size());
    if (packed) {
        compact::unpack(shape, stored, out.data());
    } else {
        std::memcpy(out.data(), stored.data(), stored.size());
    }
}

bool stored_equals(Shape shape, bool packed, std::string_view stored, std::string_view bytes) {
    return packed ? compact::equals(shape, stored, bytes) : stored == bytes;
}

void write_u16(char* p, std::size_t v) {
    const auto u = static_cast<std::uint16_t>(v);
    std::memcpy(p, &u, 2);
}

void write_u32(char* p, std::size_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    std::memcpy(p, &u, 4);
}

}  // namespace

std::uint8_t Record::time_flags_for(const Times& times) {
    std::uint8_t flags = 0;
    if (times.expire_at_ms > 0) flags |= kHasExpiry;
    if (times.max_idle_ms > 0) flags |= kHasMaxIdle;
    return flags;
}

std::size_t Record::stored_size(int which) const {
    if (flags() & kShortSizes) {
        std::uint16_t v;
        std::memcpy(&v, bytes() + kSizesOffset + 2 * which, 2);
        return v;
    }
    return read_u32(kSizesOffset + 4 * which);
}

Record* Record::create(std::uint32_t hash, std::string_view key, std::string_view value,
                       const Times& times) {
    const StoredForm key_form = stored_form(Shape::kKeyIdentity, key);
    const StoredForm value_form = stored_form(Shape::kValueData, value);
    std::uint8_t flags = time_flags_for(times);
    if (key_form.size <= UINT16_MAX && value_form.size <= UINT16_MAX) flags |= kShortSizes;
    if (key_form.packed) flags |= kKeyPacked;
    if (value_form.packed) flags |= kValuePacked;

    const std::size_t key_offset = Record::key_offset(flags);
    const std::size_t total = key_offset + key_form.size + value_form.size;

    // malloc, not new: the size is dynamic and the object has no constructor to run.
    void* memory = std::malloc(total);
    if (memory == nullptr) throw std::bad_alloc();
    auto* record = static_cast<Record*>(memory);
    char* p = record->bytes();
    std::memcpy(p, &hash, 4);
    p[kFlagsOffset] = static_cast<char>(flags);
    if (flags & kShortSizes) {
        write_u16(p + kSizesOffset, key_form.size);
        write_u16(p + kSizesOffset + 2, value_form.size);
    } else {
        write_u32(p + kSizesOffset, key_form.size);
        write_u32(p + kSizesOffset + 4, value_form.size);
    }
    record->write_times(times);
    store(Shape::kKeyIdentity, key_form, key, p + key_offset);
    store(Shape::kValueData, value_form, value, p + key_offset + key_form.size);
    return record;
}

void Record::destroy(Record* record) noexcept { std::free(record); }

std::size_t Record::key_size() const {
    return stored_size(0) + ((flags() & kKeyPacked) ? compact::saved_bytes(Shape::kKeyIdentity) : 0);
}

std::size_t Record::value_size() const {
    return stored_size(1) + ((flags() & kValuePacked) ? compact::saved_bytes(Shape::kValueData) : 0);
}

bool Record::key_equals(std::string_view key) const {
    return stored_equals(Shape::kKeyIdentity, flags() & kKeyPacked, stored_key(), key);
}

bool Record::value_equals(std::string_view value) const {
    return stored_equals(Shape::kValueData, flags() & kValuePacked, stored_value(), value);
}

void Record::copy_key_to(std::string& out) const {
    unstore(Shape::kKeyIdentity, flags() & kKeyPacked, stored_key(), out);
}

void Record::copy_value_to(std::string& out) const {
    unstore(Shape::kValueData, flags() & kValuePacked, stored_value(), out);
}

std::string Record::value_string() const {
    std::string out;
    copy_value_to(out);
    return out;
}

void Record::write_times(const Times& times) {
    if (flags() & kHasExpiry) write_i64(times_offset(), times.expire_at_ms);
    if (flags() & kHasMaxIdle) {
        write_i64(idle_offset(), times.now_ms);
        write_i64(idle_offset() + 8, times.max_idle_ms);
    }
}

bool Record::expired(std::int64_t now_ms) const {
    const std::uint8_t f = flags();
    if ((f & kHasExpiry) && now_ms >= read_i64(times_offset())) return true;
    if ((f & kHasMaxIdle) && now_ms - read_i64(idle_offset()) >= read_i64(idle_offset() + 8)) return true;
    return false;
}

std::size_t Record::allocated_bytes() const {
    return malloc_usable_size(const_cast<Record*>(this)) + sizeof(std::size_t);
}

bool Record::fits_in_place(std::string_view value, const Times& times) const {
    const StoredForm form = stored_form(Shape::kValueData, value);
    const bool packed = (flags() & kValuePacked) != 0;
    return form.packed == packed && form.size == stored_size(1) &&
           time_flags_for(times) == (flags() & (kHasExpiry | kHasMaxIdle));
}

void Record::overwrite_value(std::string_view value, const Times& times) {
    store(Shape::kValueData, stored_form(Shape::kValueData, value), value,
          bytes() + key_offset() + stored_size(0));
    write_times(times);
}

}  // namespace shoal::map
