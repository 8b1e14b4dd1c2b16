#include "http/router.h"

#include "http/handlers.h"
#include "http/responses.h"

namespace shoal::http {
namespace {

using status = beast_http::status;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Hazelcast answers 403 for a disabled endpoint group and names the switch.
Response group_disabled(const Request& request, std::string_view group, std::string_view key) {
    return error_response(request, status::forbidden,
                          "the " + std::string(group) + " REST endpoint group is disabled; enable it with " +
                              std::string(key));
}

}  // namespace

Response method_not_allowed(const Request& request, std::string_view allowed) {
    Response response = error_response(request, status::method_not_allowed,
                                       "method " + std::string(request.method_string()) + " is not allowed here; use " +
                                           std::string(allowed));
    response.set(beast_http::field::allow, allowed);
    return response;
}

void Router::handle(const Request& request, Respond respond) const {
    const auto target = parse_target(request.target());
    if (!target) {
        respond(error_response(request, status::bad_request, "malformed percent-escape in the query string"));
        return;
    }
    const std::string& path = target->path;
    const auto& rest = context_.config.network.rest_api;

    if (path == "/metrics") {
        handle_metrics(context_, request, std::move(respond));
        return;
    }
    if (path == "/hazelcast/health" || starts_with(path, "/hazelcast/health/")) {
        if (!rest.enabled || !rest.health_check) {
            respond(group_disabled(request, "HEALTH_CHECK", "network.rest-api.endpoint-groups.HEALTH_CHECK.enabled"));
            return;
        }
        const std::string suffix = path.substr(std::string_view("/hazelcast/health").size());
        handle_health(context_, request, suffix, std::move(respond));
        return;
    }
    if (!starts_with(path, "/hazelcast/rest/")) {
        respond(error_response(request, status::not_found, "no such endpoint: " + path));
        return;
    }
    if (!rest.enabled) {
        respond(error_response(request, status::forbidden, "the REST API is disabled; enable it with network.rest-api.enabled"));
        return;
    }
    const auto segments = decoded_segments(path);
    if (!segments) {
        respond(error_response(request, status::bad_request, "malformed percent-escape in the path"));
        return;
    }
    const auto& s = *segments;  // "hazelcast", "rest", ...
    if (s.size() >= 3 && s[2] == "maps") {
        if (!rest.data) {
            respond(group_disabled(request, "DATA", "network.rest-api.endpoint-groups.DATA.enabled"));
            return;
        }
        handle_rest_map(context_, request, *target, {s.begin() + 3, s.end()}, std::move(respond));
        return;
    }
    if (s.size() == 3 && s[2] == "cluster") {
        if (!rest.cluster_read) {
            respond(group_disabled(request, "CLUSTER_READ", "network.rest-api.endpoint-groups.CLUSTER_READ.enabled"));
            return;
        }
        handle_cluster_info(context_, request, std::move(respond));
        return;
    }
    if (s.size() == 5 && s[2] == "management" && s[3] == "cluster") {
        handle_management(context_, request, s[4], std::move(respond));
        return;
    }
    respond(error_response(request, status::not_found, "no such endpoint: " + path));
}

}  // namespace shoal::http
