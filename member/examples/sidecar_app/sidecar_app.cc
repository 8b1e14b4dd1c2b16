#include "sidecar_app.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "http/uri.h"

namespace shoal::sidecar {
namespace {

HttpAnswer json_answer(int status, const boost::json::value& body) {
    return HttpAnswer{status, "application/json", boost::json::serialize(body) + "\n"};
}

HttpAnswer text_answer(int status, std::string body) { return HttpAnswer{status, "text/plain; charset=utf-8", std::move(body)}; }

boost::json::value json_of(const std::optional<client::Value>& v) {
    if (!v) return nullptr;
    return boost::json::value(v->to_text());
}

// A call's failure: 503 while the member cannot be reached, 500 when it refused the call.
HttpAnswer error_answer(std::exception_ptr error, bool wants_json) {
    int status = 500;
    std::string message = "unknown error";
    try {
        std::rethrow_exception(error);
    } catch (const client::ServerError& e) {
        message = e.what();
    } catch (const client::ClientError& e) {
        status = 503;
        message = e.what();
    } catch (const std::exception& e) {
        message = e.what();
    }
    if (wants_json) return json_answer(status, boost::json::object{{"error", message}});
    return text_answer(status, message + "\n");
}

}  // namespace

SidecarApp::SidecarApp(client::ClientConfig config)
    : address_(config.addresses.empty() ? "" : config.addresses.front()),
      client_(std::make_unique<client::Client>(std::move(config))) {}

void SidecarApp::handle(const std::string& method, const std::string& target, bool wants_json,
                        std::function<void(HttpAnswer)> respond) {
    const auto parsed = http::parse_target(target);
    if (!parsed) {
        respond(text_answer(400, "malformed percent-escape in the query\n"));
        return;
    }
    const auto& query = parsed->query;
    auto param = [&](const char* name, const char* fallback) -> std::optional<std::string> {
        auto it = query.find(name);
        if (it != query.end()) return it->second;
        if (fallback) return std::string(fallback);
        return std::nullopt;
    };
    if (auto f = query.find("format"); f != query.end() && f->second == "json") wants_json = true;

    if (parsed->path == "/health") {
        if (method != "GET" && method != "HEAD") {
            respond(text_answer(405, "use GET\n"));
            return;
        }
        if (client_->connected()) {
            respond(json_answer(200, boost::json::object{{"status", "UP"}, {"member", address_},
                                                         {"clusterSize", client_->members().size()}}));
        } else {
            respond(json_answer(503, boost::json::object{{"status", "DOWN"}, {"member", address_},
                                                         {"error", "not connected: " + client_->last_error()}}));
        }
        return;
    }
    const bool is_put = parsed->path == "/put";
    if (!is_put && parsed->path != "/get") {
        respond(text_answer(404, "no such path: use /put, /get or /health\n"));
        return;
    }
    if (method != "GET" && !(is_put && method == "POST")) {
        respond(text_answer(405, is_put ? "use GET or POST\n" : "use GET\n"));
        return;
    }
    const auto map = param("map", "map");
    const auto key = param("key", nullptr);
    const auto value = param("value", nullptr);
    if (!key || (is_put && !value)) {
        respond(text_answer(400, is_put ? "/put needs key and value\n" : "/get needs key\n"));
        return;
    }
    if (!http::is_valid_utf8(*key) || (value && !http::is_valid_utf8(*value))) {
        respond(text_answer(400, "keys and values must be UTF-8 (they are stored as Java Strings)\n"));
        return;
    }
    // Not connected yet (the member container may still be starting): say so at once rather
    // than wait for the invocation timeout.
    if (!client_->connected()) {
        const std::string error = "not connected to the member at " + address_ + ": " + client_->last_error();
        respond(wants_json ? json_answer(503, boost::json::object{{"error", error}}) : text_answer(503, error + "\n"));
        return;
    }
    auto entries = client_->get_map(*map);
    if (is_put) {
        entries.put_async(*key, *value, [=](client::Result<std::optional<client::Value>> r) {
            if (!r.ok()) return respond(error_answer(r.error(), wants_json));
            const auto& previous = r.value();
            if (wants_json) {
                respond(json_answer(200, boost::json::object{{"map", *map}, {"key", *key}, {"value", *value},
                                                             {"previous", json_of(previous)}}));
            } else {
                respond(text_answer(200, previous ? previous->to_text() : ""));
            }
        });
        return;
    }
    entries.get_async(*key, [=](client::Result<std::optional<client::Value>> r) {
        if (!r.ok()) return respond(error_answer(r.error(), wants_json));
        const auto& found = r.value();
        if (wants_json) {
            respond(json_answer(found ? 200 : 404, boost::json::object{{"map", *map}, {"key", *key}, {"value", json_of(found)}}));
        } else {
            respond(text_answer(found ? 200 : 404, found ? found->to_text() : ""));
        }
    });
}

}  // namespace shoal::sidecar
