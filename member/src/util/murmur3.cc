// MurmurHash3 x86_32, written from the public algorithm description (public domain).
#include "util/murmur3.h"

#include <cstring>

namespace shoal::util {
namespace {

constexpr std::uint32_t kC1 = 0xcc9e2d51;
constexpr std::uint32_t kC2 = 0x1b873593;

constexpr std::uint32_t rotl32(std::uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

constexpr std::uint32_t fmix32(std::uint32_t h) {
    h ^= h >> 16;
    h *= 0x85ebca6b;
    h ^= h >> 13;
    h *= 0xc2b2ae35;
    h ^= h >> 16;
    return h;
}

std::uint32_t mix_block(std::uint32_t k) {
    k *= kC1;
    k = rotl32(k, 15);
    return k * kC2;
}

}  // namespace

std::int32_t murmur3_x86_32(const void* data, std::size_t size, std::uint32_t seed) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    const std::size_t block_count = size / 4;
    std::uint32_t h = seed;

    for (std::size_t i = 0; i < block_count; ++i) {
        const unsigned char* p = bytes + i * 4;
        // Little-endian read regardless of the host's byte order.
        std::uint32_t k = std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 |
                          std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
        h ^= mix_block(k);
        h = rotl32(h, 13);
        h = h * 5 + 0xe6546b64;
    }

    const unsigned char* tail = bytes + block_count * 4;
    std::uint32_t k = 0;
    switch (size & 3) {
        case 3: k ^= std::uint32_t(tail[2]) << 16; [[fallthrough]];
        case 2: k ^= std::uint32_t(tail[1]) << 8; [[fallthrough]];
        case 1:
            k ^= tail[0];
            h ^= mix_block(k);
    }

    h ^= static_cast<std::uint32_t>(size);
    return static_cast<std::int32_t>(fmix32(h));
}

}  // namespace shoal::util
