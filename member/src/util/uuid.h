// Uuid: a 128-bit id (member, cluster), printed in the canonical 8-4-4-4-12 form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shoal::util {

struct Uuid {
    std::uint64_t most = 0;
    std::uint64_t least = 0;

    static Uuid random();  // version 4
    static std::optional<Uuid> parse(std::string_view text);
    std::string to_string() const;
    bool is_nil() const { return most == 0 && least == 0; }
    friend bool operator==(const Uuid&, const Uuid&) = default;
};

}  // namespace shoal::util
