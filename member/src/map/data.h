// Data: a key or value as Hazelcast clients serialize it, kept as opaque bytes.
//
// Layout (big-endian inside): [0..3] partition hash (0 = none given), [4..7] serializer type id,
// [8..] payload. Shoal stores these bytes as they come, so every client serialization round-trips,
// and computes a key's partition from them exactly as the clients do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shoal::map {

// Serializer type ids of Hazelcast's built-in serializers that Shoal reads or writes itself.
namespace type_id {
inline constexpr std::int32_t kNull = 0;
inline constexpr std::int32_t kIdentified = -2;
inline constexpr std::int32_t kBoolean = -4;
inline constexpr std::int32_t kInteger = -7;
inline constexpr std::int32_t kLong = -8;
inline constexpr std::int32_t kDouble = -10;
inline constexpr std::int32_t kString = -11;
inline constexpr std::int32_t kByteArray = -12;
inline constexpr std::int32_t kJsonValue = -130;
}  // namespace type_id

inline constexpr std::size_t kDataHeaderSize = 8;
// Seed of the partition hash, as in Hazelcast's HashUtil.
inline constexpr std::uint32_t kPartitionHashSeed = 0x01000193;

// True when `bytes` is long enough to be a Data (header present).
inline bool is_valid_data(std::string_view bytes) { return bytes.size() >= kDataHeaderSize; }

std::int32_t read_int32_be(std::string_view bytes, std::size_t offset);
void append_int32_be(std::string& out, std::int32_t value);
void append_int64_be(std::string& out, std::int64_t value);

// The serializer type id of a Data. Precondition: is_valid_data(data).
inline std::int32_t data_type(std::string_view data) { return read_int32_be(data, 4); }

// The partition hash: the header's if non-zero, else MurmurHash3 of the payload.
std::int32_t partition_hash(std::string_view data);

// hash -> partition id as Hazelcast does: abs(hash) % count, with INT32_MIN mapping to 0.
int partition_id_of_hash(std::int32_t hash, int partition_count);

inline int partition_id(std::string_view data, int partition_count) {
    return partition_id_of_hash(partition_hash(data), partition_count);
}

// A key's identity: the bytes after the partition hash (type id + payload). Two keys are the
// same entry exactly when these bytes are equal, whatever partition hash each carried.
inline std::string_view key_identity(std::string_view data) { return data.substr(4); }

// Builders and readers for the types the REST API and shoalctl produce.
std::string string_data(std::string_view utf8);        // java.lang.String
std::string bytes_data(std::string_view bytes);        // byte[]
std::string json_data(std::string_view json);          // HazelcastJsonValue
std::string long_data(std::int64_t value);             // java.lang.Long
std::optional<std::string> read_string_payload(std::string_view data);  // String or JSON value
std::optional<std::string> read_bytes_payload(std::string_view data);   // byte[]

}  // namespace shoal::map
