// ValueSource: the values SET writes, and the key names both protocols use.
//
// A handful of fixed-size values of pseudo-random printable bytes, chosen by key index, so the
// servers store real distinct bytes without the generator allocating per operation. Keys are
// "key:" and 10 zero-padded digits, the same text for RESP and (as a Java String) Hazelcast.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shoal::bench {

class ValueSource {
public:
    explicit ValueSource(std::size_t size, std::uint64_t seed = 42, std::size_t variants = 16);
    std::string_view value_for(std::uint64_t key_index) const { return values_[key_index % values_.size()]; }
    std::size_t size() const { return size_; }

private:
    std::size_t size_;
    std::vector<std::string> values_;
};

inline constexpr std::size_t kKeyLength = 14;  // "key:" + 10 digits

// Writes the key's name into out[0..kKeyLength).
void format_key(std::uint64_t index, char* out);
std::string key_name(std::uint64_t index);

}  // namespace shoal::bench
