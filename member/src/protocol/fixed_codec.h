// Fixed-size fields of the client protocol at byte offsets: little-endian integers, booleans
// (1 byte, true = 1) and UUIDs (17 bytes: isNull, most significant long, least significant long).
// Callers check the bounds; these only move bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "util/uuid.h"

namespace shoal::protocol {

inline constexpr std::size_t kUuidSize = 17;

template <typename T>
T read_le(const std::string& s, std::size_t offset) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
        v |= std::uint64_t{static_cast<unsigned char>(s[offset + i])} << (8 * i);
    }
    return static_cast<T>(v);
}

template <typename T>
void write_le(std::string& s, std::size_t offset, T value) {
    const auto v = static_cast<std::uint64_t>(value);
    for (std::size_t i = 0; i < sizeof(T); ++i) s[offset + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

inline std::optional<util::Uuid> read_uuid(const std::string& s, std::size_t offset) {
    if (s[offset] != 0) return std::nullopt;
    return util::Uuid{read_le<std::uint64_t>(s, offset + 1), read_le<std::uint64_t>(s, offset + 9)};
}

inline void write_uuid(std::string& s, std::size_t offset, const std::optional<util::Uuid>& uuid) {
    s[offset] = uuid ? 0 : 1;
    write_le<std::uint64_t>(s, offset + 1, uuid ? uuid->most : 0);
    write_le<std::uint64_t>(s, offset + 9, uuid ? uuid->least : 0);
}

}  // namespace shoal::protocol
