#include "protocol/frame_reader.h"

#include "protocol/fixed_codec.h"

namespace shoal::protocol {
namespace {

// What one frame costs us beyond its content (the Frame and vector slot), counted against the
// message limit so a flood of empty frames is bounded too.
constexpr std::size_t kFrameOverhead = 48;

std::size_t cost_of(const Frame& frame) { return kFrameHeaderSize + kFrameOverhead + frame.content.size(); }

std::size_t cost_of(const ClientMessage& message) {
    std::size_t n = 0;
    for (const auto& f : message.frames) n += cost_of(f);
    return n;
}

}  // namespace

bool FrameReader::fail(std::string reason) {
    error_ = std::move(reason);
    partial_.clear();
    current_ = {};
    fragments_.clear();
    current_bytes_ = fragment_bytes_ = 0;
    return false;
}

bool FrameReader::feed(std::string_view bytes, std::vector<ClientMessage>& out) {
    if (failed()) return false;
    while (!bytes.empty()) {
        // The header first (at most 6 bytes held), then the content, taken straight from input
        // when it is all there.
        if (partial_.size() < kFrameHeaderSize) {
            const std::size_t take = std::min(kFrameHeaderSize - partial_.size(), bytes.size());
            partial_.append(bytes.substr(0, take));
            bytes.remove_prefix(take);
            if (partial_.size() < kFrameHeaderSize) return true;
            const auto length = read_le<std::int32_t>(partial_, 0);
            if (length < static_cast<std::int32_t>(kFrameHeaderSize)) {
                return fail("frame length " + std::to_string(length) + " is less than the 6-byte frame header");
            }
            if (static_cast<std::size_t>(length) + current_bytes_ + fragment_bytes_ > limits_.max_message_bytes) {
                return fail("frame of " + std::to_string(length) + " bytes makes the message exceed the limit of " +
                            std::to_string(limits_.max_message_bytes) + " bytes");
            }
        }
        const auto length = static_cast<std::size_t>(read_le<std::int32_t>(partial_, 0));
        const std::size_t take = std::min(length - partial_.size(), bytes.size());
        partial_.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        if (partial_.size() < length) return true;
        Frame frame;
        frame.flags = read_le<std::uint16_t>(partial_, 4);
        frame.content = partial_.substr(kFrameHeaderSize);
        partial_.clear();
        if (!on_frame(std::move(frame), out)) return false;
    }
    return true;
}

bool FrameReader::on_frame(Frame frame, std::vector<ClientMessage>& out) {
    current_bytes_ += cost_of(frame);
    if (current_.frames.size() >= limits_.max_frames_per_message) {
        return fail("message has more than " + std::to_string(limits_.max_frames_per_message) + " frames");
    }
    if (current_bytes_ + fragment_bytes_ > limits_.max_message_bytes) {
        return fail("message exceeds the limit of " + std::to_string(limits_.max_message_bytes) + " bytes");
    }
    const bool final = frame.has(flag::kIsFinal);
    current_.frames.push_back(std::move(frame));
    if (!final) return true;
    ClientMessage message = std::move(current_);
    current_ = {};
    current_bytes_ = 0;
    return on_message(std::move(message), out);
}

bool FrameReader::on_message(ClientMessage message, std::vector<ClientMessage>& out) {
    const std::uint16_t flags = message.frames[0].flags;
    if ((flags & flag::kUnfragmented) == flag::kUnfragmented) {
        out.push_back(std::move(message));
        return true;
    }
    // A fragment: its first frame carries the fragment id.
    if (message.frames[0].content.size() < 8) return fail("fragment without its 8-byte fragment id frame");
    const auto id = read_le<std::int64_t>(message.frames[0].content, 0);
    const bool begin = (flags & flag::kBeginFragment) != 0;
    const bool end = (flags & flag::kEndFragment) != 0;
    message.frames.erase(message.frames.begin());
    if (message.frames.empty()) return fail("fragment " + std::to_string(id) + " carries no frames");
    const std::size_t bytes = cost_of(message);
    auto it = fragments_.find(id);
    if (begin) {
        if (it != fragments_.end()) return fail("fragmented message " + std::to_string(id) + " begins twice");
        if (fragments_.size() >= limits_.max_fragmented_in_flight) {
            return fail("more than " + std::to_string(limits_.max_fragmented_in_flight) +
                        " fragmented messages in flight");
        }
        it = fragments_.emplace(id, ClientMessage{}).first;
    } else if (it == fragments_.end()) {
        return fail("fragment of unknown fragmented message " + std::to_string(id));
    }
    if (it->second.frames.size() + message.frames.size() > limits_.max_frames_per_message) {
        return fail("message has more than " + std::to_string(limits_.max_frames_per_message) + " frames");
    }
    fragment_bytes_ += bytes;
    if (fragment_bytes_ > limits_.max_message_bytes) {
        return fail("fragmented messages exceed the limit of " + std::to_string(limits_.max_message_bytes) + " bytes");
    }
    auto& gathered = it->second.frames;
    gathered.insert(gathered.end(), std::make_move_iterator(message.frames.begin()),
                    std::make_move_iterator(message.frames.end()));
    if (!end) return true;
    ClientMessage whole = std::move(it->second);
    fragments_.erase(it);
    fragment_bytes_ -= cost_of(whole);
    out.push_back(std::move(whole));
    return true;
}

}  // namespace shoal::protocol
