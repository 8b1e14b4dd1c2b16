// Fuzzes every decoder of the member protocol (frames, handshake, views, replica messages,
// partition digests, forwarded operations and queries, the client front ends' member sync):
// arbitrary bytes must decode or throw util::DecodeError, never crash, hang or allocate without
// bound; whatever decodes must re-encode and decode to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cluster/member_messages.h"
#include "partition/key_operation.h"
#include "partition/partition_digest.h"
#include "partition/partition_query.h"
#include "partition/replica_messages.h"
#include "protocol/member_sync.h"

namespace {

using shoal::util::ByteReader;
using shoal::util::ByteWriter;

template <typename Decode, typename Encode>
void round_trip(const std::string& bytes, Decode decode, Encode encode) {
    try {
        auto first = decode(bytes);
        const std::string again = encode(first);
        auto second = decode(again);
        if (encode(second) != again) std::abort();  // decoding lost or invented something
    } catch (const shoal::util::DecodeError&) {
    }
}

// A member sync message of one type (type byte first): decoded by `decode` after the type.
template <typename Decode>
auto sync_decoder(shoal::protocol::MemberSyncType type, Decode decode) {
    return [type, decode](const std::string& b) {
        ByteReader in(b);
        if (shoal::protocol::decode_sync_type(in) != type) throw shoal::util::DecodeError("another sync type");
        return decode(in);
    };
}

template <typename T>
std::string encoded(const T& value) {
    ByteWriter out;
    encode(out, value);
    return out.take();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    namespace c = shoal::cluster;
    namespace p = shoal::partition;
    const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    namespace s = shoal::protocol;
    switch (data[0] % 16) {
        case 0: round_trip(bytes, [](const std::string& b) { return c::decode_frame(b); }, [](const c::Frame& f) { return c::encode_frame(f); }); break;
        case 1: round_trip(bytes, c::decode_hello, [](const c::Hello& m) { return c::encode(m); }); break;
        case 2: round_trip(bytes, c::decode_join_info, [](const c::JoinInfo& m) { return c::encode(m); }); break;
        case 3: round_trip(bytes, c::decode_view, [](const c::ViewMessage& m) { return c::encode(m); }); break;
        case 4: round_trip(bytes, [](const std::string& b) { ByteReader in(b); return p::decode_backup(in); }, [](const p::BackupMessage& m) { return encoded(m); }); break;
        case 5: round_trip(bytes, [](const std::string& b) { ByteReader in(b); return p::decode_chunk(in); }, [](const p::ChunkMessage& m) { return encoded(m); }); break;
        case 6: round_trip(bytes, [](const std::string& b) { ByteReader in(b); auto v = p::decode_versions(in); in.expect_done("versions"); return v; }, [](const std::vector<p::PartitionVersion>& m) { return encoded(m); }); break;
        case 7: round_trip(bytes, [](const std::string& b) { ByteReader in(b); auto op = p::decode_key_operation(in); in.expect_done("operation"); return op; }, [](const p::KeyOperation& m) { return encoded(m); }); break;
        case 8: round_trip(bytes, [](const std::string& b) { ByteReader in(b); auto q = p::decode_partition_query(in); in.expect_done("query"); return q; }, [](const p::PartitionQuery& m) { return encoded(m); }); break;
        case 9: round_trip(bytes, [](const std::string& b) { ByteReader in(b); return p::decode_digest_request(in); }, [](const p::DigestRequest& m) { return encoded(m); }); break;
        case 10: round_trip(bytes, [](const std::string& b) { ByteReader in(b); auto d = p::decode_digest(in); in.expect_done("digest"); return d; }, [](const p::PartitionDigest& m) { return encoded(m); }); break;
        case 11: round_trip(bytes, sync_decoder(s::MemberSyncType::kAddListener, s::decode_listener_share), [](const s::ListenerShare& m) { return s::encode(m); }); break;
        case 12: round_trip(bytes, sync_decoder(s::MemberSyncType::kRemoveListener, s::decode_remove_listener), [](const shoal::util::Uuid& id) { return s::encode_remove_listener(id); }); break;
        case 13: round_trip(bytes, sync_decoder(s::MemberSyncType::kEntryEvent, s::decode_forwarded_event), [](const s::ForwardedEvent& m) { return s::encode(m); }); break;
        case 14: round_trip(bytes, sync_decoder(s::MemberSyncType::kProxies, s::decode_proxies_change), [](const s::ProxiesChange& m) { return s::encode(m); }); break;
        default: round_trip(bytes, [](const std::string& b) { ByteReader in(b); auto r = p::decode_query_result(in); in.expect_done("result"); return r; }, [](const p::QueryResult& m) { return encoded(m); }); break;
    }
    return 0;
}
