// The client's serialization and request encoding against bytes the official Node.js client
// (hazelcast-client 5.6.0) produces: its SerializationServiceV1 for values (generated with
// node and conformance/node_modules, like member/tools/partition-vectors) and its codecs for
// requests.
#include <gtest/gtest.h>

#include "client/client_errors.h"
#include "client/value.h"
#include "protocol/codec.h"
#include "protocol/map_messages.h"

namespace shoal {
namespace {

using client::Bytes;
using client::JsonValue;
using client::Value;

std::string unhex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

struct Vector {
    const char* kind;
    const char* text;
    const char* data_hex;
    std::int32_t partition_hash;
};

// SerializationServiceV1.toData(...).toBuffer() and getPartitionHash() of the Node.js client.
const Vector kVectors[] = {
    {"string", "Paris", "00000000fffffff5000000055061726973", -1597852702},
    {"string", "", "00000000fffffff500000000", 923237662},
    {"string", "ключ", "00000000fffffff500000008d0bad0bbd18ed187", 2014373617},
    {"string", "🦈 shark", "00000000fffffff50000000af09fa68820736861726b", 643406584},
    {"int32", "0", "00000000fffffff900000000", 923237662},
    {"int32", "7", "00000000fffffff900000007", 2022544407},
    {"int32", "-1", "00000000fffffff9ffffffff", -730160613},
    {"int32", "2147483647", "00000000fffffff97fffffff", -558437363},
    {"int32", "-2147483648", "00000000fffffff980000000", 2100936963},
    {"int64", "0", "00000000fffffff80000000000000000", -778983647},
    {"int64", "42", "00000000fffffff8000000000000002a", 1624962215},
    {"int64", "-1", "00000000fffffff8ffffffffffffffff", -1267298398},
    {"int64", "9223372036854775807", "00000000fffffff87fffffffffffffff", -647413059},
    {"int64", "-9223372036854775808", "00000000fffffff88000000000000000", -40697186},
    {"bytes", "", "00000000fffffff400000000", 923237662},
    {"bytes", "616263", "00000000fffffff400000003616263", -1708417075},
    {"bytes", "00ff", "00000000fffffff40000000200ff", 226828997},
    {"json", "{\"id\":1,\"tags\":[\"a\",1]}", "00000000ffffff7e000000177b226964223a312c2274616773223a5b2261222c315d7d", -884167740},
    {"json", "[]", "00000000ffffff7e000000025b5d", -2025028462},
    {"json", "\"é\"", "00000000ffffff7e0000000422c3a922", -1684183880},
};

Value value_of(const Vector& v) {
    const std::string kind = v.kind;
    if (kind == "string") return Value(std::string(v.text));
    if (kind == "int32") return Value(static_cast<std::int32_t>(std::stoll(v.text)));
    if (kind == "int64") return Value(static_cast<std::int64_t>(std::stoll(v.text)));
    if (kind == "bytes") return Value(Bytes{unhex(v.text)});
    return Value(JsonValue{v.text});
}

TEST(ClientSerialization, WritesTheBytesTheNodeClientWritesForEveryBuiltInType) {
    for (const auto& v : kVectors) {
        EXPECT_EQ(value_of(v).to_data(), unhex(v.data_hex)) << v.kind << " " << v.text;
    }
}

TEST(ClientSerialization, ReadsTheNodeClientsBytesBackToTheSameValue) {
    for (const auto& v : kVectors) {
        const Value read = Value::from_data(unhex(v.data_hex));
        EXPECT_EQ(read, value_of(v)) << v.kind << " " << v.text;
        EXPECT_EQ(read.type_id(), value_of(v).type_id());
    }
}

TEST(ClientSerialization, PartitionOfAKeyIsTheNodeClientsHashModuloTheCount) {
    for (const auto& v : kVectors) {
        const int expected = v.partition_hash == INT32_MIN ? 0 : std::abs(v.partition_hash) % 271;
        EXPECT_EQ(client::partition_of(value_of(v).to_data(), 271), expected) << v.kind << " " << v.text;
    }
}

TEST(ClientSerialization, UnknownTypesRoundTripAsTheirBytesAndBadBytesAreAnError) {
    const std::string boolean_data = unhex("00000000fffffffc01");  // java.lang.Boolean true
    const Value v = Value::from_data(boolean_data);
    EXPECT_EQ(v.type_id(), -4);
    EXPECT_EQ(v.to_data(), boolean_data);
    EXPECT_THROW(Value::from_data(unhex("000000")), client::ClientError);
    EXPECT_THROW(Value::from_data(unhex("00000000fffffff500000009616263")), client::ClientError);  // length past the end
    EXPECT_THROW(Value::from_data(unhex("00000000fffffff80000")), client::ClientError);  // a short Long
    EXPECT_EQ(Value("Paris").to_text(), "Paris");
    EXPECT_EQ(Value(std::int64_t{42}).to_text(), "42");
}

// The Node.js client leaves IS_FINAL to its socket writer; the wire has it on the last frame.
std::string with_final_flag(std::string wire) {
    std::size_t at = 0, last = 0;
    while (at + 6 <= wire.size()) {
        last = at;
        at += static_cast<unsigned char>(wire[at]) | static_cast<unsigned char>(wire[at + 1]) << 8 |
              static_cast<unsigned char>(wire[at + 2]) << 16;
    }
    wire[last + 5] = static_cast<char>(wire[last + 5] | 0x20);
    return wire;
}

TEST(ClientSerialization, MapRequestsAreTheNodeClientsBytes) {
    namespace pm = protocol::map;
    // MapPutCodec.encodeRequest('m', toData('key'), toData('value'), 0, -1), correlation 2, partition 5.
    pm::KeyValueTtlRequest<pm::Put> put{"m", Value("key").to_data(), Value("value").to_data(), 0, -1};
    EXPECT_EQ(protocol::to_wire(protocol::encode_request(put, 2, 5)),
              with_final_flag(unhex("2600000000c0000101000200000000000000050000000000000000000000ffffffffffffffff0700000000006d1500"
                                    "0000000000000000fffffff5000000036b657917000000000000000000fffffff50000000576616c7565")));
    pm::GetAllRequest get_all{"m", {Value("a").to_data(), Value("b").to_data()}};
    EXPECT_EQ(protocol::to_wire(protocol::encode_request(get_all, 3, -1)),
              with_final_flag(unhex("1600000000c0002301000300000000000000ffffffff0700000000006d0600000000101300000000000000000"
                                    "0fffffff5000000016113000000000000000000fffffff50000000162060000000008")));
    pm::AddEntryListenerRequest listener{"events", true, 7, true};
    EXPECT_EQ(protocol::to_wire(protocol::encode_request(listener, 4, -1)),
              with_final_flag(unhex("1c00000000c0001901000400000000000000ffffffff0107000000010c00000000006576656e7473")));
}

}  // namespace
}  // namespace shoal
