// Frame and ClientMessage: the Hazelcast Open Client Protocol 2.x message as frames.
//
// On the wire a frame is int32 length (little-endian, counting its 6-byte header) | uint16
// flags | content; a message is frames up to the one flagged IS_FINAL. The first (initial)
// frame holds the header: message type @0, correlation id @4, then the partition id @12 in
// requests and events, or the backup-ack count @12 in responses; fixed-size parameters follow.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shoal::protocol {

namespace flag {
inline constexpr std::uint16_t kBeginFragment = 0x8000;
inline constexpr std::uint16_t kEndFragment = 0x4000;
inline constexpr std::uint16_t kUnfragmented = kBeginFragment | kEndFragment;
inline constexpr std::uint16_t kIsFinal = 0x2000;
inline constexpr std::uint16_t kBeginDataStructure = 0x1000;
inline constexpr std::uint16_t kEndDataStructure = 0x0800;
inline constexpr std::uint16_t kIsNull = 0x0400;
inline constexpr std::uint16_t kIsEvent = 0x0200;
inline constexpr std::uint16_t kBackupAware = 0x0100;
inline constexpr std::uint16_t kBackupEvent = 0x0080;
}  // namespace flag

inline constexpr std::size_t kFrameHeaderSize = 6;  // int32 length + uint16 flags
inline constexpr std::size_t kTypeOffset = 0;
inline constexpr std::size_t kCorrelationIdOffset = 4;
inline constexpr std::size_t kPartitionIdOffset = 12;  // requests and events
inline constexpr std::size_t kBackupAcksOffset = 12;   // responses
inline constexpr std::size_t kRequestHeaderSize = 16;  // fixed request parameters start here
inline constexpr std::size_t kResponseHeaderSize = 13;
inline constexpr std::size_t kEventHeaderSize = 16;

struct Frame {
    std::uint16_t flags = 0;
    std::string content;

    bool has(std::uint16_t f) const { return (flags & f) == f; }
    bool is_null() const { return has(flag::kIsNull); }
    bool is_begin() const { return has(flag::kBeginDataStructure); }
    bool is_end() const { return has(flag::kEndDataStructure); }
    friend bool operator==(const Frame&, const Frame&) = default;
};

struct ClientMessage {
    std::vector<Frame> frames;  // frames[0] is the initial frame

    // Header fields; 0 / -1 when the initial frame is too short to hold them.
    std::int32_t type() const;
    std::int64_t correlation_id() const;
    std::int32_t partition_id() const;
    bool has_header(std::size_t size) const { return !frames.empty() && frames[0].content.size() >= size; }
    std::size_t wire_size() const;
};

// Appends the message as wire bytes; the last frame gets IS_FINAL.
void append_wire(std::string& out, const ClientMessage& message);
std::string to_wire(const ClientMessage& message);

}  // namespace shoal::protocol
