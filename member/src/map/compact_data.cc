#include "map/compact_data.h"

#include <cstdint>
#include <cstring>

namespace shoal::map::compact {
namespace {

// Where the type id and the length prefix sit in each shape.
constexpr std::size_t type_offset(Shape shape) { return shape == Shape::kKeyIdentity ? 0 : 4; }
constexpr std::size_t prefix_size(Shape shape) { return type_offset(shape) + 8; }
static_assert(saved_bytes(Shape::kKeyIdentity) == prefix_size(Shape::kKeyIdentity) - 1);
static_assert(saved_bytes(Shape::kValueData) == prefix_size(Shape::kValueData) - 1);

std::uint32_t read_be(const char* p) {
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    return std::uint32_t(u[0]) << 24 | std::uint32_t(u[1]) << 16 | std::uint32_t(u[2]) << 8 | u[3];
}

void write_be(char* p, std::uint32_t v) {
    p[0] = static_cast<char>(v >> 24);
    p[1] = static_cast<char>(v >> 16);
    p[2] = static_cast<char>(v >> 8);
    p[3] = static_cast<char>(v);
}

// The implied prefix of a packed form whose type byte is `type` and body is `body_size` long.
void write_prefix(Shape shape, char type, std::size_t body_size, char* out) {
    if (shape == Shape::kValueData) std::memset(out, 0, 4);
    const auto type_id = static_cast<std::int32_t>(static_cast<std::int8_t>(type));
    write_be(out + type_offset(shape), static_cast<std::uint32_t>(type_id));
    write_be(out + type_offset(shape) + 4, static_cast<std::uint32_t>(body_size));
}

}  // namespace

bool packable(Shape shape, std::string_view bytes) {
    const std::size_t prefix = prefix_size(shape);
    if (bytes.size() < prefix || bytes.size() - prefix > INT32_MAX) return false;
    if (shape == Shape::kValueData && read_be(bytes.data()) != 0) return false;
    const auto type_id = static_cast<std::int32_t>(read_be(bytes.data() + type_offset(shape)));
    if (type_id < INT8_MIN || type_id > INT8_MAX) return false;
    return read_be(bytes.data() + type_offset(shape) + 4) == bytes.size() - prefix;
}

void pack(Shape shape, std::string_view bytes, char* out) {
    const std::size_t prefix = prefix_size(shape);
    out[0] = bytes[type_offset(shape) + 3];  // the low byte of a type id in int8 range
    std::memcpy(out + 1, bytes.data() + prefix, bytes.size() - prefix);
}

void unpack(Shape shape, std::string_view packed, char* out) {
    const std::size_t body = packed.size() - 1;
    write_prefix(shape, packed[0], body, out);
    std::memcpy(out + prefix_size(shape), packed.data() + 1, body);
}

bool equals(Shape shape, std::string_view packed, std::string_view bytes) {
    const std::size_t prefix = prefix_size(shape);
    if (bytes.size() != packed.size() + saved_bytes(shape)) return false;
    char implied[12];
    write_prefix(shape, packed[0], packed.size() - 1, implied);
    return std::memcmp(implied, bytes.data(), prefix) == 0 &&
           std::memcmp(packed.data() + 1, bytes.data() + prefix, packed.size() - 1) == 0;
}

}  // namespace shoal::map::compact
