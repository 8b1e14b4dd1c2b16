#include "value_source.h"

#include "key_chooser.h"

namespace shoal::bench {

ValueSource::ValueSource(std::size_t size, std::uint64_t seed, std::size_t variants) : size_(size) {
    Random random(seed);
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (std::size_t v = 0; v < variants; ++v) {
        std::string value(size, '\0');
        for (auto& c : value) c = kAlphabet[random.below(sizeof kAlphabet - 1)];
        values_.push_back(std::move(value));
    }
}

void format_key(std::uint64_t index, char* out) {
    out[0] = 'k';
    out[1] = 'e';
    out[2] = 'y';
    out[3] = ':';
    for (int i = 13; i >= 4; --i) {
        out[i] = static_cast<char>('0' + index % 10);
        index /= 10;
    }
}

std::string key_name(std::uint64_t index) {
    std::string key(kKeyLength, '\0');
    format_key(index, key.data());
    return key;
}

}  // namespace shoal::bench
