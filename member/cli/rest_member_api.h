// RestMemberApi: MemberApi over the member's HTTP port (Beast, synchronous, with timeouts).
#pragma once

#include <chrono>
#include <memory>

#include "member_api.h"

namespace shoal::cli {

struct Endpoint {
    std::string host = "127.0.0.1";
    int port = 5701;
};

std::unique_ptr<MemberApi> make_rest_member_api(Endpoint endpoint, std::string cluster_name,
                                                std::chrono::milliseconds timeout);

}  // namespace shoal::cli
