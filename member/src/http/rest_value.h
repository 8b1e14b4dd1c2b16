// REST values: how an HTTP body with a Content-Type becomes a stored Data, and back.
//
// text/plain* is stored as a Java String and application/json* as a HazelcastJsonValue, so
// Hazelcast clients read REST-written entries natively; no type or application/octet-stream as
// byte[]; any other type as a Shoal REST value that keeps the Content-Type (an
// IdentifiedDataSerializable Data with Shoal's own factory and class ids).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shoal::http {

inline constexpr std::int32_t kRestValueFactoryId = -37;
inline constexpr std::int32_t kRestValueClassId = 1;

std::string value_data_from_body(std::string_view content_type, std::string_view body);

struct RenderedValue {
    std::string content_type;
    std::string body;
    std::optional<std::int32_t> raw_type_id;  // set when the Data type had no text form
};

RenderedValue render_value(std::string_view data);

// A key as JSON-friendly text when it is a String, else nullopt.
std::optional<std::string> key_as_text(std::string_view key_data);

}  // namespace shoal::http
