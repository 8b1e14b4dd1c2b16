// Member messages: the member protocol's message kinds and the control-plane payloads.
//
// On the wire (inside a frame, see net/frame_connection.h):
//   uint8 kind | uint8 flags (1 response, 2 one-way) | uint64 call id | payload
// Version 1. A connection starts with the "SHM" preamble and a Hello; a Hello with another
// cluster name or protocol version is refused with the reason, and both sides log it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/cluster_state.h"
#include "partition/partition_table.h"
#include "util/bytes.h"

namespace shoal::cluster {

inline constexpr std::uint16_t kMemberProtocolVersion = 1;

enum class MessageKind : std::uint8_t {
    kHello = 1,         // -> HelloReply
    kJoinInfo = 2,      // "are you in a cluster, and who is its master?"
    kJoinRequest = 3,   // joiner -> master
    kView = 4,          // master -> members: members, state, partition table
    kHeartbeat = 5,     // one-way
    kLeave = 6,         // member -> master: graceful leave; answered when its data moved
    kChangeState = 7,   // any member -> master
    kReplica = 8,       // partition replica message (payload: type byte + body)
    kExecute = 9,       // a forwarded key operation
    kQuery = 10,        // a forwarded partition query
    kMigrate = 11,      // master -> owner: start a transfer
    kHandOff = 12,      // master -> owner: stop serving, confirm destinations are in sync
    kFinish = 13,       // master -> owner: transfer committed or aborted (one-way)
    kMergeInto = 14,    // master -> members of a smaller split cluster: join that one
    kClient = 15,       // client-protocol state between members (protocol/member_sync.h)
    kLast = kClient
};

struct Frame {
    MessageKind kind = MessageKind::kHello;
    std::uint8_t flags = 0;
    std::uint64_t call = 0;
    std::string body;

    static constexpr std::uint8_t kResponse = 1;
    static constexpr std::uint8_t kOneWay = 2;
};

std::string encode_frame(const Frame& frame);
Frame decode_frame(std::string bytes);  // throws util::DecodeError

struct MemberRecord {
    std::string uuid;
    std::string host;
    int port = 0;
    std::string node;
    std::string zone;

    std::string address() const { return host + ":" + std::to_string(port); }
    friend bool operator==(const MemberRecord&, const MemberRecord&) = default;
};

struct Hello {
    std::uint16_t version = kMemberProtocolVersion;
    std::string cluster_name;
    MemberRecord member;
};

struct HelloReply {
    bool accepted = false;
    std::string reason;  // why it was refused
    std::string uuid;    // the acceptor's member UUID
};

struct JoinInfo {
    bool joined = false;
    std::string master_address;  // host:port, when joined
    int member_count = 0;
    std::string cluster_id;
};

// What the master publishes on every change.
struct ViewMessage {
    std::int64_t version = 0;         // grows with every publication (members, state or table)
    std::int64_t member_version = 0;  // grows with every membership change
    std::vector<MemberRecord> members;  // oldest (master) first
    ClusterState state = ClusterState::kActive;
    // The state a whole-cluster restart with persistence comes back in: the last one an operator
    // chose. The automatic cluster state's changes are transient and leave it alone.
    ClusterState durable_state = ClusterState::kActive;
    std::string cluster_id;
    bool migrating = false;        // migrations planned or running
    partition::PartitionTable table;
};

void encode(util::ByteWriter& out, const MemberRecord& m);
MemberRecord decode_member(util::ByteReader& in);
std::string encode(const Hello& m);
Hello decode_hello(const std::string& body);
std::string encode(const HelloReply& m);
HelloReply decode_hello_reply(const std::string& body);
std::string encode(const JoinInfo& m);
JoinInfo decode_join_info(const std::string& body);
std::string encode(const ViewMessage& m);
ViewMessage decode_view(const std::string& body);

}  // namespace shoal::cluster
