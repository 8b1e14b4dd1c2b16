// Fuzzes the packed form of stored keys and values (map/compact_data.h) with arbitrary bytes, as
// clients may send any: whatever packs must unpack to the same bytes and compare equal to them,
// and to nothing that differs. A violation aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "map/compact_data.h"

using shoal::map::compact::Shape;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const Shape shape = (data[0] & 1) ? Shape::kKeyIdentity : Shape::kValueData;
    const std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    if (!shoal::map::compact::packable(shape, bytes)) return 0;
    std::string packed(bytes.size() - shoal::map::compact::saved_bytes(shape), '\0');
    shoal::map::compact::pack(shape, bytes, packed.data());
    std::string back(bytes.size(), '\0');
    shoal::map::compact::unpack(shape, packed, back.data());
    if (back != bytes || !shoal::map::compact::equals(shape, packed, bytes)) std::abort();
    std::string other = bytes;
    other[other.size() / 2] = static_cast<char>(other[other.size() / 2] ^ 0x5a);
    if (shoal::map::compact::equals(shape, packed, other)) std::abort();
    return 0;
}
