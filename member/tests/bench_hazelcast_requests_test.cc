// shoal-bench's hand-encoded Map.Get / Map.Set are byte for byte what the member's codecs make,
// and the member decodes them.
#include <gtest/gtest.h>

#include "hazelcast_requests.h"
#include "map/data.h"
#include "protocol/codec.h"
#include "protocol/frame_reader.h"
#include "protocol/map_messages.h"

namespace shoal::bench {
namespace {

namespace pm = protocol::map;

TEST(BenchHazelcastRequests, DataMatchesTheMembersBuilders) {
    std::string key;
    hazelcast::append_string_data(key, "key:0000000001");
    EXPECT_EQ(key, map::string_data("key:0000000001"));
    std::string value;
    hazelcast::append_bytes_data(value, "abc");
    EXPECT_EQ(value, map::bytes_data("abc"));
}

TEST(BenchHazelcastRequests, MapGetIsTheCodecsEncoding) {
    const std::string key = map::string_data("k");
    pm::KeyRequest<pm::Get> get{"bench", key, 1};
    std::string out;
    hazelcast::append_map_get(out, 77, 12, "bench", key);
    EXPECT_EQ(out, protocol::to_wire(protocol::encode_request(get, 77, 12)));
}

TEST(BenchHazelcastRequests, MapSetIsTheCodecsEncodingAndDecodes) {
    const std::string key = map::string_data("k");
    const std::string value = map::bytes_data(std::string(100, 'v'));
    pm::KeyValueTtlRequest<pm::Set> set{"bench", key, value, 1, -1};
    std::string out;
    hazelcast::append_map_set(out, (5 << 16) | 3, 200, "bench", key, value);
    EXPECT_EQ(out, protocol::to_wire(protocol::encode_request(set, (5 << 16) | 3, 200)));

    protocol::FrameReader reader;
    std::vector<protocol::ClientMessage> messages;
    ASSERT_TRUE(reader.feed(out, messages));
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].correlation_id(), (5 << 16) | 3);
    EXPECT_EQ(messages[0].partition_id(), 200);
    EXPECT_EQ(protocol::decode_request<pm::KeyValueTtlRequest<pm::Set>>(messages[0]), set);
}

}  // namespace
}  // namespace shoal::bench
