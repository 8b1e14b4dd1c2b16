// Router: path dispatch and endpoint-group gating. See router.h.
#include "http/router.h"

#include "http/handlers.h"
#include "http/responses.h"

namespace shoal::http {
namespace {

using status = beast_http::status;

constexpr std::string_view kHealthPath = "/hazelcast/health";
constexpr std::string_view kRestPrefix = "/hazelcast/rest/";
constexpr std::string_view kMapsPrefix = "/hazelcast/rest/maps/";

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

void Router::handle(const Request& request, Respond respond) const {
    const auto target = parse_target(request.target());
    if (!target) {
        respond(error_response(request, status::bad_request, "malformed percent-escape in the query string"));
        return;
    }
    const std::string_view path = target->path;
    const auto& rest = context_.config.network.rest_api;

    if (path == "/metrics") return handle_metrics(context_, request, std::move(respond));

    if (path == kHealthPath || starts_with(path, std::string(kHealthPath) + "/")) {
        if (!rest.enabled || !rest.health_check) return respond(group_disabled(request, "HEALTH_CHECK"));
        return handle_health(context_, request, path.substr(kHealthPath.size()), std::move(respond));
    }
    if (!starts_with(path, kRestPrefix)) {
        return respond(error_response(request, status::not_found,
                                      "no such endpoint: " + std::string(path) +
                                          "; Shoal serves /hazelcast/health/*, /hazelcast/rest/* and /metrics"));
    }
    if (!rest.enabled) {
        return respond(error_response(request, status::forbidden,
                                      "the REST API is disabled; enable it with network.rest-api.enabled"));
    }
    if (starts_with(path, kMapsPrefix)) {
        if (!rest.data) return respond(group_disabled(request, "DATA"));
        return handle_rest_map(context_, request, *target, path.substr(kMapsPrefix.size()), std::move(respond));
    }
    const auto segments = decoded_segments(path);
    if (!segments) return respond(error_response(request, status::bad_request, "malformed percent-escape in the path"));
    const auto& s = *segments;  // "hazelcast", "rest", ...
    if (s.size() == 3 && s[2] == "cluster") {
        if (!rest.cluster_read) return respond(group_disabled(request, "CLUSTER_READ"));
        return handle_cluster_info(context_, request, std::move(respond));
    }
    if (s.size() == 3 && s[2] == "persistence") {
        if (!rest.cluster_read) return respond(group_disabled(request, "CLUSTER_READ"));
        return handle_persistence(context_, request, std::move(respond));
    }
    if (s.size() == 5 && s[2] == "management" && s[3] == "cluster") {
        return handle_management(context_, request, s[4], std::move(respond));
    }
    if (s.size() == 3 && s[2] == "maps") {
        return respond(error_response(request, status::not_found,
                                      "use /hazelcast/rest/maps/{map} or /hazelcast/rest/maps/{map}/{key}"));
    }
    respond(error_response(request, status::not_found, "no such endpoint: " + std::string(path)));
}

}  // namespace shoal::http
