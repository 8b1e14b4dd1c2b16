// /hazelcast/health/*: what Kubernetes probes ask, with Hazelcast's paths and status codes.
//
//   node-state            200 "ACTIVE" | "PASSIVE" | "SHUTTING_DOWN"; 503 "SHUT_DOWN"   (liveness)
//   ready                 200 {"status":"READY"}; 503 {"status":"NOT_READY","nodeState":..}  (readiness)
//   cluster-state         200 "ACTIVE" | "NO_MIGRATION" | "FROZEN" | "PASSIVE" | "IN_TRANSITION"
//   cluster-safe          200 {"clusterSafe":true}; 503 {"clusterSafe":false}
//   migration-queue-size  200 <number>
//   cluster-size          200 <number>
//   (none) or "/"         200 {"nodeState","clusterState","clusterSafe","migrationQueueSize","clusterSize"}
//   anything else         400 naming the known checks
//
// Hazelcast answers ready and cluster-safe with an empty body; Shoal adds a small JSON body
// (probes only look at the status). Answers read the cluster service only, never the data path,
// so probes answer in every cluster state, PASSIVE included. GET and HEAD only.
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "http/handlers.h"
#include "http/responses.h"

namespace shoal::http {
namespace {

using status = beast_http::status;

std::string json_string(std::string_view text) { return boost::json::serialize(boost::json::value(std::string(text))); }

}  // namespace

void handle_health(const RouterContext& context, const Request& request, std::string_view suffix, Respond respond) {
    if (request.method() != beast_http::verb::get && request.method() != beast_http::verb::head) {
        return respond(method_not_allowed(request, "GET, HEAD"));
    }
    const auto& cluster = context.cluster;
    const auto node_state = cluster.node_state();

    if (suffix.empty() || suffix == "/") {
        const auto view = cluster.view();
        boost::json::object all;
        all["nodeState"] = std::string(cluster::to_string(node_state));
        all["clusterState"] = std::string(cluster::to_string(view.state));
        all["clusterSafe"] = cluster.cluster_safe();
        all["migrationQueueSize"] = cluster.migration_queue_size();
        all["clusterSize"] = view.members.size();
        return respond(json_response(request, status::ok, boost::json::serialize(all)));
    }
    if (suffix == "/node-state") {
        const auto code = node_state == cluster::NodeState::kShutDown ? status::service_unavailable : status::ok;
        return respond(json_response(request, code, json_string(cluster::to_string(node_state))));
    }
    if (suffix == "/ready") {
        if (cluster.ready()) return respond(json_response(request, status::ok, R"({"status":"READY"})"));
        boost::json::object body;
        body["status"] = "NOT_READY";
        body["nodeState"] = std::string(cluster::to_string(node_state));
        return respond(json_response(request, status::service_unavailable, boost::json::serialize(body)));
    }
    if (suffix == "/cluster-state") {
        return respond(json_response(request, status::ok, json_string(cluster::to_string(cluster.state()))));
    }
    if (suffix == "/cluster-safe") {
        const bool safe = cluster.cluster_safe();
        return respond(json_response(request, safe ? status::ok : status::service_unavailable,
                                     safe ? R"({"clusterSafe":true})" : R"({"clusterSafe":false})"));
    }
    if (suffix == "/migration-queue-size") {
        return respond(json_response(request, status::ok, std::to_string(cluster.migration_queue_size())));
    }
    if (suffix == "/cluster-size") {
        return respond(json_response(request, status::ok, std::to_string(cluster.view().members.size())));
    }
    respond(error_response(request, status::bad_request,
                           "unknown health check '" + std::string(suffix.substr(1)) +
                               "'; use node-state, ready, cluster-state, cluster-safe, migration-queue-size or "
                               "cluster-size"));
}

}  // namespace shoal::http
