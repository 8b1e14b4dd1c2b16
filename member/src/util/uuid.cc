#include "util/uuid.h"

#include <random>

namespace shoal::util {

Uuid Uuid::random() {
    static thread_local std::mt19937_64 engine{std::random_device{}()};
    Uuid id{engine(), engine()};
    id.most = (id.most & ~0xF000ull) | 0x4000ull;                    // version 4
    id.least = (id.least & ~(0xC0ull << 56)) | (0x80ull << 56);      // IETF variant
    return id;
}

std::string Uuid::to_string() const {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    auto put = [&](std::uint64_t v, int from_nibble, int count) {
        for (int i = from_nibble; i > from_nibble - count; --i) out.push_back(kHex[(v >> (i * 4)) & 0xF]);
    };
    put(most, 15, 8);
    out.push_back('-');
    put(most, 7, 4);
    out.push_back('-');
    put(most, 3, 4);
    out.push_back('-');
    put(least, 15, 4);
    out.push_back('-');
    put(least, 11, 12);
    return out;
}

std::optional<Uuid> Uuid::parse(std::string_view text) {
    if (text.size() != 36) return std::nullopt;
    Uuid id;
    int nibbles = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return std::nullopt;
            continue;
        }
        int v;
        if (c >= '0' && c <= '9') v = c - '0';
        else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
        else return std::nullopt;
        std::uint64_t& half = nibbles < 16 ? id.most : id.least;
        half = (half << 4) | static_cast<std::uint64_t>(v);
        ++nibbles;
    }
    return id;
}

}  // namespace shoal::util
