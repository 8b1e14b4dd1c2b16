#include "util/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace shoal::util {
namespace {

constexpr std::uint32_t kReflectedPolynomial = 0x82f63b78;

constexpr std::array<std::uint32_t, 256> make_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int bit = 0; bit < 8; ++bit) c = (c & 1) ? (c >> 1) ^ kReflectedPolynomial : c >> 1;
        table[i] = c;
    }
    return table;
}

constexpr auto kTable = make_table();

std::uint32_t crc32c_portable(std::string_view data, std::uint32_t crc) {
    for (unsigned char byte : data) crc = kTable[(crc ^ byte) & 0xff] ^ (crc >> 8);
    return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) std::uint32_t crc32c_sse42(std::string_view data, std::uint32_t crc) {
    const char* p = data.data();
    std::size_t n = data.size();
    std::uint64_t c = crc;
    for (; n >= 8; p += 8, n -= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        c = _mm_crc32_u64(c, word);
    }
    auto c32 = static_cast<std::uint32_t>(c);
    for (; n > 0; ++p, --n) c32 = _mm_crc32_u8(c32, static_cast<unsigned char>(*p));
    return c32;
}

bool has_sse42() {
    static const bool has = __builtin_cpu_supports("sse4.2");
    return has;
}
#endif

}  // namespace

std::uint32_t crc32c(std::string_view data, std::uint32_t crc) {
    crc = ~crc;
#if defined(__x86_64__)
    if (has_sse42()) return ~crc32c_sse42(data, crc);
#endif
    return ~crc32c_portable(data, crc);
}

}  // namespace shoal::util
