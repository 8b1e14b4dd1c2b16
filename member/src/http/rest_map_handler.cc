// /hazelcast/rest/maps/{map}/{key}: Hazelcast's REST map API, plus a paged key listing.
//
// Each request is parsed here, runs as a MapOperations call on the owning partition thread, and
// its OpStatus is turned into a status code in one place (status_error).
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <memory>

#include "http/handlers.h"
#include "http/responses.h"
#include "http/rest_value.h"
#include "map/data.h"

namespace shoal::http {
namespace {

using status = beast_http::status;
using partition::OpResult;
using partition::OpStatus;

constexpr std::size_t kDefaultPageSize = 1000;
constexpr std::size_t kMaxPageSize = 10000;

// The error reply for an operation that did not succeed, or nullopt when it did.
std::optional<Response> status_error(const Request& request, OpStatus op_status) {
    switch (op_status) {
        case OpStatus::kOk: return std::nullopt;
        case OpStatus::kReadOnly:
            return error_response(request, status::service_unavailable, "cluster state is PASSIVE: the map is read-only");
        case OpStatus::kInvalidArgument:
            return error_response(request, status::bad_request, "the key is not valid");
    }
    return error_response(request, status::internal_server_error, "unexpected operation status");
}

// A non-negative integer query parameter up to INT32_MAX (Hazelcast's range for seconds);
// -1 when absent; nullopt when malformed or out of range.
std::optional<long> query_number(const Target& target, const std::string& name) {
    auto it = target.query.find(name);
    if (it == target.query.end()) return -1;
    long value = 0;
    const std::string& s = it->second;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || value < 0 || value > INT32_MAX) {
        return std::nullopt;
    }
    return value;
}

void get_entry(const RouterContext& ctx, const Request& request, std::string map, std::string key, Respond respond) {
    ctx.maps.get(std::move(map), std::move(key),
                 [request, respond = std::move(respond)](OpResult<std::optional<std::string>> r) {
                     if (auto error = status_error(request, r.status)) return respond(std::move(*error));
                     if (!r.value) return respond(make_response(request, status::no_content, "", ""));
                     RenderedValue value = render_value(*r.value);
                     Response response = make_response(request, status::ok, value.content_type, std::move(value.body));
                     if (value.raw_type_id) response.set("X-Shoal-Type-Id", std::to_string(*value.raw_type_id));
                     respond(std::move(response));
                 });
}

void put_entry(const RouterContext& ctx, const Request& request, const Target& target, std::string map, std::string key,
               Respond respond) {
    const auto ttl = query_number(target, "ttl");
    const auto max_idle = query_number(target, "maxIdle");
    if (!ttl || !max_idle) {
        respond(error_response(request, status::bad_request,
                               std::string("query parameter '") + (!ttl ? "ttl" : "maxIdle") +
                                   "' must be a whole number of seconds up to 2147483647"));
        return;
    }
    map::EntryLimits limits;
    if (*ttl >= 0) limits.ttl_ms = *ttl * 1000;
    if (*max_idle >= 0) limits.max_idle_ms = *max_idle * 1000;
    const std::string content_type(request[beast_http::field::content_type]);
    ctx.maps.set(std::move(map), std::move(key), value_data_from_body(content_type, request.body()), limits,
                 [request, respond = std::move(respond)](OpResult<bool> r) {
                     if (auto error = status_error(request, r.status)) return respond(std::move(*error));
                     respond(json_response(request, status::ok, R"({"status":"success"})"));
                 });
}

void remove_entry(const RouterContext& ctx, const Request& request, std::string map, std::string key, Respond respond) {
    ctx.maps.erase(std::move(map), std::move(key), [request, respond = std::move(respond)](OpResult<bool> r) {
        if (auto error = status_error(request, r.status)) return respond(std::move(*error));
        respond(json_response(request, status::ok, R"({"status":"success"})"));
    });
}

void clear_map(const RouterContext& ctx, const Request& request, std::string map, Respond respond) {
    ctx.maps.clear(std::move(map), [request, respond = std::move(respond)](OpResult<bool> r) {
        if (auto error = status_error(request, r.status)) return respond(std::move(*error));
        respond(json_response(request, status::ok, R"({"status":"success"})"));
    });
}

boost::json::value key_json(const std::string& key) {
    if (auto text = key_as_text(key)) return boost::json::value(*text);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : key.substr(std::min<std::size_t>(key.size(), map::kDataHeaderSize))) {
        hex.push_back(kHex[c >> 4]);
        hex.push_back(kHex[c & 15]);
    }
    boost::json::object object;
    object["typeId"] = map::is_valid_data(key) ? map::data_type(key) : 0;
    object["hex"] = hex;
    return object;
}

// GET /hazelcast/rest/maps/{map}?cursor=&limit=: the size and one page of keys.
void list_keys(const RouterContext& ctx, const Request& request, const Target& target, std::string map, Respond respond) {
    const auto cursor = query_number(target, "cursor");
    const auto limit = query_number(target, "limit");
    if (!cursor || !limit || *cursor >= ctx.maps.partition_count() || *limit == 0 ||
        *limit > static_cast<long>(kMaxPageSize)) {
        respond(error_response(request, status::bad_request,
                               "cursor must be a partition id below " + std::to_string(ctx.maps.partition_count()) +
                                   " and limit between 1 and " + std::to_string(kMaxPageSize)));
        return;
    }
    const int first = *cursor < 0 ? 0 : static_cast<int>(*cursor);
    const std::size_t page_size = *limit < 0 ? kDefaultPageSize : static_cast<std::size_t>(*limit);
    auto& maps = ctx.maps;
    maps.size(map, [&maps, request, map, first, page_size, respond = std::move(respond)](OpResult<std::size_t> size) {
        maps.key_page(map, first, page_size,
                      [request, map, size = size.value, respond](OpResult<partition::KeyPage> page) {
                          boost::json::object body;
                          body["name"] = map;
                          body["size"] = size;
                          boost::json::array keys;
                          for (const auto& key : page.value.keys) keys.push_back(key_json(key));
                          body["keys"] = std::move(keys);
                          if (page.value.next_partition >= 0) {
                              body["nextCursor"] = page.value.next_partition;
                          } else {
                              body["nextCursor"] = nullptr;
                          }
                          respond(json_response(request, status::ok, boost::json::serialize(body)));
                      });
    });
}

}  // namespace

void handle_rest_map(const RouterContext& ctx, const Request& request, const Target& target,
                     const std::vector<std::string>& segments, Respond respond) {
    using verb = beast_http::verb;
    if (segments.empty() || segments.size() > 2 || segments[0].empty()) {
        respond(error_response(request, status::not_found, "use /hazelcast/rest/maps/{map} or /hazelcast/rest/maps/{map}/{key}"));
        return;
    }
    std::string map = segments[0];
    if (segments.size() == 1) {
        if (request.method() == verb::get) return list_keys(ctx, request, target, std::move(map), std::move(respond));
        if (request.method() == verb::delete_) return clear_map(ctx, request, std::move(map), std::move(respond));
        return respond(method_not_allowed(request, "GET, DELETE"));
    }
    std::string key = map::string_data(segments[1]);
    switch (request.method()) {
        case verb::get: return get_entry(ctx, request, std::move(map), std::move(key), std::move(respond));
        case verb::post:
        case verb::put: return put_entry(ctx, request, target, std::move(map), std::move(key), std::move(respond));
        case verb::delete_: return remove_entry(ctx, request, std::move(map), std::move(key), std::move(respond));
        default: return respond(method_not_allowed(request, "GET, POST, PUT, DELETE"));
    }
}

}  // namespace shoal::http
