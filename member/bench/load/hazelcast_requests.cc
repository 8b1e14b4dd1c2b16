#include "hazelcast_requests.h"

#include <cstring>

#include "protocol/frame.h"

namespace shoal::bench::hazelcast {
namespace {

namespace flag = protocol::flag;

template <typename T>
void put_le(std::string& out, T v) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &v, sizeof(T));  // x86-64: little-endian
    out.append(bytes, sizeof(T));
}

void put_be32(std::string& out, std::int32_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    const char bytes[4] = {static_cast<char>(u >> 24), static_cast<char>(u >> 16), static_cast<char>(u >> 8),
                           static_cast<char>(u)};
    out.append(bytes, 4);
}

void frame_header(std::string& out, std::size_t content, std::uint16_t flags) {
    put_le<std::int32_t>(out, static_cast<std::int32_t>(protocol::kFrameHeaderSize + content));
    put_le<std::uint16_t>(out, flags);
}

void data_frame(std::string& out, std::string_view content, bool last) {
    frame_header(out, content.size(), last ? flag::kIsFinal : 0);
    out.append(content);
}

void initial_frame(std::string& out, std::int32_t type, std::int64_t correlation_id, std::int32_t partition_id,
                   std::size_t fixed) {
    frame_header(out, protocol::kRequestHeaderSize + fixed, flag::kUnfragmented);
    put_le<std::int32_t>(out, type);
    put_le<std::int64_t>(out, correlation_id);
    put_le<std::int32_t>(out, partition_id);
}

void typed(std::string& out, std::int32_t type, std::string_view payload) {
    put_be32(out, 0);
    put_be32(out, type);
    put_be32(out, static_cast<std::int32_t>(payload.size()));
    out.append(payload);
}

}  // namespace

void append_string_data(std::string& out, std::string_view text) { typed(out, -11, text); }
void append_bytes_data(std::string& out, std::string_view bytes) { typed(out, -12, bytes); }

void append_map_get(std::string& out, std::int64_t correlation_id, std::int32_t partition_id, std::string_view name,
                    std::string_view key_data) {
    initial_frame(out, kMapGet, correlation_id, partition_id, 8);
    put_le<std::int64_t>(out, 1);  // thread id
    data_frame(out, name, false);
    data_frame(out, key_data, true);
}

void append_map_set(std::string& out, std::int64_t correlation_id, std::int32_t partition_id, std::string_view name,
                    std::string_view key_data, std::string_view value_data) {
    initial_frame(out, kMapSet, correlation_id, partition_id, 16);
    put_le<std::int64_t>(out, 1);   // thread id
    put_le<std::int64_t>(out, -1);  // ttl: the map's default
    data_frame(out, name, false);
    data_frame(out, key_data, false);
    data_frame(out, value_data, true);
}

}  // namespace shoal::bench::hazelcast
