// Router: one HTTP request in, one response out (asynchronously), with no socket in sight, so
// tests and the fuzz target drive the real request path directly.
#pragma once

#include "cluster/cluster_service.h"
#include "config/member_config.h"
#include "http/http_types.h"
#include "partition/map_operations.h"

namespace shoal::http {

struct RouterContext {
    const config::MemberConfig& config;
    partition::MapOperations& maps;
    cluster::ClusterService& cluster;
    HttpCounters& counters;
};

class Router {
public:
    explicit Router(RouterContext context) : context_(context) {}

    // `respond` is called exactly once, possibly on a partition thread.
    void handle(const Request& request, Respond respond) const;

private:
    RouterContext context_;
};

}  // namespace shoal::http
