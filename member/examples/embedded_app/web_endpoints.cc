// WebEndpoints: /put, /get and /health of the embedded example app (see web_endpoints.h).
#include "web_endpoints.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "http/responses.h"
#include "http/rest_body.h"
#include "http/uri.h"
#include "map/data.h"

namespace shoal::examples {
namespace {

using http::Request;
using http::Respond;
using partition::OpStatus;
using status = http::beast_http::status;
using verb = http::beast_http::verb;

std::string json(const boost::json::object& object) { return boost::json::serialize(object); }

// The error reply for an operation that did not succeed, or nullopt when it did.
std::optional<http::Response> status_error(const Request& request, OpStatus op_status) {
    switch (op_status) {
        case OpStatus::kOk: return std::nullopt;
        case OpStatus::kReadOnly:
            return http::error_response(request, status::service_unavailable, "cluster state is PASSIVE: the map is read-only");
        case OpStatus::kInvalidArgument:
            return http::error_response(request, status::bad_request, "the map or key is not valid");
        case OpStatus::kLocked:
            return http::error_response(request, status::service_unavailable,
                                        "the key stayed locked by a client for as long as the write waits; retry");
        case OpStatus::kNotOwner:
        case OpStatus::kUnavailable:
            return http::error_response(request, status::service_unavailable,
                                        "no member owning the key's partition answered in time; retry");
    }
    return http::error_response(request, status::internal_server_error, "unexpected operation status");
}

// A stored value as JSON: its text when it has one (String, JSON value, numbers), else null.
boost::json::value value_json(const std::optional<std::string>& data) {
    if (!data) return nullptr;
    http::RenderedValue rendered = http::render_value(*data);
    if (rendered.raw_type_id) return nullptr;
    return boost::json::string(rendered.body);
}

struct Arguments {
    std::string map;
    std::string key;
    std::optional<std::string> value;
};

// map (default "map"), key (required), value (required when `needs_value`), all UTF-8.
std::optional<Arguments> parse_arguments(const http::Target& target, bool needs_value, std::string& error) {
    Arguments out;
    const auto find = [&](const char* name) -> const std::string* {
        auto it = target.query.find(name);
        return it == target.query.end() ? nullptr : &it->second;
    };
    const std::string* map = find("map");
    out.map = map && !map->empty() ? *map : kDefaultMap;
    const std::string* key = find("key");
    if (!key) {
        error = "query parameter 'key' is required";
        return std::nullopt;
    }
    out.key = *key;
    if (const std::string* value = find("value")) out.value = *value;
    if (needs_value && !out.value) {
        error = "query parameter 'value' is required";
        return std::nullopt;
    }
    for (const std::string* text : {&out.map, &out.key}) {
        if (!http::is_valid_utf8(*text)) error = "map, key and value must be UTF-8";
    }
    if (out.value && !http::is_valid_utf8(*out.value)) error = "map, key and value must be UTF-8";
    if (!error.empty()) return std::nullopt;
    return out;
}

void put(partition::MapOperations& maps, const Request& request, Arguments args, Respond respond) {
    std::string map = args.map, key = map::string_data(args.key), value = map::string_data(*args.value);
    maps.put(std::move(map), std::move(key), std::move(value), map::EntryLimits{},
             [request = http::without_body(request), args = std::move(args),
              respond = std::move(respond)](partition::OpResult<std::optional<std::string>> r) {
                 if (auto error = status_error(request, r.status)) return respond(std::move(*error));
                 respond(http::json_response(request, status::ok,
                                             json({{"map", args.map}, {"key", args.key}, {"value", *args.value},
                                                   {"previous", value_json(r.value)}})));
             });
}

void get(partition::MapOperations& maps, const Request& request, Arguments args, Respond respond) {
    std::string map = args.map, key = map::string_data(args.key);
    maps.get(std::move(map), std::move(key),
             [request = http::without_body(request), args = std::move(args),
              respond = std::move(respond)](partition::OpResult<std::optional<std::string>> r) {
                 if (auto error = status_error(request, r.status)) return respond(std::move(*error));
                 respond(http::json_response(request, status::ok,
                                             json({{"map", args.map}, {"key", args.key},
                                                   {"value", value_json(r.value)}, {"found", r.value.has_value()}})));
             });
}

void health(cluster::ClusterService& cluster, const Request& request, Respond respond) {
    const bool ready = cluster.ready();
    const auto member = cluster.local_member();
    respond(http::json_response(request, ready ? status::ok : status::service_unavailable,
                                json({{"status", ready ? "UP" : "STARTING"},
                                      {"member", member.host + ":" + std::to_string(member.port)},
                                      {"clusterSize", cluster.view().members.size()}})));
}

}  // namespace

http::RequestHandler web_endpoints(partition::MapOperations& maps, cluster::ClusterService& cluster) {
    return [&maps, &cluster](const Request& request, Respond respond) {
        auto target = http::parse_target(request.target());
        if (!target) return respond(http::error_response(request, status::bad_request, "malformed percent-escape in the query"));
        const bool get_or_head = request.method() == verb::get || request.method() == verb::head;
        std::string error;
        if (target->path == "/put") {
            if (!get_or_head && request.method() != verb::post) return respond(http::method_not_allowed(request, "GET, POST"));
            auto args = parse_arguments(*target, true, error);
            if (!args) return respond(http::error_response(request, status::bad_request, error));
            return put(maps, request, std::move(*args), std::move(respond));
        }
        if (target->path == "/get") {
            if (!get_or_head) return respond(http::method_not_allowed(request, "GET"));
            auto args = parse_arguments(*target, false, error);
            if (!args) return respond(http::error_response(request, status::bad_request, error));
            return get(maps, request, std::move(*args), std::move(respond));
        }
        if (target->path == "/health") {
            if (!get_or_head) return respond(http::method_not_allowed(request, "GET"));
            return health(cluster, request, std::move(respond));
        }
        respond(http::error_response(request, status::not_found, "unknown path; use /put, /get or /health"));
    };
}

}  // namespace shoal::examples
