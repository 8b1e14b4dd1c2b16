// MurmurHash3 x86_32: the hash Hazelcast uses to place a key in a partition.
#pragma once

#include <cstddef>
#include <cstdint>

namespace shoal::util {

// Austin Appleby's MurmurHash3_x86_32 over `size` bytes, reading 4-byte blocks little-endian.
std::int32_t murmur3_x86_32(const void* data, std::size_t size, std::uint32_t seed);

}  // namespace shoal::util
