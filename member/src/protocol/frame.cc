#include "protocol/frame.h"

#include "protocol/fixed_codec.h"

namespace shoal::protocol {

std::int32_t ClientMessage::type() const {
    return has_header(kTypeOffset + 4) ? read_le<std::int32_t>(frames[0].content, kTypeOffset) : 0;
}

std::int64_t ClientMessage::correlation_id() const {
    return has_header(kCorrelationIdOffset + 8) ? read_le<std::int64_t>(frames[0].content, kCorrelationIdOffset) : -1;
}

std::int32_t ClientMessage::partition_id() const {
    return has_header(kPartitionIdOffset + 4) ? read_le<std::int32_t>(frames[0].content, kPartitionIdOffset) : -1;
}

std::size_t ClientMessage::wire_size() const {
    std::size_t n = 0;
    for (const auto& f : frames) n += kFrameHeaderSize + f.content.size();
    return n;
}

void append_wire(std::string& out, const ClientMessage& message) {
    out.reserve(out.size() + message.wire_size());
    for (std::size_t i = 0; i < message.frames.size(); ++i) {
        const Frame& f = message.frames[i];
        const std::size_t at = out.size();
        out.resize(at + kFrameHeaderSize);
        write_le<std::int32_t>(out, at, static_cast<std::int32_t>(kFrameHeaderSize + f.content.size()));
        const bool last = i + 1 == message.frames.size();
        write_le<std::uint16_t>(out, at + 4, static_cast<std::uint16_t>(last ? f.flags | flag::kIsFinal : f.flags));
        out.append(f.content);
    }
}

std::string to_wire(const ClientMessage& message) {
    std::string out;
    append_wire(out, message);
    return out;
}

}  // namespace shoal::protocol
