// The endpoint families the Router dispatches to, one file each.
#pragma once

#include <string>
#include <vector>

#include "http/router.h"
#include "http/uri.h"

namespace shoal::http {

// /hazelcast/health[/<suffix>]
void handle_health(const RouterContext& context, const Request& request, const std::string& suffix, Respond respond);
// /hazelcast/rest/maps/{map}[/{key}]; `segments` are the decoded parts after "maps".
void handle_rest_map(const RouterContext& context, const Request& request, const Target& target,
                     const std::vector<std::string>& segments, Respond respond);
// /hazelcast/rest/cluster
void handle_cluster_info(const RouterContext& context, const Request& request, Respond respond);
// /hazelcast/rest/management/cluster/<action>
void handle_management(const RouterContext& context, const Request& request, const std::string& action,
                       Respond respond);
// /metrics
void handle_metrics(const RouterContext& context, const Request& request, Respond respond);

// A 405 naming the methods the path accepts.
Response method_not_allowed(const Request& request, std::string_view allowed);

}  // namespace shoal::http
