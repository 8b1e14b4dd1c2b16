#include "map/rest_value.h"

#include "map/data.h"

namespace shoal::map {
namespace {

constexpr std::size_t kIdsSize = 1 + 4 + 4;  // identified flag, factory id, class id

void append_sized(std::string& out, std::string_view bytes) {
    append_int32_be(out, static_cast<std::int32_t>(bytes.size()));
    out.append(bytes);
}

// Reads [int32 length][bytes] at `offset` and advances it; nullopt when it does not fit.
std::optional<std::string> read_sized(std::string_view data, std::size_t& offset) {
    if (data.size() - offset < 4) return std::nullopt;
    const std::int32_t length = read_int32_be(data, offset);
    offset += 4;
    if (length < 0 || data.size() - offset < static_cast<std::size_t>(length)) return std::nullopt;
    std::string out(data.substr(offset, static_cast<std::size_t>(length)));
    offset += static_cast<std::size_t>(length);
    return out;
}

}  // namespace

std::string rest_value_data(std::string_view content_type, std::string_view value) {
    std::string out;
    out.reserve(kDataHeaderSize + kIdsSize + 8 + value.size() + content_type.size());
    append_int32_be(out, 0);
    append_int32_be(out, type_id::kIdentified);
    out.push_back(1);
    append_int32_be(out, kRestValueFactoryId);
    append_int32_be(out, kRestValueClassId);
    append_sized(out, value);
    append_sized(out, content_type);
    return out;
}

std::optional<RestValue> read_rest_value(std::string_view data) {
    if (data.size() < kDataHeaderSize + kIdsSize || data_type(data) != type_id::kIdentified) return std::nullopt;
    std::size_t offset = kDataHeaderSize;
    if (data[offset] != 1 || read_int32_be(data, offset + 1) != kRestValueFactoryId ||
        read_int32_be(data, offset + 5) != kRestValueClassId) {
        return std::nullopt;
    }
    offset += kIdsSize;
    auto value = read_sized(data, offset);
    if (!value) return std::nullopt;
    auto content_type = read_sized(data, offset);
    if (!content_type || offset != data.size()) return std::nullopt;
    return RestValue{std::move(*content_type), std::move(*value)};
}

}  // namespace shoal::map
