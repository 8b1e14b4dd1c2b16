// Member sync: what the client-protocol front ends of the members tell each other, so that what
// a client sees does not depend on the member it talks to. Carried in the member protocol's
// kClient message (payload: type byte + body, see cluster/member_messages.h).
//
// - A cluster-wide entry listener (localOnly false, as unisocket clients register) lives on the
//   member holding the client's connection, the subscriber. It registers a share of it on every
//   other member (kAddListener, and again on members that join later); each of them forwards
//   the events of the entries it owns to the subscriber (kEntryEvent), which pushes them to the
//   client as if fired locally. kRemoveListener ends a share.
// - Proxies (CreateProxy / DestroyProxy) are broadcast (kProxies), and a joining member gets
//   the full list, so GetDistributedObjects answers the same on every member.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/bytes.h"
#include "util/uuid.h"

namespace shoal::protocol {

enum class MemberSyncType : std::uint8_t {
    kAddListener = 1,     // subscriber -> member; answered once registered
    kRemoveListener = 2,  // subscriber -> member; one-way
    kEntryEvent = 3,      // member -> subscriber; one-way
    kProxies = 4,         // any member -> members; one-way
};

struct ListenerShare {
    util::Uuid registration;
    std::string map;
    std::optional<std::string> key;  // key identity; all keys if unset
    bool include_value = false;
    std::int32_t flags = 0;  // entry_event types wanted
};

// One event for one registration, with the fields the client's event carries.
struct ForwardedEvent {
    util::Uuid registration;
    std::optional<std::string> key;  // key Data; none for map-wide events
    std::optional<std::string> value;
    std::optional<std::string> old_value;
    std::int32_t event_type = 0;
    util::Uuid source;  // the member that fired it
    std::int32_t affected = 1;
    std::int32_t partition = -1;
};

struct ProxiesChange {
    bool destroyed = false;  // false: created (or the full list for a joining member)
    std::vector<std::pair<std::string, std::string>> proxies;  // (service, name)
};

// Each encoder writes the type byte first; decode_sync_type reads it.
std::string encode(const ListenerShare& m);
std::string encode_remove_listener(const util::Uuid& registration);
std::string encode(const ForwardedEvent& m);
std::string encode(const ProxiesChange& m);

MemberSyncType decode_sync_type(util::ByteReader& in);  // throws util::DecodeError
ListenerShare decode_listener_share(util::ByteReader& in);
util::Uuid decode_remove_listener(util::ByteReader& in);
ForwardedEvent decode_forwarded_event(util::ByteReader& in);
ProxiesChange decode_proxies_change(util::ByteReader& in);

}  // namespace shoal::protocol
