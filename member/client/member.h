// Member: a cluster member as the client sees it in the cluster view.
#pragma once

#include <string>

namespace shoal::client {

struct Member {
    std::string uuid;     // canonical 8-4-4-4-12 text
    std::string host;
    int port = 0;
    std::string address() const { return host + ":" + std::to_string(port); }
    friend bool operator==(const Member&, const Member&) = default;
};

}  // namespace shoal::client
