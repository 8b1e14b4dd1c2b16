// The owner of a key lock, as the member side of the client protocol names it: the client's
// UUID (16 bytes) followed by the calling thread's id (8 bytes), both big-endian. Every
// thread of every client is a different owner; a client's UUID alone is the prefix of all its
// owners (used to release its locks when it leaves). See map/lock_table.h.
#pragma once

#include <cstdint>
#include <string>

#include "util/uuid.h"

namespace shoal::protocol {

inline std::string lock_owner_prefix(const util::Uuid& client) {
    std::string out;
    for (std::uint64_t part : {client.most, client.least}) {
        for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((part >> shift) & 0xff));
    }
    return out;
}

inline std::string lock_owner(const util::Uuid& client, std::int64_t thread_id) {
    std::string out = lock_owner_prefix(client);
    const auto id = static_cast<std::uint64_t>(thread_id);
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((id >> shift) & 0xff));
    return out;
}

}  // namespace shoal::protocol
