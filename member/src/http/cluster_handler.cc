// /hazelcast/rest/cluster and /hazelcast/rest/management/cluster/*: who is in the cluster, and
// the cluster state.
//
//   GET  /hazelcast/rest/cluster                       CLUSTER_READ  members as JSON; with
//        "Accept: text/plain" (and no json) Hazelcast's text: the members block, ConnectionCount,
//        AllConnectionCount (Shoal counts open HTTP connections in both)
//   POST .../management/cluster/state                  CLUSTER_READ  body "clusterName&password"
//   POST .../management/cluster/changeState            CLUSTER_WRITE body "clusterName&password&STATE"
//   GET  .../management/cluster/state                  CLUSTER_READ  no body
//   PUT  .../management/cluster/state                  CLUSTER_WRITE body {"state":"PASSIVE"}
//   GET|POST .../management/cluster/version            CLUSTER_READ
//
// Answers are Hazelcast's: {"status":"success","state":"passive"} (lower case), 403
// {"status":"forbidden"} for a wrong cluster name, and {"status":"fail","message":...} with 400
// for a refused or unknown state. The form pieces are URL-decoded. The password is ignored:
// Shoal has no member security (as open-source Hazelcast without a security config).
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "http/handlers.h"
#include "http/responses.h"
#include "http/uri.h"

namespace shoal::http {
namespace {

using status = beast_http::status;

std::string lower(std::string_view text) {
    std::string out;
    for (char c : text) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out;
}

std::string state_json(cluster::ClusterState state) {
    boost::json::object body;
    body["status"] = "success";
    body["state"] = lower(cluster::to_string(state));
    return boost::json::serialize(body);
}

// Splits Hazelcast's management body "clusterName&password&STATE" into decoded parts.
std::vector<std::string> form_parts(const std::string& body) {
    std::vector<std::string> parts;
    std::string_view rest = body;
    while (true) {
        const auto amp = rest.find('&');
        parts.push_back(percent_decode(rest.substr(0, amp), true).value_or(""));
        if (amp == std::string_view::npos) break;
        rest.remove_prefix(amp + 1);
    }
    return parts;
}

// {"status":"fail","message":...} with 400: Hazelcast's failure shape for management calls.
Response fail(const Request& request, std::string_view message) {
    boost::json::object body;
    body["status"] = "fail";
    body["message"] = std::string(message);
    return json_response(request, status::bad_request, boost::json::serialize(body));
}

Response change_state(const RouterContext& ctx, const Request& request, std::string_view requested) {
    const auto target = cluster::parse_cluster_state(requested);
    if (!target) {
        return fail(request, "unknown cluster state '" + utf8_or_escaped(requested) +
                                 "'; use ACTIVE, NO_MIGRATION, FROZEN or PASSIVE");
    }
    if (auto refused = ctx.cluster.change_state(*target)) return fail(request, *refused);
    return json_response(request, status::ok, state_json(*target));
}

// Hazelcast's form: POST .../state (read) and .../changeState (write), cluster name first.
Response hazelcast_form(const RouterContext& ctx, const Request& request, bool change) {
    const auto parts = form_parts(request.body());
    if (parts.empty() || parts[0] != ctx.cluster.cluster_name()) {
        // Hazelcast's body is {"status":"forbidden"}; the message is Shoal's.
        return json_response(request, status::forbidden,
                             R"({"status":"forbidden","message":"the cluster name does not match this member's"})");
    }
    if (!change) return json_response(request, status::ok, state_json(ctx.cluster.state()));
    if (parts.size() < 3 || parts[2].empty()) return fail(request, "the body must be clusterName&password&STATE");
    return change_state(ctx, request, parts[2]);
}

// Shoal's JSON form: PUT .../state with {"state": "PASSIVE"}.
Response json_change(const RouterContext& ctx, const Request& request) {
    boost::system::error_code ec;
    const auto body = boost::json::parse(request.body(), ec);
    if (ec || !body.is_object() || !body.as_object().contains("state") || !body.at("state").is_string()) {
        return error_response(request, status::bad_request, R"(the body must be JSON like {"state": "PASSIVE"})");
    }
    return change_state(ctx, request, body.at("state").as_string());
}

bool wants_text(const Request& request) {
    const auto accept = request[beast_http::field::accept];
    return accept.find("text/plain") != std::string_view::npos && accept.find("json") == std::string_view::npos;
}

}  // namespace

void handle_cluster_info(const RouterContext& ctx, const Request& request, Respond respond) {
    if (request.method() != beast_http::verb::get) return respond(method_not_allowed(request, "GET"));
    const auto view = ctx.cluster.view();
    const long connections = ctx.counters.open_connections.load();
    if (wants_text(request)) {
        std::string text = cluster::format_members_block(view);
        text += "ConnectionCount: " + std::to_string(connections) + "\n";
        text += "AllConnectionCount: " + std::to_string(connections) + "\n";
        return respond(make_response(request, status::ok, kText, std::move(text)));
    }
    boost::json::object body;
    body["clusterName"] = ctx.cluster.cluster_name();
    body["clusterId"] = view.cluster_id.to_string();
    body["state"] = std::string(cluster::to_string(view.state));
    body["memberListVersion"] = view.version;
    body["version"] = SHOAL_VERSION;
    boost::json::array members;
    for (const auto& m : view.members) {
        boost::json::object member;
        member["address"] = m.host + ":" + std::to_string(m.port);
        member["host"] = m.host;
        member["port"] = m.port;
        member["uuid"] = m.uuid.to_string();
        member["local"] = m.local;
        members.push_back(std::move(member));
    }
    body["members"] = std::move(members);
    body["connections"] = connections;
    respond(json_response(request, status::ok, boost::json::serialize(body)));
}

void handle_management(const RouterContext& ctx, const Request& request, const std::string& action, Respond respond) {
    using verb = beast_http::verb;
    const auto& rest = ctx.config.network.rest_api;
    const bool write = action == "changeState" || (action == "state" && request.method() == verb::put);
    if (write ? !rest.cluster_write : !rest.cluster_read) {
        return respond(group_disabled(request, write ? "CLUSTER_WRITE" : "CLUSTER_READ"));
    }
    if (action == "version") {
        if (request.method() != verb::get && request.method() != verb::post) {
            return respond(method_not_allowed(request, "GET, POST"));
        }
        return respond(json_response(request, status::ok, R"({"status":"success","version":")" SHOAL_VERSION R"("})"));
    }
    if (action == "state") {
        switch (request.method()) {
            case verb::get: return respond(json_response(request, status::ok, state_json(ctx.cluster.state())));
            case verb::post: return respond(hazelcast_form(ctx, request, false));
            case verb::put: return respond(json_change(ctx, request));
            default: return respond(method_not_allowed(request, "GET, POST, PUT"));
        }
    }
    if (action == "changeState") {
        if (request.method() != verb::post) return respond(method_not_allowed(request, "POST"));
        return respond(hazelcast_form(ctx, request, true));
    }
    respond(error_response(request, status::not_found,
                           "no such management endpoint: " + action + "; use state, changeState or version"));
}

}  // namespace shoal::http
