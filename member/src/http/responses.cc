// Responses: see responses.h.
#include "http/responses.h"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "http/uri.h"

namespace shoal::http {
namespace {

using status = beast_http::status;

void set_common_headers(Response& response, std::string_view content_type) {
    response.set(beast_http::field::server, "shoal/" SHOAL_VERSION);
    if (!content_type.empty()) response.set(beast_http::field::content_type, content_type);
    response.prepare_payload();
}

std::string error_body(status code, std::string_view message) {
    boost::json::object body;
    body["status"] = std::string(beast_http::obsolete_reason(code));
    body["message"] = utf8_or_escaped(message);  // messages may echo client bytes; keep the JSON valid
    return boost::json::serialize(body);
}

// For a request that could not be parsed there is no version to echo: answer HTTP/1.1, close.
Response closing_error(status code, std::string_view message) {
    Response response{code, 11};
    response.keep_alive(false);
    response.body() = error_body(code, message);
    set_common_headers(response, kJson);
    return response;
}

}  // namespace

Response make_response(const Request& request, status code, std::string_view content_type, std::string body) {
    Response response{code, request.version()};
    response.keep_alive(request.keep_alive());
    response.body() = std::move(body);
    set_common_headers(response, content_type);
    return response;
}

Response json_response(const Request& request, status code, std::string body) {
    return make_response(request, code, kJson, std::move(body));
}

Response error_response(const Request& request, status code, std::string_view message) {
    return make_response(request, code, kJson, error_body(code, message));
}

Response method_not_allowed(const Request& request, std::string_view allowed) {
    Response response = error_response(request, status::method_not_allowed,
                                       "method " + std::string(request.method_string()) +
                                           " is not allowed here; use " + std::string(allowed));
    response.set(beast_http::field::allow, allowed);
    return response;
}

Response group_disabled(const Request& request, std::string_view group) {
    return error_response(request, status::forbidden,
                          "the " + std::string(group) +
                              " REST endpoint group is disabled; enable it with network.rest-api.endpoint-groups." +
                              std::string(group) + ".enabled (and network.rest-api.enabled)");
}

std::optional<Response> read_error_response(const boost::system::error_code& ec, const config::HttpConfig& limits) {
    namespace asio_error = boost::asio::error;
    if (ec == beast_http::error::end_of_stream || ec == asio_error::eof || ec == asio_error::connection_reset ||
        ec == asio_error::operation_aborted || ec == boost::beast::error::timeout) {
        return std::nullopt;
    }
    if (ec == beast_http::error::header_limit) {
        return closing_error(status::request_header_fields_too_large,
                             "the request line and headers exceed " + std::to_string(limits.max_header_bytes) +
                                 " bytes (shoal.http.max-header-bytes)");
    }
    if (ec == beast_http::error::body_limit) {
        return closing_error(status::payload_too_large, "the request body exceeds " +
                                                            std::to_string(limits.max_body_bytes) +
                                                            " bytes (shoal.http.max-body-bytes)");
    }
    if (ec == beast_http::error::partial_message) {
        return closing_error(status::bad_request, "malformed HTTP request: the connection ended mid-request");
    }
    return closing_error(status::bad_request, "malformed HTTP request: " + ec.message());
}

Request without_body(const Request& request) { return Request(request.base()); }

}  // namespace shoal::http
