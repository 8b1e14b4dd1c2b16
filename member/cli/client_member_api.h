// ClientMemberApi: MemberApi whose data commands (put, get, remove, size, keys) go over the
// Hazelcast client protocol through the client library (a unisocket connection to --address),
// while health, cluster, state and persistence, which have no client message, stay on REST.
#pragma once

#include <chrono>
#include <memory>

#include "member_api.h"
#include "rest_member_api.h"

namespace shoal::cli {

std::unique_ptr<MemberApi> make_client_member_api(Endpoint endpoint, std::string cluster_name,
                                                  std::chrono::milliseconds timeout);

}  // namespace shoal::cli
