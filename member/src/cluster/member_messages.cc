#include "cluster/member_messages.h"

namespace shoal::cluster {

std::string encode_frame(const Frame& frame) {
    util::ByteWriter out;
    out.u8(static_cast<std::uint8_t>(frame.kind));
    out.u8(frame.flags);
    out.u64(frame.call);
    out.raw(frame.body);
    return out.take();
}

Frame decode_frame(std::string bytes) {
    util::ByteReader in(bytes);
    Frame frame;
    const std::uint8_t kind = in.u8("message kind");
    if (kind == 0 || kind > static_cast<std::uint8_t>(MessageKind::kLast)) {
        throw util::DecodeError("unknown member message kind " + std::to_string(kind));
    }
    frame.kind = static_cast<MessageKind>(kind);
    frame.flags = in.u8("message flags");
    frame.call = in.u64("call id");
    frame.body = bytes.substr(bytes.size() - in.remaining());
    return frame;
}

void encode(util::ByteWriter& out, const MemberRecord& m) {
    out.str(m.uuid);
    out.str(m.host);
    out.i32(m.port);
    out.str(m.node);
    out.str(m.zone);
}

MemberRecord decode_member(util::ByteReader& in) {
    MemberRecord m;
    m.uuid = in.str("member uuid");
    m.host = in.str("member host");
    m.port = in.i32("member port");
    if (m.port < 0 || m.port > 65535) throw util::DecodeError("member port " + std::to_string(m.port) + " out of range");
    m.node = in.str("member node");
    m.zone = in.str("member zone");
    return m;
}

std::string encode(const Hello& m) {
    util::ByteWriter out;
    out.u16(m.version);
    out.str(m.cluster_name);
    encode(out, m.member);
    return out.take();
}

Hello decode_hello(const std::string& body) {
    util::ByteReader in(body);
    Hello m;
    m.version = in.u16("protocol version");
    m.cluster_name = in.str("cluster name");
    m.member = decode_member(in);
    return m;
}

std::string encode(const HelloReply& m) {
    util::ByteWriter out;
    out.boolean(m.accepted);
    out.str(m.reason);
    out.str(m.uuid);
    return out.take();
}

HelloReply decode_hello_reply(const std::string& body) {
    util::ByteReader in(body);
    HelloReply m;
    m.accepted = in.boolean("accepted");
    m.reason = in.str("reason");
    m.uuid = in.str("uuid");
    return m;
}

std::string encode(const JoinInfo& m) {
    util::ByteWriter out;
    out.boolean(m.joined);
    out.str(m.master_address);
    out.i32(m.member_count);
    out.str(m.cluster_id);
    return out.take();
}

JoinInfo decode_join_info(const std::string& body) {
    util::ByteReader in(body);
    JoinInfo m;
    m.joined = in.boolean("joined");
    m.master_address = in.str("master address");
    m.member_count = in.i32("member count");
    m.cluster_id = in.str("cluster id");
    return m;
}

namespace {
ClusterState decode_state(util::ByteReader& in, const char* what) {
    const std::uint8_t state = in.u8(what);
    if (state > static_cast<std::uint8_t>(ClusterState::kInTransition)) {
        throw util::DecodeError(std::string("unknown ") + what + " " + std::to_string(state));
    }
    return static_cast<ClusterState>(state);
}
}  // namespace

std::string encode(const ViewMessage& m) {
    util::ByteWriter out;
    out.i64(m.version);
    out.i64(m.member_version);
    out.u32(static_cast<std::uint32_t>(m.members.size()));
    for (const auto& member : m.members) encode(out, member);
    out.u8(static_cast<std::uint8_t>(m.state));
    out.u8(static_cast<std::uint8_t>(m.durable_state));
    out.str(m.cluster_id);
    out.boolean(m.migrating);
    encode(out, m.table);
    return out.take();
}

ViewMessage decode_view(const std::string& body) {
    util::ByteReader in(body);
    ViewMessage m;
    m.version = in.i64("view version");
    m.member_version = in.i64("member version");
    const std::uint32_t n = in.count("members", 20);
    for (std::uint32_t i = 0; i < n; ++i) m.members.push_back(decode_member(in));
    m.state = decode_state(in, "cluster state");
    m.durable_state = decode_state(in, "durable cluster state");
    m.cluster_id = in.str("cluster id");
    m.migrating = in.boolean("migrating");
    m.table = partition::decode_partition_table(in);
    in.expect_done("view");
    return m;
}

}  // namespace shoal::cluster
