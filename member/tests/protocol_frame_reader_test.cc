// FrameReader: messages split anywhere, several per read, fragments reassembled (interleaved
// too), and every bound enforced with a clear error that leaves the reader failed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/client_messages.h"
#include "protocol/fixed_codec.h"
#include "protocol/frame_reader.h"
#include "protocol/map_messages.h"

namespace shoal::protocol {
namespace {

ClientMessage sample(std::int64_t correlation_id, std::size_t value_bytes = 10) {
    return encode_request(map::KeyValueTtlRequest<map::Put>{"m", std::string(12, 'k'), std::string(value_bytes, 'v'), 1, -1},
                          correlation_id, 3);
}

std::string frame_bytes(std::uint16_t flags, const std::string& content) {
    std::string out(kFrameHeaderSize, '\0');
    write_le<std::int32_t>(out, 0, static_cast<std::int32_t>(kFrameHeaderSize + content.size()));
    write_le<std::uint16_t>(out, 4, flags);
    return out + content;
}

std::string fragment_id(std::int64_t id) {
    std::string s(8, '\0');
    write_le<std::int64_t>(s, 0, id);
    return s;
}

// The frames of `message` as fragments of at most `per_fragment` frames each, with fragment id `id`.
std::vector<std::string> fragments_of(const ClientMessage& message, std::size_t per_fragment, std::int64_t id) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < message.frames.size(); i += per_fragment) {
        const bool first = i == 0;
        const bool last = i + per_fragment >= message.frames.size();
        const std::uint16_t flags = (first ? flag::kBeginFragment : 0) | (last ? flag::kEndFragment : 0);
        std::string bytes = frame_bytes(flags, fragment_id(id));
        const std::size_t end = std::min(message.frames.size(), i + per_fragment);
        for (std::size_t f = i; f < end; ++f) {
            std::uint16_t frame_flags = message.frames[f].flags;
            if (f == 0) frame_flags = 0;  // the initial frame inside fragments carries no fragment flags
            if (f + 1 == end) frame_flags |= flag::kIsFinal;
            bytes += frame_bytes(frame_flags, message.frames[f].content);
        }
        out.push_back(std::move(bytes));
    }
    return out;
}

void expect_same_frames(const ClientMessage& got, const ClientMessage& want) {
    ASSERT_EQ(got.frames.size(), want.frames.size());
    for (std::size_t i = 0; i < got.frames.size(); ++i) EXPECT_EQ(got.frames[i].content, want.frames[i].content) << i;
}

TEST(ProtocolFrameReader, MessageSplitAtEveryByte) {
    const ClientMessage m = sample(1);
    const std::string wire = to_wire(m);
    FrameReader reader;
    std::vector<ClientMessage> out;
    for (char c : wire) {
        ASSERT_TRUE(reader.feed(std::string_view(&c, 1), out)) << reader.error();
        EXPECT_LE(reader.held_bytes(), wire.size() + 1024);
    }
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].correlation_id(), 1);
    expect_same_frames(out[0], m);
    EXPECT_EQ(reader.held_bytes(), 0u);
}

TEST(ProtocolFrameReader, SeveralMessagesInOneRead) {
    std::string wire;
    for (int i = 0; i < 50; ++i) append_wire(wire, sample(i));
    FrameReader reader;
    std::vector<ClientMessage> out;
    ASSERT_TRUE(reader.feed(wire.substr(0, 1000), out));
    ASSERT_TRUE(reader.feed(wire.substr(1000), out));
    ASSERT_EQ(out.size(), 50u);
    for (int i = 0; i < 50; ++i) EXPECT_EQ(out[static_cast<std::size_t>(i)].correlation_id(), i);
}

TEST(ProtocolFrameReader, FragmentsAreReassembledEvenInterleaved) {
    const ClientMessage a = sample(10, 3000);
    const ClientMessage b = sample(11, 5);
    const auto fa = fragments_of(a, 1, 100);  // one frame per fragment: begin, middles, end
    const auto fb = fragments_of(b, 2, 200);
    ASSERT_GE(fa.size(), 3u);
    FrameReader reader;
    std::vector<ClientMessage> out;
    std::string wire;
    for (std::size_t i = 0; i < std::max(fa.size(), fb.size()); ++i) {
        if (i < fa.size()) wire += fa[i];
        if (i < fb.size()) wire += fb[i];
    }
    append_wire(wire, sample(12));  // an unfragmented message between them is fine too
    ASSERT_TRUE(reader.feed(wire, out)) << reader.error();
    ASSERT_EQ(out.size(), 3u);
    expect_same_frames(out[0], b);  // b's last fragment comes first
    expect_same_frames(out[1], a);
    EXPECT_EQ(out[2].correlation_id(), 12);
    EXPECT_EQ(out[1].correlation_id(), 10);
    EXPECT_EQ(reader.held_bytes(), 0u);
}

void expect_failure(const std::string& wire, const std::string& wanted, FrameLimits limits = {}) {
    FrameReader reader(limits);
    std::vector<ClientMessage> out;
    EXPECT_FALSE(reader.feed(wire, out));
    EXPECT_NE(reader.error().find(wanted), std::string::npos) << reader.error();
    EXPECT_TRUE(reader.failed());
    EXPECT_EQ(reader.held_bytes(), 0u);
    // Failed for good: later bytes are refused at once.
    EXPECT_FALSE(reader.feed(to_wire(sample(1)), out));
}

TEST(ProtocolFrameReader, FrameShorterThanItsHeaderFails) {
    std::string wire(kFrameHeaderSize, '\0');
    write_le<std::int32_t>(wire, 0, 5);
    expect_failure(wire, "less than the 6-byte frame header");
    write_le<std::int32_t>(wire, 0, -1);
    expect_failure(wire, "less than the 6-byte frame header");
}

TEST(ProtocolFrameReader, OversizedFrameFailsBeforeItsContentArrives) {
    std::string wire(kFrameHeaderSize, '\0');
    write_le<std::int32_t>(wire, 0, 0x7fffffff);
    expect_failure(wire, "exceed the limit");
}

TEST(ProtocolFrameReader, OversizedMessageOfManySmallFramesFails) {
    FrameLimits limits;
    limits.max_message_bytes = 4096;
    std::string wire;
    for (int i = 0; i < 100; ++i) wire += frame_bytes(i == 0 ? flag::kUnfragmented : 0, std::string(60, 'x'));
    expect_failure(wire, "exceeds the limit", limits);
    limits.max_message_bytes = 1u << 20;
    limits.max_frames_per_message = 10;
    expect_failure(wire, "more than 10 frames", limits);
}

TEST(ProtocolFrameReader, FragmentErrorsAreReported) {
    const auto fa = fragments_of(sample(1), 1, 7);
    expect_failure(fa[1], "unknown fragmented message 7");
    expect_failure(fa[0] + fa[0], "begins twice");
    expect_failure(frame_bytes(flag::kBeginFragment | flag::kIsFinal, "abc"), "8-byte fragment id");
    expect_failure(frame_bytes(flag::kBeginFragment | flag::kIsFinal, fragment_id(3)), "carries no frames");
    FrameLimits limits;
    limits.max_fragmented_in_flight = 2;
    std::string three;
    for (int id = 0; id < 3; ++id) three += fragments_of(sample(1), 1, id)[0];
    expect_failure(three, "more than 2 fragmented messages", limits);
    limits = {};
    limits.max_message_bytes = 3000;
    std::string big;
    for (int id = 0; id < 2; ++id) {
        ClientMessage m = sample(1, 1500);
        m.frames.push_back(Frame{0, "last"});
        const auto f = fragments_of(m, 1, id);  // all but the last fragment: 1500+ bytes held each
        for (std::size_t i = 0; i + 1 < f.size(); ++i) big += f[i];
    }
    expect_failure(big, "exceed", limits);
}

}  // namespace
}  // namespace shoal::protocol
