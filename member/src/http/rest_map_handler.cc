// /hazelcast/rest/maps/{map}[/{key}]: Hazelcast's REST map API, plus a paged key listing.
//
//   GET    .../{map}/{key}        200 the value with its Content-Type (rest_body.h); 204 when absent
//   POST   .../{map}/{key}        put (PUT too); ?ttl=<s> and ?maxIdle=<s> (0 = unlimited); 200
//   DELETE .../{map}/{key}        remove; 200
//   GET    .../{map}              {"name","size","keys":[...],"nextCursor"}; ?cursor=<partition>&limit=<n>
//   DELETE .../{map}              clear; 200
//
// The map name is the first path segment, the key everything after its '/' (so a key may hold
// '/', encoded or not); both are percent-decoded and must be UTF-8; a key is stored as the Java
// String Data a Hazelcast client would send for it. A trailing '/' after the map name means the
// map itself. Each request is parsed here, runs as a MapOperations call on the owning partition
// thread, and its OpStatus becomes a status code in one place (status_error).
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <memory>
#include <mutex>

#include "http/handlers.h"
#include "http/responses.h"
#include "http/rest_body.h"
#include "map/data.h"

namespace shoal::http {
namespace {

using status = beast_http::status;
using partition::OpResult;
using partition::OpStatus;

constexpr long kDefaultPageSize = 1000;
constexpr long kMaxPageSize = 10000;
constexpr long kMaxSeconds = INT32_MAX;  // Hazelcast's range for ttl and maxIdle
constexpr std::string_view kSuccess = R"({"status":"success"})";

// The error reply for an operation that did not succeed, or nullopt when it did.
std::optional<Response> status_error(const Request& request, OpStatus op_status) {
    switch (op_status) {
        case OpStatus::kOk: return std::nullopt;
        case OpStatus::kReadOnly:
            return error_response(request, status::service_unavailable, "cluster state is PASSIVE: the map is read-only");
        case OpStatus::kInvalidArgument:
            return error_response(request, status::bad_request, "the map or key is not valid");
        case OpStatus::kLocked:
            return error_response(request, status::service_unavailable,
                                  "the key stayed locked (IMap.lock) by a client for as long as the write waits; retry");
        case OpStatus::kNotOwner:
        case OpStatus::kUnavailable:
            return error_response(request, status::service_unavailable,
                                  "no member owning the key's partition answered in time; retry");
    }
    return error_response(request, status::internal_server_error, "unexpected operation status");
}

// An integer query parameter in [min, max]: -1 when absent, nullopt when malformed or out of range.
std::optional<long> query_number(const Target& target, const std::string& name, long min, long max) {
    const auto it = target.query.find(name);
    if (it == target.query.end()) return -1;
    const std::string& text = it->second;
    long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
        return std::nullopt;
    }
    return value;
}

// ---- parse: the map and key out of the path ----

struct MapPath {
    std::string map;
    std::optional<std::string> key;  // nullopt: the map itself
};

// Decodes one name; fills `error` (naming `what`) when it is not a percent-encoded UTF-8 string.
std::optional<std::string> decode_name(std::string_view encoded, std::string_view what, std::string& error) {
    auto decoded = percent_decode(encoded);
    if (!decoded) {
        error = "malformed percent-escape in the " + std::string(what) + " (use %XX with two hex digits)";
    } else if (!is_valid_utf8(*decoded)) {
        error = "the " + std::string(what) + " is not UTF-8 once percent-decoded";
        decoded.reset();
    }
    return decoded;
}

std::optional<MapPath> parse_map_path(std::string_view rest, std::string& error) {
    const auto slash = rest.find('/');
    auto map = decode_name(rest.substr(0, slash), "map name", error);
    if (!map) return std::nullopt;
    if (map->empty()) {
        error = "the map name is empty; use /hazelcast/rest/maps/{map} or /hazelcast/rest/maps/{map}/{key}";
        return std::nullopt;
    }
    MapPath path{std::move(*map), std::nullopt};
    if (slash == std::string_view::npos || slash + 1 == rest.size()) return path;
    path.key = decode_name(rest.substr(slash + 1), "key", error);
    if (!path.key) return std::nullopt;
    return path;
}

// ---- one entry ----

void get_entry(const RouterContext& ctx, const Request& request, MapPath path, Respond respond) {
    ctx.maps.get(std::move(path.map), map::string_data(*path.key),
                 [request = without_body(request), respond = std::move(respond)](OpResult<std::optional<std::string>> r) {
                     if (auto error = status_error(request, r.status)) return respond(std::move(*error));
                     if (!r.value) return respond(make_response(request, status::no_content, "", ""));
                     RenderedValue value = render_value(*r.value);
                     Response response = make_response(request, status::ok, value.content_type, std::move(value.body));
                     if (value.raw_type_id) response.set("X-Shoal-Type-Id", std::to_string(*value.raw_type_id));
                     respond(std::move(response));
                 });
}

void put_entry(const RouterContext& ctx, const Request& request, const Target& target, MapPath path, Respond respond) {
    map::EntryLimits limits;
    for (const char* name : {"ttl", "maxIdle"}) {
        const auto seconds = query_number(target, name, 0, kMaxSeconds);
        if (!seconds) {
            return respond(error_response(request, status::bad_request,
                                          std::string("query parameter '") + name +
                                              "' must be a whole number of seconds from 0 (unlimited) to " +
                                              std::to_string(kMaxSeconds)));
        }
        if (*seconds >= 0) (std::string_view(name) == "ttl" ? limits.ttl_ms : limits.max_idle_ms) = *seconds * 1000;
    }
    BodyValue value = value_data_from_body(request[beast_http::field::content_type], request.body());
    if (!value.error.empty()) return respond(error_response(request, status::bad_request, value.error));
    ctx.maps.set(std::move(path.map), map::string_data(*path.key), std::move(value.data), limits,
                 [request = without_body(request), respond = std::move(respond)](OpResult<bool> r) {
                     if (auto error = status_error(request, r.status)) return respond(std::move(*error));
                     respond(json_response(request, status::ok, std::string(kSuccess)));
                 });
}

void remove_entry(const RouterContext& ctx, const Request& request, MapPath path, Respond respond) {
    ctx.maps.erase(std::move(path.map), map::string_data(*path.key),
                   [request = without_body(request), respond = std::move(respond)](OpResult<bool> r) {
                       if (auto error = status_error(request, r.status)) return respond(std::move(*error));
                       respond(json_response(request, status::ok, std::string(kSuccess)));
                   });
}

// ---- the whole map ----

void clear_map(const RouterContext& ctx, const Request& request, std::string map, Respond respond) {
    ctx.maps.clear(std::move(map), [request = without_body(request), respond = std::move(respond)](OpResult<bool> r) {
        if (auto error = status_error(request, r.status)) return respond(std::move(*error));
        respond(json_response(request, status::ok, std::string(kSuccess)));
    });
}

// A key in the listing: its text when it is a String, else {"typeId": <serializer id>, "hex":
// "<the Data bytes after the 8-byte header>"}.
boost::json::value key_json(const std::string& key) {
    if (auto text = key_as_text(key)) return boost::json::value(*text);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    const std::string_view payload = std::string_view(key).substr(std::min(key.size(), map::kDataHeaderSize));
    hex.reserve(payload.size() * 2);
    for (unsigned char c : payload) {
        hex.push_back(kHex[c >> 4]);
        hex.push_back(kHex[c & 15]);
    }
    boost::json::object object;
    object["typeId"] = map::is_valid_data(key) ? map::data_type(key) : 0;
    object["hex"] = std::move(hex);
    return object;
}

// The size and one page of keys, asked of the partition threads in parallel and joined here.
struct Listing {
    Listing(Request request, std::string map, Respond respond)
        : request(std::move(request)), map(std::move(map)), respond(std::move(respond)) {}

    void size_done(OpResult<std::size_t> result) {
        std::lock_guard lock(mutex);
        size = std::move(result);
        if (page) finish();
    }
    void page_done(OpResult<partition::KeyPage> result) {
        std::lock_guard lock(mutex);
        page = std::move(result);
        if (size) finish();
    }
    void finish() {
        if (auto error = status_error(request, size->status)) return respond(std::move(*error));
        if (auto error = status_error(request, page->status)) return respond(std::move(*error));
        boost::json::object body;
        body["name"] = map;
        body["size"] = size->value;
        boost::json::array keys;
        keys.reserve(page->value.keys.size());
        for (const auto& key : page->value.keys) keys.push_back(key_json(key));
        body["keys"] = std::move(keys);
        if (page->value.next_partition >= 0) {
            body["nextCursor"] = page->value.next_partition;
        } else {
            body["nextCursor"] = nullptr;
        }
        respond(json_response(request, status::ok, boost::json::serialize(body)));
    }

    std::mutex mutex;
    Request request;
    std::string map;
    Respond respond;
    std::optional<OpResult<std::size_t>> size;
    std::optional<OpResult<partition::KeyPage>> page;
};

// GET /hazelcast/rest/maps/{map}?cursor=&limit=. A page holds whole partitions from `cursor` on
// until at least `limit` keys are gathered (MapOperations::key_page), so it may exceed `limit`.
void list_keys(const RouterContext& ctx, const Request& request, const Target& target, std::string map,
               Respond respond) {
    const int partitions = ctx.maps.partition_count();
    const auto cursor = query_number(target, "cursor", 0, partitions - 1);
    if (!cursor) {
        return respond(error_response(request, status::bad_request,
                                      "query parameter 'cursor' must be a partition id from 0 to " +
                                          std::to_string(partitions - 1) + " (the nextCursor of the previous page)"));
    }
    const auto limit = query_number(target, "limit", 1, kMaxPageSize);
    if (!limit) {
        return respond(error_response(request, status::bad_request,
                                      "query parameter 'limit' must be from 1 to " + std::to_string(kMaxPageSize)));
    }
    const int first = *cursor < 0 ? 0 : static_cast<int>(*cursor);
    const std::size_t page_size = static_cast<std::size_t>(*limit < 0 ? kDefaultPageSize : *limit);
    auto listing = std::make_shared<Listing>(without_body(request), map, std::move(respond));
    ctx.maps.size(map, [listing](OpResult<std::size_t> r) { listing->size_done(std::move(r)); });
    ctx.maps.key_page(std::move(map), first, page_size,
                      [listing](OpResult<partition::KeyPage> r) { listing->page_done(std::move(r)); });
}

}  // namespace

void handle_rest_map(const RouterContext& ctx, const Request& request, const Target& target, std::string_view rest,
                     Respond respond) {
    using verb = beast_http::verb;
    std::string error;
    auto path = parse_map_path(rest, error);
    if (!path) return respond(error_response(request, status::bad_request, error));
    if (!path->key) {
        switch (request.method()) {
            case verb::get:
            case verb::head: return list_keys(ctx, request, target, std::move(path->map), std::move(respond));
            case verb::delete_: return clear_map(ctx, request, std::move(path->map), std::move(respond));
            default: return respond(method_not_allowed(request, "GET, HEAD, DELETE"));
        }
    }
    switch (request.method()) {
        case verb::get:
        case verb::head: return get_entry(ctx, request, std::move(*path), std::move(respond));
        case verb::post:
        case verb::put: return put_entry(ctx, request, target, std::move(*path), std::move(respond));
        case verb::delete_: return remove_entry(ctx, request, std::move(*path), std::move(respond));
        default: return respond(method_not_allowed(request, "GET, HEAD, POST, PUT, DELETE"));
    }
}

}  // namespace shoal::http
