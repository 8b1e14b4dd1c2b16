#include "protocol/member_sync.h"

namespace shoal::protocol {
namespace {

util::ByteWriter start(MemberSyncType type) {
    util::ByteWriter out;
    out.u8(static_cast<std::uint8_t>(type));
    return out;
}


void optional_str(util::ByteWriter& out, const std::optional<std::string>& s) {
    out.boolean(s.has_value());
    if (s) out.str(*s);
}

std::optional<std::string> optional_str(util::ByteReader& in, const char* what) {
    if (!in.boolean(what)) return std::nullopt;
    return in.str(what);
}

}  // namespace

std::string encode(const ListenerShare& m) {
    util::ByteWriter out = start(MemberSyncType::kAddListener);
    out.uuid(m.registration);
    out.str(m.map);
    optional_str(out, m.key);
    out.boolean(m.include_value);
    out.i32(m.flags);
    return out.take();
}

std::string encode_remove_listener(const util::Uuid& registration) {
    util::ByteWriter out = start(MemberSyncType::kRemoveListener);
    out.uuid(registration);
    return out.take();
}

std::string encode(const ForwardedEvent& m) {
    util::ByteWriter out = start(MemberSyncType::kEntryEvent);
    out.uuid(m.registration);
    optional_str(out, m.key);
    optional_str(out, m.value);
    optional_str(out, m.old_value);
    out.i32(m.event_type);
    out.uuid(m.source);
    out.i32(m.affected);
    out.i32(m.partition);
    return out.take();
}

std::string encode(const ProxiesChange& m) {
    util::ByteWriter out = start(MemberSyncType::kProxies);
    out.boolean(m.destroyed);
    out.u32(static_cast<std::uint32_t>(m.proxies.size()));
    for (const auto& [service, name] : m.proxies) {
        out.str(service);
        out.str(name);
    }
    return out.take();
}

MemberSyncType decode_sync_type(util::ByteReader& in) {
    const std::uint8_t type = in.u8("member sync type");
    if (type < 1 || type > static_cast<std::uint8_t>(MemberSyncType::kProxies)) {
        throw util::DecodeError("unknown member sync type " + std::to_string(type));
    }
    return static_cast<MemberSyncType>(type);
}

ListenerShare decode_listener_share(util::ByteReader& in) {
    ListenerShare m;
    m.registration = in.uuid("registration id");
    m.map = in.str("map name");
    m.key = optional_str(in, "listener key");
    m.include_value = in.boolean("include value");
    m.flags = in.i32("listener flags");
    in.expect_done("listener share");
    return m;
}

util::Uuid decode_remove_listener(util::ByteReader& in) {
    const util::Uuid id = in.uuid("registration id");
    in.expect_done("listener removal");
    return id;
}

ForwardedEvent decode_forwarded_event(util::ByteReader& in) {
    ForwardedEvent m;
    m.registration = in.uuid("registration id");
    m.key = optional_str(in, "event key");
    m.value = optional_str(in, "event value");
    m.old_value = optional_str(in, "event old value");
    m.event_type = in.i32("event type");
    m.source = in.uuid("event source");
    m.affected = in.i32("affected entries");
    m.partition = in.i32("event partition");
    in.expect_done("entry event");
    return m;
}

ProxiesChange decode_proxies_change(util::ByteReader& in) {
    ProxiesChange m;
    m.destroyed = in.boolean("destroyed");
    const std::uint32_t n = in.count("proxy count", 8);
    m.proxies.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        std::string service = in.str("service name");
        m.proxies.emplace_back(std::move(service), in.str("proxy name"));
    }
    in.expect_done("proxies");
    return m;
}

}  // namespace shoal::protocol
