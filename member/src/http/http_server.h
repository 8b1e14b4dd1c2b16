// HttpServer: Hazelcast's HTTP face on the member port: health probes, REST maps, cluster
// management and Prometheus metrics (Boost.Beast; Beast stays inside the .cc files).
// Included only where connections are wired (app/member.cc), so Asio's socket header is fine.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>

#include "cluster/cluster_service.h"
#include "config/member_config.h"
#include "http/persistence_status.h"
#include "partition/map_operations.h"

namespace shoal::http {

struct HttpDependencies {
    const config::MemberConfig& config;
    partition::MapOperations& maps;
    cluster::ClusterService& cluster;
    std::function<PersistenceStatus()> persistence = {};  // unset: persistence off
};

class HttpServer {
public:
    explicit HttpServer(HttpDependencies deps);
    ~HttpServer();

    // Serves one connection whose first bytes (`already_read`) the listener consumed.
    void serve(boost::asio::ip::tcp::socket socket, std::string already_read);

    // Open HTTP connections right now.
    long open_connections() const;

private:
    struct Shared;
    std::shared_ptr<Shared> shared_;
};

}  // namespace shoal::http
