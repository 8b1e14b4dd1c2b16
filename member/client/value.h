// Value: a key or value as the client's callers see it, and its Hazelcast serialization.
//
// Each kind is one of Hazelcast's built-in serializers, so entries written here read back in
// every Hazelcast client (and over REST for strings and JSON), and the reverse:
//
//   kind            Java type            type id   payload (big-endian)
//   std::string     java.lang.String     -11       int32 UTF-8 byte count, UTF-8 bytes
//   std::int64_t    java.lang.Long       -8        int64
//   std::int32_t    java.lang.Integer    -7        int32
//   Bytes           byte[]               -12       int32 length, bytes
//   JsonValue       HazelcastJsonValue   -130      as String (the JSON text)
//   Unknown         anything else        its own   kept as received
//
// A serialized Value (Hazelcast's Data) is [int32 partition hash = 0][int32 type id][payload];
// a zero partition hash means "MurmurHash3 of the payload", which is what Hazelcast clients
// send for keys without a partitioning strategy.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace shoal::client {

struct Bytes {
    std::string bytes;
    friend bool operator==(const Bytes&, const Bytes&) = default;
};

struct JsonValue {
    std::string json;
    friend bool operator==(const JsonValue&, const JsonValue&) = default;
};

// A serialized value of a type this client has no serializer for.
struct Unknown {
    std::string data;  // the whole Data, header included
    friend bool operator==(const Unknown&, const Unknown&) = default;
};

class Value {
public:
    Value() : v_(std::string()) {}
    Value(std::string s) : v_(std::move(s)) {}
    Value(const char* s) : v_(std::string(s)) {}
    Value(std::string_view s) : v_(std::string(s)) {}
    Value(std::int64_t n) : v_(n) {}
    Value(std::int32_t n) : v_(n) {}
    Value(Bytes b) : v_(std::move(b)) {}
    Value(JsonValue j) : v_(std::move(j)) {}
    Value(Unknown u) : v_(std::move(u)) {}

    // The Data bytes: [partition hash 0][type id][payload].
    std::string to_data() const;
    void append_data(std::string& out) const;
    // The value a Data holds; Unknown for another type; throws ClientError when the bytes are
    // too short for the header or for their type's payload.
    static Value from_data(std::string_view data);

    std::int32_t type_id() const;
    bool is_string() const { return std::holds_alternative<std::string>(v_); }
    bool is_int64() const { return std::holds_alternative<std::int64_t>(v_); }
    bool is_int32() const { return std::holds_alternative<std::int32_t>(v_); }
    bool is_bytes() const { return std::holds_alternative<Bytes>(v_); }
    bool is_json() const { return std::holds_alternative<JsonValue>(v_); }
    // Throw std::bad_variant_access when the value is of another kind.
    const std::string& as_string() const { return std::get<std::string>(v_); }
    std::int64_t as_int64() const { return std::get<std::int64_t>(v_); }
    std::int32_t as_int32() const { return std::get<std::int32_t>(v_); }
    const Bytes& as_bytes() const { return std::get<Bytes>(v_); }
    const JsonValue& as_json() const { return std::get<JsonValue>(v_); }
    // Text for people and logs: the string, the number, the JSON, or "<type id N, M bytes>".
    std::string to_text() const;

    friend bool operator==(const Value&, const Value&) = default;

private:
    std::variant<std::string, std::int64_t, std::int32_t, Bytes, JsonValue, Unknown> v_;
};

// The partition a serialized key belongs to, as every Hazelcast client computes it.
int partition_of(std::string_view key_data, int partition_count);

}  // namespace shoal::client
