#include "map/data.h"

#include "util/murmur3.h"

namespace shoal::map {

std::int32_t read_int32_be(std::string_view bytes, std::size_t offset) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + offset;
    return static_cast<std::int32_t>(std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 |
                                     std::uint32_t(p[2]) << 8 | std::uint32_t(p[3]));
}

void append_int32_be(std::string& out, std::int32_t value) {
    const auto v = static_cast<std::uint32_t>(value);
    out.push_back(static_cast<char>(v >> 24));
    out.push_back(static_cast<char>(v >> 16));
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v));
}

void append_int64_be(std::string& out, std::int64_t value) {
    append_int32_be(out, static_cast<std::int32_t>(static_cast<std::uint64_t>(value) >> 32));
    append_int32_be(out, static_cast<std::int32_t>(static_cast<std::uint64_t>(value)));
}

std::int32_t partition_hash(std::string_view data) {
    if (data.size() < kDataHeaderSize) {
        return util::murmur3_x86_32(data.data(), data.size(), kPartitionHashSeed);
    }
    const std::int32_t given = read_int32_be(data, 0);
    if (given != 0) return given;
    return util::murmur3_x86_32(data.data() + kDataHeaderSize, data.size() - kDataHeaderSize,
                                kPartitionHashSeed);
}

int partition_id_of_hash(std::int32_t hash, int partition_count) {
    if (hash == INT32_MIN) return 0;
    const std::int32_t positive = hash < 0 ? -hash : hash;
    return static_cast<int>(positive % partition_count);
}

namespace {

std::string typed_with_length(std::int32_t type, std::string_view payload) {
    std::string out;
    out.reserve(kDataHeaderSize + 4 + payload.size());
    append_int32_be(out, 0);
    append_int32_be(out, type);
    append_int32_be(out, static_cast<std::int32_t>(payload.size()));
    out.append(payload);
    return out;
}

std::optional<std::string> length_prefixed_payload(std::string_view data) {
    if (data.size() < kDataHeaderSize + 4) return std::nullopt;
    const std::int32_t length = read_int32_be(data, kDataHeaderSize);
    if (length < 0 || static_cast<std::size_t>(length) != data.size() - kDataHeaderSize - 4) {
        return std::nullopt;
    }
    return std::string(data.substr(kDataHeaderSize + 4));
}

}  // namespace

std::string string_data(std::string_view utf8) { return typed_with_length(type_id::kString, utf8); }
std::string bytes_data(std::string_view bytes) { return typed_with_length(type_id::kByteArray, bytes); }
std::string json_data(std::string_view json) { return typed_with_length(type_id::kJsonValue, json); }

std::string long_data(std::int64_t value) {
    std::string out;
    append_int32_be(out, 0);
    append_int32_be(out, type_id::kLong);
    append_int64_be(out, value);
    return out;
}

std::optional<std::string> read_string_payload(std::string_view data) {
    if (!is_valid_data(data)) return std::nullopt;
    const auto type = data_type(data);
    if (type != type_id::kString && type != type_id::kJsonValue) return std::nullopt;
    return length_prefixed_payload(data);
}

std::optional<std::string> read_bytes_payload(std::string_view data) {
    if (!is_valid_data(data) || data_type(data) != type_id::kByteArray) return std::nullopt;
    return length_prefixed_payload(data);
}

}  // namespace shoal::map
