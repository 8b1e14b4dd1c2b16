#include "http/rest_value.h"

#include <cctype>
#include <cstring>

#include "map/data.h"

namespace shoal::http {
namespace {

std::string lower_media_type(std::string_view content_type) {
    std::string out;
    for (char c : content_type.substr(0, content_type.find(';'))) {
        if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return out;
}

void append_bytes(std::string& out, std::string_view bytes) {
    map::append_int32_be(out, static_cast<std::int32_t>(bytes.size()));
    out.append(bytes);
}

std::string rest_value_data(std::string_view content_type, std::string_view body) {
    std::string out;
    map::append_int32_be(out, 0);
    map::append_int32_be(out, map::type_id::kIdentified);
    out.push_back(1);  // identified
    map::append_int32_be(out, kRestValueFactoryId);
    map::append_int32_be(out, kRestValueClassId);
    append_bytes(out, body);
    append_bytes(out, content_type);
    return out;
}

// Reads [int32 len][bytes] at `offset`; advances it. nullopt when the data is too short.
std::optional<std::string> read_sized(std::string_view data, std::size_t& offset) {
    if (data.size() < offset + 4) return std::nullopt;
    const std::int32_t length = map::read_int32_be(data, offset);
    offset += 4;
    if (length < 0 || data.size() - offset < static_cast<std::size_t>(length)) return std::nullopt;
    std::string out(data.substr(offset, static_cast<std::size_t>(length)));
    offset += static_cast<std::size_t>(length);
    return out;
}

std::optional<RenderedValue> render_rest_value(std::string_view data) {
    std::size_t offset = map::kDataHeaderSize;
    if (data.size() < offset + 9 || data[offset] != 1) return std::nullopt;
    if (map::read_int32_be(data, offset + 1) != kRestValueFactoryId ||
        map::read_int32_be(data, offset + 5) != kRestValueClassId) {
        return std::nullopt;
    }
    offset += 9;
    auto body = read_sized(data, offset);
    auto type = read_sized(data, offset);
    if (!body || !type) return std::nullopt;
    return RenderedValue{*type, *body, std::nullopt};
}

std::optional<std::string> number_text(std::string_view data, std::int32_t type) {
    const std::size_t h = map::kDataHeaderSize;
    if (type == map::type_id::kInteger && data.size() == h + 4) return std::to_string(map::read_int32_be(data, h));
    if (type == map::type_id::kLong && data.size() == h + 8) {
        const auto high = static_cast<std::uint32_t>(map::read_int32_be(data, h));
        const auto low = static_cast<std::uint32_t>(map::read_int32_be(data, h + 4));
        return std::to_string(static_cast<std::int64_t>((std::uint64_t{high} << 32) | low));
    }
    if (type == map::type_id::kBoolean && data.size() == h + 1) return data[h] != 0 ? "true" : "false";
    if (type == map::type_id::kDouble && data.size() == h + 8) {
        const std::uint64_t bits = (std::uint64_t{static_cast<std::uint32_t>(map::read_int32_be(data, h))} << 32) |
                                   static_cast<std::uint32_t>(map::read_int32_be(data, h + 4));
        double value;
        std::memcpy(&value, &bits, sizeof value);
        std::string text = std::to_string(value);
        return text;
    }
    return std::nullopt;
}

}  // namespace

std::string value_data_from_body(std::string_view content_type, std::string_view body) {
    const std::string media = lower_media_type(content_type);
    if (media.rfind("text/plain", 0) == 0) return map::string_data(body);
    if (media == "application/json") return map::json_data(body);
    if (media.empty() || media == "application/octet-stream") return map::bytes_data(body);
    return rest_value_data(content_type, body);
}

RenderedValue render_value(std::string_view data) {
    if (!map::is_valid_data(data)) return {"application/octet-stream", std::string(data), std::nullopt};
    const std::int32_t type = map::data_type(data);
    if (type == map::type_id::kString) {
        if (auto text = map::read_string_payload(data)) return {"text/plain; charset=utf-8", *text, std::nullopt};
    }
    if (type == map::type_id::kJsonValue) {
        if (auto text = map::read_string_payload(data)) return {"application/json", *text, std::nullopt};
    }
    if (type == map::type_id::kByteArray) {
        if (auto bytes = map::read_bytes_payload(data)) return {"application/octet-stream", *bytes, std::nullopt};
    }
    if (type == map::type_id::kIdentified) {
        if (auto rest = render_rest_value(data)) return *rest;
    }
    if (auto text = number_text(data, type)) return {"text/plain; charset=utf-8", *text, std::nullopt};
    return {"application/octet-stream", std::string(data), type};
}

std::optional<std::string> key_as_text(std::string_view key_data) {
    if (!map::is_valid_data(key_data) || map::data_type(key_data) != map::type_id::kString) return std::nullopt;
    return map::read_string_payload(key_data);
}

}  // namespace shoal::http
