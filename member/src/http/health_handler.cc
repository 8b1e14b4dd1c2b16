// /hazelcast/health/*: what Kubernetes probes ask. Liveness uses node-state (503 only once shut
// down), readiness uses ready (200 once running and joined). Answers never touch the data path.
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "http/handlers.h"
#include "http/responses.h"

namespace shoal::http {
namespace {

using status = beast_http::status;

std::string json_string(std::string_view text) { return boost::json::serialize(boost::json::value(std::string(text))); }

}  // namespace

void handle_health(const RouterContext& context, const Request& request, const std::string& suffix, Respond respond) {
    if (request.method() != beast_http::verb::get && request.method() != beast_http::verb::head) {
        respond(method_not_allowed(request, "GET, HEAD"));
        return;
    }
    const auto& cluster = context.cluster;
    const auto node_state = cluster.node_state();
    const auto view = cluster.view();
    const bool safe = cluster.cluster_safe();
    const int migrations = cluster.migration_queue_size();

    if (suffix.empty() || suffix == "/") {
        boost::json::object all;
        all["nodeState"] = std::string(cluster::to_string(node_state));
        all["clusterState"] = std::string(cluster::to_string(view.state));
        all["clusterSafe"] = safe;
        all["migrationQueueSize"] = migrations;
        all["clusterSize"] = view.members.size();
        respond(json_response(request, status::ok, boost::json::serialize(all)));
    } else if (suffix == "/node-state") {
        const auto code = node_state == cluster::NodeState::kShutDown ? status::service_unavailable : status::ok;
        respond(json_response(request, code, json_string(cluster::to_string(node_state))));
    } else if (suffix == "/ready") {
        const bool ready = cluster.ready();
        respond(json_response(request, ready ? status::ok : status::service_unavailable,
                              ready ? R"({"ready":true})" : R"({"ready":false})"));
    } else if (suffix == "/cluster-state") {
        respond(json_response(request, status::ok, json_string(cluster::to_string(view.state))));
    } else if (suffix == "/cluster-safe") {
        respond(json_response(request, safe ? status::ok : status::service_unavailable,
                              safe ? R"({"clusterSafe":true})" : R"({"clusterSafe":false})"));
    } else if (suffix == "/migration-queue-size") {
        respond(json_response(request, status::ok, std::to_string(migrations)));
    } else if (suffix == "/cluster-size") {
        respond(json_response(request, status::ok, std::to_string(view.members.size())));
    } else {
        respond(error_response(request, status::bad_request,
                               "unknown health check '" + suffix.substr(1) +
                                   "'; use node-state, ready, cluster-state, cluster-safe, migration-queue-size "
                                   "or cluster-size"));
    }
}

}  // namespace shoal::http
