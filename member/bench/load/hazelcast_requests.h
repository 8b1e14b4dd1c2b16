// The Hazelcast-protocol requests the load generator sends, encoded straight into a write
// buffer: the same bytes protocol::encode_request + append_wire produce for Map.Get and Map.Set
// (bench_hazelcast_requests_test.cc checks that), without building frames per request.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace shoal::bench::hazelcast {

inline constexpr std::int32_t kMapGet = 0x010200;
inline constexpr std::int32_t kMapSet = 0x010F00;

// A java.lang.String key's Data (partition hash 0, type -11, int32 length, UTF-8).
void append_string_data(std::string& out, std::string_view text);
// A byte[] value's Data (type -12).
void append_bytes_data(std::string& out, std::string_view bytes);

// Map.Get(name, key, threadId) and Map.Set(name, key, value, threadId, ttl = -1: the map's default).
void append_map_get(std::string& out, std::int64_t correlation_id, std::int32_t partition_id,
                    std::string_view name, std::string_view key_data);
void append_map_set(std::string& out, std::int64_t correlation_id, std::int32_t partition_id,
                    std::string_view name, std::string_view key_data, std::string_view value_data);

}  // namespace shoal::bench::hazelcast
