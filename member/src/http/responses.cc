#include "http/responses.h"

#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace shoal::http {
namespace {

void set_common_headers(Response& response, std::string_view content_type) {
    response.set(beast_http::field::server, "shoal/" SHOAL_VERSION);
    if (!content_type.empty()) response.set(beast_http::field::content_type, content_type);
    response.prepare_payload();
}

std::string error_body(beast_http::status status, std::string_view message) {
    boost::json::object body;
    body["status"] = std::string(beast_http::obsolete_reason(status));
    body["message"] = std::string(message);
    return boost::json::serialize(body);
}

}  // namespace

Response make_response(const Request& request, beast_http::status status, std::string_view content_type,
                       std::string body) {
    Response response{status, request.version()};
    response.keep_alive(request.keep_alive());
    response.body() = std::move(body);
    set_common_headers(response, content_type);
    return response;
}

Response json_response(const Request& request, beast_http::status status, std::string body) {
    return make_response(request, status, kJson, std::move(body));
}

Response error_response(const Request& request, beast_http::status status, std::string_view message) {
    return make_response(request, status, kJson, error_body(status, message));
}

Response parse_error_response(beast_http::status status, std::string_view message) {
    Response response{status, 11};
    response.keep_alive(false);
    response.body() = error_body(status, message);
    set_common_headers(response, kJson);
    return response;
}

}  // namespace shoal::http
