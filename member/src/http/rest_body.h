// REST bodies: how an HTTP body and its Content-Type become a stored value Data, and how any
// stored Data (written over REST or by a Hazelcast client) is rendered back as an HTTP body.
//
// Writing (Content-Type's media type, case-insensitive, parameters ignored):
//   text/plain*               -> java.lang.String (must be UTF-8, else 400)
//   application/json*         -> HazelcastJsonValue (not validated, as Hazelcast does)
//   none, application/octet-stream -> byte[]
//   anything else             -> a Shoal REST value keeping the Content-Type (map/rest_value.h)
// So Hazelcast clients read REST-written strings, JSON and bytes natively.
//
// Reading:
//   String -> text/plain; charset=utf-8          HazelcastJsonValue -> application/json
//   byte[] -> application/octet-stream           REST value -> its own Content-Type
//   Long, Integer, Double, Boolean -> their text (Java's forms: -42, 3.5, NaN, true) as text/plain
//   any other Data -> the whole Data as application/octet-stream, with its serializer type id in
//   the X-Shoal-Type-Id header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shoal::http {

struct BodyValue {
    std::string data;   // the value Data; empty when `error` is set
    std::string error;  // why the body cannot be stored (a 400 message)
};

BodyValue value_data_from_body(std::string_view content_type, std::string_view body);

struct RenderedValue {
    std::string content_type;
    std::string body;
    std::optional<std::int32_t> raw_type_id;  // set when the Data had no text form
};

RenderedValue render_value(std::string_view data);

// A key as text when it is a String holding valid UTF-8, else nullopt.
std::optional<std::string> key_as_text(std::string_view key_data);

}  // namespace shoal::http
