// FrameReader: turns the byte stream of a client connection into whole ClientMessages.
//
// It parses frames (int32 length, uint16 flags, content) up to IS_FINAL and reassembles
// fragmented messages (each fragment starts with an int64 fragment-id frame flagged
// BEGIN_FRAGMENT, none, or END_FRAGMENT). Everything a peer can make it hold is bounded: one
// frame, one message, the fragmented messages in flight and their bytes together. A violation
// is reported once as an error text and the reader stays failed: the connection must close,
// since the stream cannot be re-synchronised.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/frame.h"

namespace shoal::protocol {

struct FrameLimits {
    std::size_t max_message_bytes = 64u << 20;  // one message (or all fragments in flight), on the wire
    std::size_t max_frames_per_message = 1u << 20;
    std::size_t max_fragmented_in_flight = 16;
};

class FrameReader {
public:
    explicit FrameReader(FrameLimits limits = {}) : limits_(limits) {}

    // Consumes `bytes`; appends each completed message to `out`. Returns false (and sets
    // error()) on malformed or oversized input; every later call fails at once.
    bool feed(std::string_view bytes, std::vector<ClientMessage>& out);

    const std::string& error() const { return error_; }
    bool failed() const { return !error_.empty(); }
    // Bytes held for messages not complete yet (the session reports it; tests bound it).
    std::size_t held_bytes() const { return partial_.size() + current_bytes_ + fragment_bytes_; }

private:
    bool fail(std::string reason);
    bool on_frame(Frame frame, std::vector<ClientMessage>& out);
    bool on_message(ClientMessage message, std::vector<ClientMessage>& out);

    FrameLimits limits_;
    std::string error_;
    std::string partial_;       // bytes of a frame not complete yet
    ClientMessage current_;     // frames of a message (or fragment) before IS_FINAL
    std::size_t current_bytes_ = 0;
    std::map<std::int64_t, ClientMessage> fragments_;  // fragment id -> frames gathered so far
    std::size_t fragment_bytes_ = 0;
};

}  // namespace shoal::protocol
