// Client protocol codecs: the reference Ping bytes, a round trip of every message Shoal serves
// (request, response and event, through the wire format and the frame reader), forward
// compatibility (parameters a newer peer adds are skipped, older peers' absent ones default),
// and clear errors for malformed parameters.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "map/data.h"
#include "protocol/client_messages.h"
#include "protocol/errors.h"
#include "protocol/frame_reader.h"
#include "protocol/map_messages.h"
#include "protocol/message_names.h"

namespace shoal::protocol {
namespace {

std::string hex_bytes(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size();) {
        if (hex[i] == ' ') {
            ++i;
            continue;
        }
        out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
        i += 2;
    }
    return out;
}

ClientMessage through_wire(const ClientMessage& message) {
    FrameReader reader;
    std::vector<ClientMessage> out;
    EXPECT_TRUE(reader.feed(to_wire(message), out)) << reader.error();
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? ClientMessage{} : out[0];
}

template <typename M>
void expect_request_round_trip(const M& m) {
    SCOPED_TRACE(M::kName);
    const ClientMessage encoded = encode_request(m, 77, 12);
    const ClientMessage decoded = through_wire(encoded);
    EXPECT_EQ(decoded.type(), M::kType);
    EXPECT_EQ(decoded.correlation_id(), 77);
    EXPECT_EQ(decoded.partition_id(), 12);
    EXPECT_EQ(decode_request<M>(decoded), m);
}

template <typename M>
void expect_response_round_trip(const M& m) {
    SCOPED_TRACE(M::kName);
    const ClientMessage decoded = through_wire(encode_response(m, 1234567890123LL));
    EXPECT_EQ(decoded.type(), M::kType);
    EXPECT_EQ(decoded.correlation_id(), 1234567890123LL);
    EXPECT_EQ(decoded.frames[0].content[kBackupAcksOffset], 0) << "backup acks";
    EXPECT_EQ(decode_response<M>(decoded), m);
}

template <typename M>
void expect_event_round_trip(const M& m) {
    SCOPED_TRACE(M::kName);
    const ClientMessage decoded = through_wire(encode_event(m, 5, -1));
    EXPECT_TRUE(decoded.frames[0].has(flag::kIsEvent));
    EXPECT_EQ(decoded.type(), M::kType);
    EXPECT_EQ(decode_event<M>(decoded), m);
}

const std::string kKey = ::shoal::map::string_data("key");
const std::string kValue = ::shoal::map::json_data(R"({"a":1})");
const std::string kOther = ::shoal::map::long_data(42);

util::Uuid uuid(std::uint64_t n) { return util::Uuid{0x1122334455667788ULL, n}; }

MemberInfo member(int n) {
    MemberInfo m;
    m.address = Address{"10.0.0." + std::to_string(n), 5701};
    m.uuid = uuid(static_cast<std::uint64_t>(n));
    m.attributes = {{"zone", "a"}};
    m.lite_member = n == 2;
    m.version = MemberVersion{5, 3, 0};
    m.address_map = {{EndpointQualifier{1, std::nullopt}, m.address}, {EndpointQualifier{0, "public"}, m.address}};
    return m;
}

// The example of the protocol documentation: Ping with correlation id 2.
TEST(ProtocolCodec, PingMatchesTheReferenceBytes) {
    const std::string request = hex_bytes("16000000 00E1 000B0000 0200000000000000 FFFFFFFF");
    FrameReader reader;
    std::vector<ClientMessage> messages;
    ASSERT_TRUE(reader.feed(request, messages));
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].type(), client::PingRequest::kType);
    EXPECT_EQ(messages[0].correlation_id(), 2);
    EXPECT_EQ(messages[0].partition_id(), -1);
    EXPECT_TRUE(messages[0].frames[0].has(flag::kBackupAware));
    EXPECT_NO_THROW(decode_request<client::PingRequest>(messages[0]));

    EXPECT_EQ(to_wire(encode_response(client::PingResponse{}, 2)), hex_bytes("13000000 00E0 010B0000 0200000000000000 00"));
    // Our request encoding is the reference's without the client's BACKUP_AWARE flag.
    EXPECT_EQ(to_wire(encode_request(client::PingRequest{}, 2)), hex_bytes("16000000 00E0 000B0000 0200000000000000 FFFFFFFF"));
}

// Bytes the official Node.js client (hazelcast-client 5.6.0) writes, from its own codecs.
TEST(ProtocolCodec, DecodesRequestsAsTheNodeClientEncodesThem) {
    FrameReader reader;
    std::vector<ClientMessage> m;
    ASSERT_TRUE(reader.feed(hex_bytes(
        "2800000000c0000100000100000000000000ffffffff0100000000000000000000000000000000010900000000006465760600000000"
        "040600000000040900000000004e4a530b0000000000352e362e30110000000000687a2e636c69656e745f30060000000010060000000028"), m));
    ASSERT_TRUE(reader.feed(hex_bytes(
        "2600000000c0000101000200000000000000ffffffff0000000000000000ffffffffffffffff0700000000006d1500000000000000000"
        "0fffffff5000000036b657917000000002000000000fffffff50000000576616c7565"), m));
    ASSERT_TRUE(reader.feed(hex_bytes(
        "1600000000c0002301000300000000000000ffffffff0700000000006d06000000001013000000000000000000fffffff500000001611300"
        "0000000000000000fffffff50000000162060000000028"), m));
    ASSERT_EQ(m.size(), 3u);
    const auto auth = decode_request<client::AuthenticationRequest>(m[0]);
    EXPECT_EQ(auth.cluster_name, "dev");
    EXPECT_EQ(auth.username, std::nullopt);
    EXPECT_EQ(auth.password, std::nullopt);
    EXPECT_EQ(auth.uuid, std::nullopt);
    EXPECT_EQ(auth.client_type, "NJS");
    EXPECT_EQ(auth.serialization_version, 1);
    EXPECT_EQ(auth.client_hazelcast_version, "5.6.0");
    EXPECT_EQ(auth.client_name, "hz.client_0");
    EXPECT_TRUE(auth.labels.empty());
    const auto put = decode_request<map::KeyValueTtlRequest<map::Put>>(m[1]);
    EXPECT_EQ(m[1].correlation_id(), 2);
    EXPECT_EQ(put.name, "m");
    EXPECT_EQ(put.key, ::shoal::map::string_data("key"));
    EXPECT_EQ(put.value, ::shoal::map::string_data("value"));
    EXPECT_EQ(put.thread_id, 0);
    EXPECT_EQ(put.ttl, -1);
    const auto get_all = decode_request<map::GetAllRequest>(m[2]);
    EXPECT_EQ(get_all.keys, (std::vector<std::string>{::shoal::map::string_data("a"), ::shoal::map::string_data("b")}));
}

TEST(ProtocolCodec, ClientMessagesRoundTrip) {
    client::AuthenticationRequest auth;
    auth.cluster_name = "dev";
    auth.username = std::nullopt;
    auth.password = "secret";
    auth.uuid = uuid(9);
    auth.client_type = "NJS";
    auth.client_hazelcast_version = "5.6.0";
    auth.client_name = "hz.client_0";
    auth.labels = {"a", "b"};
    auth.routing_mode = 1;
    auth.cp_direct_to_leader_routing = true;
    expect_request_round_trip(auth);

    client::AuthenticationResponse auth_response;
    auth_response.address = Address{"127.0.0.1", 5701};
    auth_response.member_uuid = uuid(1);
    auth_response.server_hazelcast_version = "5.3.0";
    auth_response.partition_count = 271;
    auth_response.cluster_id = uuid(2);
    expect_response_round_trip(auth_response);
    auth_response.address.reset();
    auth_response.member_uuid.reset();
    auth_response.status = client::kCredentialsFailed;
    expect_response_round_trip(auth_response);

    expect_request_round_trip(client::AddClusterViewListenerRequest{});
    expect_response_round_trip(client::AddClusterViewListenerResponse{});
    expect_event_round_trip(client::MembersViewEvent{3, {member(1), member(2), member(3)}});
    client::PartitionsViewEvent partitions;
    partitions.version = 7;
    partitions.partitions.entries = {{uuid(1), {0, 3, 5}}, {uuid(2), {1, 2, 4, 270}}, {uuid(3), {}}};
    expect_event_round_trip(partitions);

    expect_request_round_trip(client::CreateProxyRequest{"cities", "hz:impl:mapService"});
    expect_response_round_trip(client::CreateProxyResponse{});
    expect_request_round_trip(client::DestroyProxyRequest{"cities", "hz:impl:mapService"});
    expect_response_round_trip(client::DestroyProxyResponse{});
    expect_request_round_trip(client::GetDistributedObjectsRequest{});
    expect_response_round_trip(client::GetDistributedObjectsResponse{
        {DistributedObjectInfo{"hz:impl:mapService", "a"}, DistributedObjectInfo{"hz:impl:mapService", "b"}}});
    expect_request_round_trip(client::PingRequest{});
    expect_response_round_trip(client::PingResponse{});
    expect_request_round_trip(client::StatisticsRequest{1700000000000LL, "lastStatisticsCollectionTime=1", std::string("\x00\x01\x02", 3)});
    expect_response_round_trip(client::StatisticsResponse{});
    expect_request_round_trip(client::CreateProxiesRequest{{{"a", "hz:impl:mapService"}, {"b", "hz:impl:mapService"}}});
    expect_response_round_trip(client::CreateProxiesResponse{});
    expect_request_round_trip(client::LocalBackupListenerRequest{});
    expect_response_round_trip(client::LocalBackupListenerResponse{uuid(5)});
}

TEST(ProtocolCodec, MapRequestsRoundTrip) {
    using namespace protocol::map;
    expect_request_round_trip(KeyValueTtlRequest<Put>{"m", kKey, kValue, 3, 1000});
    expect_request_round_trip(KeyRequest<Get>{"m", kKey, 3});
    expect_request_round_trip(KeyRequest<Remove>{"m", kKey, 3});
    expect_request_round_trip(KeyValueRequest<Replace>{"m", kKey, kValue, 3});
    expect_request_round_trip(ReplaceIfSameRequest{"m", kKey, kValue, kOther, 3});
    expect_request_round_trip(KeyRequest<ContainsKey>{"m", kKey, 3});
    expect_request_round_trip(ContainsValueRequest{"m", kValue});
    expect_request_round_trip(KeyValueRequest<RemoveIfSame>{"m", kKey, kValue, 3});
    expect_request_round_trip(KeyRequest<Delete>{"m", kKey, 3});
    expect_request_round_trip(NameRequest<Flush>{"m"});
    expect_request_round_trip(TryRemoveRequest{"m", kKey, 3, 500});
    expect_request_round_trip(TryPutRequest{"m", kKey, kValue, 3, 500});
    expect_request_round_trip(KeyValueTtlRequest<PutTransient>{"m", kKey, kValue, 3, -1});
    expect_request_round_trip(KeyValueTtlRequest<PutIfAbsent>{"m", kKey, kValue, 3, 0});
    expect_request_round_trip(KeyValueTtlRequest<Set>{"m", kKey, kValue, 3, 60000});
    expect_request_round_trip(KeyRequest<Evict>{"m", kKey, 3});
    expect_request_round_trip(NameRequest<EvictAll>{"m"});
    expect_request_round_trip(NameRequest<KeySet>{"m"});
    expect_request_round_trip(GetAllRequest{"m", {kKey, kOther}});
    expect_request_round_trip(NameRequest<Values>{"m"});
    expect_request_round_trip(NameRequest<EntrySet>{"m"});
    expect_request_round_trip(NameRequest<Size>{"m"});
    expect_request_round_trip(NameRequest<IsEmpty>{"m"});
    expect_request_round_trip(PutAllRequest{"m", {{kKey, kValue}, {kOther, kValue}}, false});
    expect_request_round_trip(NameRequest<Clear>{"m"});
    expect_request_round_trip(SetTtlRequest{"m", kKey, 250});
    expect_request_round_trip(KeyValueMaxIdleRequest<PutWithMaxIdle>{"m", kKey, kValue, 3, -1, 100});
    expect_request_round_trip(KeyValueMaxIdleRequest<PutTransientWithMaxIdle>{"m", kKey, kValue, 3, 0, 100});
    expect_request_round_trip(KeyValueMaxIdleRequest<PutIfAbsentWithMaxIdle>{"m", kKey, kValue, 3, 5, 100});
    expect_request_round_trip(KeyValueMaxIdleRequest<SetWithMaxIdle>{"m", kKey, kValue, 3, 5, 0});
    expect_request_round_trip(AddEntryListenerRequest{"m", true, 1 | 2 | 4, true});
    expect_request_round_trip(AddEntryListenerToKeyRequest{"m", kKey, false, 8, true});
    expect_request_round_trip(RemoveEntryListenerRequest{"m", uuid(3)});
}

TEST(ProtocolCodec, MapResponsesRoundTrip) {
    using namespace protocol::map;
    expect_response_round_trip(DataResponse<Put>{kValue});
    expect_response_round_trip(DataResponse<Get>{std::nullopt});
    expect_response_round_trip(DataResponse<Remove>{kOther});
    expect_response_round_trip(DataResponse<Replace>{std::nullopt});
    expect_response_round_trip(BoolResponse<ReplaceIfSame>{true});
    expect_response_round_trip(BoolResponse<ContainsKey>{false});
    expect_response_round_trip(BoolResponse<ContainsValue>{true});
    expect_response_round_trip(BoolResponse<RemoveIfSame>{true});
    expect_response_round_trip(BoolResponse<Delete>{true});
    expect_response_round_trip(EmptyResponse<Flush>{});
    expect_response_round_trip(BoolResponse<TryRemove>{false});
    expect_response_round_trip(BoolResponse<TryPut>{true});
    expect_response_round_trip(EmptyResponse<PutTransient>{});
    expect_response_round_trip(DataResponse<PutIfAbsent>{kValue});
    expect_response_round_trip(EmptyResponse<Set>{});
    expect_response_round_trip(BoolResponse<Evict>{true});
    expect_response_round_trip(EmptyResponse<EvictAll>{});
    expect_response_round_trip(DataListResponse<KeySet>{{kKey, kOther}});
    expect_response_round_trip(EntriesResponse<GetAll>{{{kKey, kValue}}});
    expect_response_round_trip(DataListResponse<Values>{{}});
    expect_response_round_trip(EntriesResponse<EntrySet>{{{kKey, kValue}, {kOther, kOther}}});
    expect_response_round_trip(IntResponse<Size>{123456});
    expect_response_round_trip(BoolResponse<IsEmpty>{true});
    expect_response_round_trip(EmptyResponse<PutAll>{});
    expect_response_round_trip(EmptyResponse<Clear>{});
    expect_response_round_trip(BoolResponse<SetTtl>{true});
    expect_response_round_trip(DataResponse<PutWithMaxIdle>{kValue});
    expect_response_round_trip(DataResponse<PutTransientWithMaxIdle>{std::nullopt});
    expect_response_round_trip(DataResponse<PutIfAbsentWithMaxIdle>{std::nullopt});
    expect_response_round_trip(DataResponse<SetWithMaxIdle>{std::nullopt});
    expect_response_round_trip(UuidResponse<AddEntryListener>{uuid(8)});
    expect_response_round_trip(BoolResponse<RemoveEntryListener>{true});
    expect_event_round_trip(EntryEvent<AddEntryListener>{kKey, kValue, std::nullopt, std::nullopt, 4, uuid(1), 1});
    expect_event_round_trip(EntryEvent<AddEntryListenerToKey>{kKey, std::nullopt, kOther, std::nullopt, 2, uuid(1), 1});
    EXPECT_EQ(EntryEvent<AddEntryListener>::kType, 0x011902);
    // Response types are the request's plus one.
    EXPECT_EQ(DataResponse<Put>::kType, 0x010101);
    EXPECT_EQ(IntResponse<Size>::kType, 0x012A01);
}

// Wire layout pinned by hand from the protocol definitions: fixed fields packed after the
// 16-byte request header in definition order, variable ones as frames in order.
TEST(ProtocolCodec, MapPutLayoutFollowsTheDefinition) {
    const auto m = encode_request(map::KeyValueTtlRequest<map::Put>{"m", kKey, kValue, 7, 1000}, 1, 80);
    ASSERT_EQ(m.frames.size(), 4u);
    ASSERT_EQ(m.frames[0].content.size(), 32u);  // header 16 + threadId 8 + ttl 8
    EXPECT_EQ(read_le<std::int64_t>(m.frames[0].content, 16), 7);
    EXPECT_EQ(read_le<std::int64_t>(m.frames[0].content, 24), 1000);
    EXPECT_EQ(m.frames[1].content, "m");
    EXPECT_EQ(m.frames[2].content, kKey);
    EXPECT_EQ(m.frames[3].content, kValue);
    EXPECT_EQ(m.frames[0].flags, flag::kUnfragmented);
    const std::string wire = to_wire(m);
    EXPECT_EQ(read_le<std::uint16_t>(wire, wire.size() - kFrameHeaderSize - kValue.size() + 4),
              flag::kIsFinal) << "only the last frame is final";
}

TEST(ProtocolCodec, PartitionsViewIsValueListsThenOwnerUuids) {
    client::PartitionsViewEvent e;
    e.version = 1;
    e.partitions.entries = {{uuid(1), {0, 1}}, {uuid(2), {2}}};
    const auto m = encode_event(e, 9);
    ASSERT_EQ(m.frames.size(), 6u);  // initial, BEGIN, [0 1], [2], END, the owners' UUIDs
    EXPECT_TRUE(m.frames[1].is_begin());
    EXPECT_EQ(m.frames[2].content.size(), 8u);
    EXPECT_EQ(m.frames[3].content.size(), 4u);
    EXPECT_TRUE(m.frames[4].is_end());
    ASSERT_EQ(m.frames[5].content.size(), 2 * kUuidSize);
    EXPECT_EQ(read_uuid(m.frames[5].content, kUuidSize), uuid(2));
}

TEST(ProtocolCodec, OlderPeersAbsentParametersTakeDefaults) {
    // A 2.0 client (Node.js) sends Authentication without routingMode and cpDirectToLeaderRouting.
    client::AuthenticationRequest auth;
    auth.cluster_name = "dev";
    auth.client_type = "NJS";
    auth.routing_mode = 1;
    ClientMessage m = encode_request(auth, 1);
    m.frames[0].content.resize(kRequestHeaderSize + kUuidSize + 1);
    const auto decoded = decode_request<client::AuthenticationRequest>(m);
    EXPECT_EQ(decoded.routing_mode, 0);
    EXPECT_FALSE(decoded.cp_direct_to_leader_routing);
    EXPECT_EQ(decoded.client_type, "NJS");

    // putAll before 2.1 had no triggerMapLoader.
    ClientMessage put_all = encode_request(map::PutAllRequest{"m", {{kKey, kValue}}, false}, 1);
    put_all.frames[0].content.resize(kRequestHeaderSize);
    EXPECT_TRUE(decode_request<map::PutAllRequest>(put_all).trigger_map_loader);
}

TEST(ProtocolCodec, NewerPeersExtraParametersAreSkipped) {
    // Extra fixed bytes, an extra frame inside a custom type, and trailing frames.
    client::MembersViewEvent e{4, {member(1), member(2)}};
    ClientMessage m = encode_event(e, 1);
    m.frames[0].content.append("\x01\x02\x03", 3);
    // Insert a new field (a string and a nested structure) before the END of the first MemberInfo.
    std::size_t end_of_first = 0;
    int depth = 0;
    for (std::size_t i = 3; i < m.frames.size(); ++i) {  // [1] list BEGIN, [2] MemberInfo BEGIN
        if (m.frames[i].is_begin()) {
            ++depth;
        } else if (m.frames[i].is_end()) {
            if (depth == 0) {
                end_of_first = i;
                break;
            }
            --depth;
        }
    }
    ASSERT_GT(end_of_first, 0u);
    m.frames.insert(m.frames.begin() + static_cast<long>(end_of_first),
                    {Frame{0, "new-field"}, Frame{flag::kBeginDataStructure, {}}, Frame{0, "x"}, Frame{flag::kEndDataStructure, {}}});
    m.frames.push_back(Frame{0, "trailing parameter"});
    EXPECT_EQ(decode_event<client::MembersViewEvent>(through_wire(m)), e);
}

TEST(ProtocolCodec, MalformedParametersAreClearErrors) {
    ClientMessage get = encode_request(map::KeyRequest<map::Get>{"m", kKey, 1}, 1);
    ClientMessage short_fixed = get;
    short_fixed.frames[0].content.resize(20);
    try {
        decode_request<map::KeyRequest<map::Get>>(short_fixed);
        FAIL() << "decoded a truncated initial frame";
    } catch (const util::DecodeError& e) {
        EXPECT_NE(std::string(e.what()).find("Map.get"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
    }
    ClientMessage missing = get;
    missing.frames.pop_back();
    EXPECT_THROW(decode_request<map::KeyRequest<map::Get>>(missing), util::DecodeError);
    ClientMessage null_key = get;
    null_key.frames[2] = Frame{flag::kIsNull, {}};
    EXPECT_THROW(decode_request<map::KeyRequest<map::Get>>(null_key), util::DecodeError);
    ClientMessage no_header;
    no_header.frames.push_back(Frame{flag::kUnfragmented, "abc"});
    EXPECT_THROW(decode_request<map::KeyRequest<map::Get>>(no_header), util::DecodeError);
    // A list of fixed items whose size is no multiple of the item.
    client::PartitionsViewEvent e;
    e.partitions.entries = {{uuid(1), {1}}};
    ClientMessage view = encode_event(e, 1);
    view.frames[2].content.resize(3);
    EXPECT_THROW(decode_event<client::PartitionsViewEvent>(view), util::DecodeError);
    // A custom type without its END frame.
    ClientMessage members = encode_event(client::MembersViewEvent{1, {member(1)}}, 1);
    members.frames.resize(members.frames.size() - 2);
    EXPECT_THROW(decode_event<client::MembersViewEvent>(members), util::DecodeError);
}

TEST(ProtocolCodec, ErrorResponseCarriesCodeClassAndMessage) {
    const auto m = through_wire(error_response(42, ErrorCode::kUnsupportedOperation, "Map.lock (0x011000)\r\nnope"));
    EXPECT_EQ(m.type(), 0);
    EXPECT_EQ(m.correlation_id(), 42);
    const auto e = decode_response<client::ErrorResponse>(m);
    ASSERT_EQ(e.errors.size(), 1u);
    EXPECT_EQ(e.errors[0].error_code, 61);
    EXPECT_EQ(e.errors[0].class_name, "java.lang.UnsupportedOperationException");
    EXPECT_EQ(e.errors[0].message, "Map.lock (0x011000)  nope");  // no control characters
    EXPECT_TRUE(e.errors[0].stack_trace.empty());
}

TEST(ProtocolCodec, MessageNamesComeFromTheDefinitions) {
    EXPECT_STREQ(request_name(0x010100), "Map.put");
    EXPECT_STREQ(request_name(0x000B00), "Client.ping");
    EXPECT_EQ(request_name(0x7F0000), nullptr);
    EXPECT_EQ(describe_message_type(0x011000), "Map.lock (0x011000)");
    EXPECT_EQ(describe_message_type(0x7F0100), "message type 0x7F0100");
}

}  // namespace
}  // namespace shoal::protocol
