// REST bodies <-> value Data: see rest_body.h.
#include "http/rest_body.h"

#include <array>
#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>

#include "http/uri.h"
#include "map/data.h"
#include "map/rest_value.h"

namespace shoal::http {
namespace {

constexpr std::string_view kTextType = "text/plain; charset=utf-8";
constexpr std::string_view kJsonType = "application/json";
constexpr std::string_view kBytesType = "application/octet-stream";

// "Text/Plain ; charset=x" -> "text/plain".
std::string media_type(std::string_view content_type) {
    std::string out;
    for (char c : content_type.substr(0, content_type.find(';'))) {
        if (!std::isspace(static_cast<unsigned char>(c))) {
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
    }
    return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// A REST value may have been written by a client with any bytes as its content type: only a
// non-empty run of visible ASCII and spaces may become a response header.
bool safe_header_value(std::string_view value) {
    if (value.empty()) return false;
    for (char c : value) {
        if (c != ' ' && c != '\t' && (c < 0x21 || c > 0x7e)) return false;
    }
    return true;
}

std::int64_t read_int64_be(std::string_view data, std::size_t offset) {
    const auto high = static_cast<std::uint32_t>(map::read_int32_be(data, offset));
    const auto low = static_cast<std::uint32_t>(map::read_int32_be(data, offset + 4));
    return static_cast<std::int64_t>((std::uint64_t{high} << 32) | low);
}

// Java's Double.toString in spirit: the shortest text that reads back the same double, with
// Java's spellings of the specials and of exponents ("1.0E20", "NaN", "-Infinity").
std::string double_text(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
    std::array<char, 64> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    std::string text(buffer.data(), result.ptr);
    const auto e = text.find('e');
    std::string mantissa = text.substr(0, e);
    if (mantissa.find('.') == std::string::npos) mantissa += ".0";
    if (e == std::string::npos) return mantissa;
    // Java prints "1.0E20" where to_chars prints "1e+20": drop the sign '+' and leading zeros.
    const std::string_view exponent = std::string_view(text).substr(e + 1);  // "+20", "-07"
    const bool negative = exponent.front() == '-';
    const std::size_t digits = exponent.find_first_not_of("+-0");
    const std::string_view significant = digits == std::string_view::npos ? "0" : exponent.substr(digits);
    return mantissa + "E" + (negative ? "-" : "") + std::string(significant);
}

// The text form of Java's boxed primitives, when the Data is one of them with the right size.
std::optional<std::string> primitive_text(std::string_view data, std::int32_t type) {
    const std::size_t h = map::kDataHeaderSize;
    const std::size_t payload = data.size() - h;
    switch (type) {
        case map::type_id::kInteger:
            if (payload == 4) return std::to_string(map::read_int32_be(data, h));
            break;
        case map::type_id::kLong:
            if (payload == 8) return std::to_string(read_int64_be(data, h));
            break;
        case map::type_id::kBoolean:
            if (payload == 1) return std::string(data[h] != 0 ? "true" : "false");
            break;
        case map::type_id::kDouble:
            if (payload == 8) return double_text(std::bit_cast<double>(read_int64_be(data, h)));
            break;
        default: break;
    }
    return std::nullopt;
}

}  // namespace

BodyValue value_data_from_body(std::string_view content_type, std::string_view body) {
    const std::string media = media_type(content_type);
    if (starts_with(media, "text/plain")) {
        if (!is_valid_utf8(body)) {
            return {{}, "a text/plain body must be UTF-8 (it is stored as a Java String); "
                        "send other bytes as application/octet-stream"};
        }
        return {map::string_data(body), {}};
    }
    if (starts_with(media, "application/json")) return {map::json_data(body), {}};
    if (media.empty() || media == "application/octet-stream") return {map::bytes_data(body), {}};
    return {map::rest_value_data(content_type, body), {}};
}

RenderedValue render_value(std::string_view data) {
    if (!map::is_valid_data(data)) return {std::string(kBytesType), std::string(data), std::nullopt};
    const std::int32_t type = map::data_type(data);
    switch (type) {
        case map::type_id::kString:
            if (auto text = map::read_string_payload(data)) return {std::string(kTextType), std::move(*text), {}};
            break;
        case map::type_id::kJsonValue:
            if (auto text = map::read_string_payload(data)) return {std::string(kJsonType), std::move(*text), {}};
            break;
        case map::type_id::kByteArray:
            if (auto bytes = map::read_bytes_payload(data)) return {std::string(kBytesType), std::move(*bytes), {}};
            break;
        case map::type_id::kIdentified:
            if (auto rest = map::read_rest_value(data); rest && safe_header_value(rest->content_type)) {
                return {std::move(rest->content_type), std::move(rest->value), {}};
            }
            break;
        default:
            if (auto text = primitive_text(data, type)) return {std::string(kTextType), std::move(*text), {}};
            break;
    }
    return {std::string(kBytesType), std::string(data), type};
}

std::optional<std::string> key_as_text(std::string_view key_data) {
    if (!map::is_valid_data(key_data) || map::data_type(key_data) != map::type_id::kString) return std::nullopt;
    auto text = map::read_string_payload(key_data);
    if (!text || !is_valid_utf8(*text)) return std::nullopt;
    return text;
}

}  // namespace shoal::http
