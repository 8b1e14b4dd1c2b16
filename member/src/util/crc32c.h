// CRC-32C (Castagnoli): the checksum of every record the persistence log writes.
//
// The polynomial storage systems use (iSCSI, ext4, RocksDB), so a record's checksum can be
// checked with common tools; computed with the SSE4.2 instruction when the CPU has it.
#pragma once

#include <cstdint>
#include <string_view>

namespace shoal::util {

// Extends `crc` (0 to start) over `data`.
std::uint32_t crc32c(std::string_view data, std::uint32_t crc = 0);

}  // namespace shoal::util
