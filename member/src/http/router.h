// Router: one HTTP request in, one response out (asynchronously), with no socket in sight, so
// tests and the fuzz target drive the real request path directly.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "cluster/cluster_service.h"
#include "config/member_config.h"
#include "http/http_types.h"
#include "http/persistence_status.h"
#include "partition/map_operations.h"

namespace shoal::http {

struct RouterContext {
    const config::MemberConfig& config;
    partition::MapOperations& maps;
    cluster::ClusterService& cluster;
    HttpCounters& counters;
    std::function<PersistenceStatus()> persistence;
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
