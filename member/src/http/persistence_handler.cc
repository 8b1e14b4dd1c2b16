// GET /hazelcast/rest/persistence (CLUSTER_READ): this member's persistence, as JSON:
//   {"enabled":true,"phase":"DONE","dir":"/data/persistence","entries":N,"records":N,
//    "bytes":N,"cutBytes":N,"loadMillis":N}
// phase is LOADING while the logs are replayed (readiness is 503 then), DONE once loaded,
// FAILED when a log could not be read. Without persistence: {"enabled":false}.
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "http/handlers.h"
#include "http/responses.h"

namespace shoal::http {

void handle_persistence(const RouterContext& context, const Request& request, Respond respond) {
    if (request.method() != beast_http::verb::get) return respond(method_not_allowed(request, "GET"));
    boost::json::object body;
    const PersistenceStatus status = context.persistence ? context.persistence() : PersistenceStatus{};
    body["enabled"] = status.enabled;
    if (status.enabled) {
        body["phase"] = status.phase;
        body["dir"] = status.dir;
        body["entries"] = status.entries;
        body["records"] = status.records;
        body["bytes"] = status.bytes;
        body["cutBytes"] = status.cut_bytes;
        body["loadMillis"] = status.load_ms;
        body["savedTableVersion"] = status.saved_table_version;
    }
    respond(json_response(request, beast_http::status::ok, boost::json::serialize(body)));
}

}  // namespace shoal::http
