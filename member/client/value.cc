#include "client/value.h"

#include "client/client_errors.h"
#include "map/data.h"

namespace shoal::client {
namespace {

namespace type_id = map::type_id;

void put_int32(std::string& out, std::int32_t v) { map::append_int32_be(out, v); }

void put_sized(std::string& out, std::int32_t type, std::string_view payload) {
    put_int32(out, 0);
    put_int32(out, type);
    put_int32(out, static_cast<std::int32_t>(payload.size()));
    out.append(payload);
}

std::string sized_payload(std::string_view data, const char* what) {
    if (data.size() < map::kDataHeaderSize + 4) throw ClientError(std::string("truncated ") + what + " value");
    const std::int32_t n = map::read_int32_be(data, map::kDataHeaderSize);
    if (n < 0 || data.size() - map::kDataHeaderSize - 4 != static_cast<std::size_t>(n)) {
        throw ClientError(std::string("malformed ") + what + " value (length " + std::to_string(n) + ", " +
                          std::to_string(data.size()) + " bytes)");
    }
    return std::string(data.substr(map::kDataHeaderSize + 4));
}

}  // namespace

std::int32_t Value::type_id() const {
    switch (v_.index()) {
        case 0: return type_id::kString;
        case 1: return type_id::kLong;
        case 2: return type_id::kInteger;
        case 3: return type_id::kByteArray;
        case 4: return type_id::kJsonValue;
        default: return map::data_type(std::get<Unknown>(v_).data);
    }
}

void Value::append_data(std::string& out) const {
    switch (v_.index()) {
        case 0: put_sized(out, type_id::kString, std::get<std::string>(v_)); break;
        case 1:
            put_int32(out, 0);
            put_int32(out, type_id::kLong);
            map::append_int64_be(out, std::get<std::int64_t>(v_));
            break;
        case 2:
            put_int32(out, 0);
            put_int32(out, type_id::kInteger);
            put_int32(out, std::get<std::int32_t>(v_));
            break;
        case 3: put_sized(out, type_id::kByteArray, std::get<Bytes>(v_).bytes); break;
        case 4: put_sized(out, type_id::kJsonValue, std::get<JsonValue>(v_).json); break;
        default: out.append(std::get<Unknown>(v_).data); break;
    }
}

std::string Value::to_data() const {
    std::string out;
    append_data(out);
    return out;
}

Value Value::from_data(std::string_view data) {
    if (!map::is_valid_data(data)) {
        throw ClientError("a serialized value of " + std::to_string(data.size()) + " bytes has no 8-byte header");
    }
    const std::string_view payload = data.substr(map::kDataHeaderSize);
    switch (map::data_type(data)) {
        case type_id::kString: return Value(sized_payload(data, "String"));
        case type_id::kJsonValue: return Value(JsonValue{sized_payload(data, "HazelcastJsonValue")});
        case type_id::kByteArray: return Value(Bytes{sized_payload(data, "byte[]")});
        case type_id::kLong:
            if (payload.size() != 8) throw ClientError("malformed Long value (" + std::to_string(payload.size()) + " bytes)");
            return Value(static_cast<std::int64_t>(
                (static_cast<std::uint64_t>(static_cast<std::uint32_t>(map::read_int32_be(payload, 0))) << 32) |
                static_cast<std::uint32_t>(map::read_int32_be(payload, 4))));
        case type_id::kInteger:
            if (payload.size() != 4) throw ClientError("malformed Integer value (" + std::to_string(payload.size()) + " bytes)");
            return Value(map::read_int32_be(payload, 0));
        default: return Value(Unknown{std::string(data)});
    }
}

std::string Value::to_text() const {
    switch (v_.index()) {
        case 0: return std::get<std::string>(v_);
        case 1: return std::to_string(std::get<std::int64_t>(v_));
        case 2: return std::to_string(std::get<std::int32_t>(v_));
        case 3: return std::get<Bytes>(v_).bytes;
        case 4: return std::get<JsonValue>(v_).json;
        default: {
            const auto& data = std::get<Unknown>(v_).data;
            return "<type id " + std::to_string(map::data_type(data)) + ", " + std::to_string(data.size()) + " bytes>";
        }
    }
}

int partition_of(std::string_view key_data, int partition_count) {
    return map::partition_id(key_data, partition_count);
}

}  // namespace shoal::client
