// The endpoint families the Router dispatches to, one file each. Each parses its request,
// runs it (on a partition thread when it touches data) and replies through responses.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/router.h"
#include "http/uri.h"

namespace shoal::http {

// /hazelcast/health[/<suffix>]; `suffix` is "" or starts with '/'.
void handle_health(const RouterContext& context, const Request& request, std::string_view suffix, Respond respond);
// /hazelcast/rest/maps/<rest>; `rest` is the still-encoded path after "maps/": "{map}" or
// "{map}/{key}" (the key may hold further '/').
void handle_rest_map(const RouterContext& context, const Request& request, const Target& target,
                     std::string_view rest, Respond respond);
// /hazelcast/rest/cluster
void handle_cluster_info(const RouterContext& context, const Request& request, Respond respond);
// /hazelcast/rest/management/cluster/<action>
void handle_management(const RouterContext& context, const Request& request, const std::string& action,
                       Respond respond);
// /hazelcast/rest/persistence
void handle_persistence(const RouterContext& context, const Request& request, Respond respond);
// /metrics
void handle_metrics(const RouterContext& context, const Request& request, Respond respond);

}  // namespace shoal::http
