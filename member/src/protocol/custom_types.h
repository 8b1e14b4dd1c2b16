// The protocol's custom types that Shoal sends or reads (protocol-definitions/custom), each with
// its fields in definition order (see codec.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/codec.h"
#include "util/uuid.h"

namespace shoal::protocol {

struct Address {
    static constexpr const char* kName = "Address";
    std::string host;
    std::int32_t port = 0;
    template <typename V>
    void fields(V& v) { v(host); v(port); }
    friend bool operator==(const Address&, const Address&) = default;
};

struct MemberVersion {
    static constexpr const char* kName = "MemberVersion";
    std::uint8_t major = 0;
    std::uint8_t minor = 0;
    std::uint8_t patch = 0;
    template <typename V>
    void fields(V& v) { v(major); v(minor); v(patch); }
    friend bool operator==(const MemberVersion&, const MemberVersion&) = default;
};

// ProtocolType of an endpoint: MEMBER 0, CLIENT 1, WAN 2, REST 3, MEMCACHE 4.
struct EndpointQualifier {
    static constexpr const char* kName = "EndpointQualifier";
    std::int32_t type = 0;
    std::optional<std::string> identifier;
    template <typename V>
    void fields(V& v) { v(type); v(since(identifier)); }
    friend bool operator==(const EndpointQualifier&, const EndpointQualifier&) = default;
};

struct MemberInfo {
    static constexpr const char* kName = "MemberInfo";
    Address address;
    util::Uuid uuid;
    std::vector<std::pair<std::string, std::string>> attributes;
    bool lite_member = false;
    MemberVersion version;
    std::vector<std::pair<EndpointQualifier, Address>> address_map;  // since 2.0.1
    template <typename V>
    void fields(V& v) { v(address); v(uuid); v(attributes); v(lite_member); v(version); v(since(address_map)); }
    friend bool operator==(const MemberInfo&, const MemberInfo&) = default;
};

struct StackTraceElement {
    static constexpr const char* kName = "StackTraceElement";
    std::string class_name;
    std::string method_name;
    std::optional<std::string> file_name;
    std::int32_t line_number = 0;
    template <typename V>
    void fields(V& v) { v(class_name); v(method_name); v(file_name); v(line_number); }
    friend bool operator==(const StackTraceElement&, const StackTraceElement&) = default;
};

struct ErrorHolder {
    static constexpr const char* kName = "ErrorHolder";
    std::int32_t error_code = 0;
    std::string class_name;
    std::optional<std::string> message;
    std::vector<StackTraceElement> stack_trace;
    template <typename V>
    void fields(V& v) { v(error_code); v(class_name); v(message); v(stack_trace); }
    friend bool operator==(const ErrorHolder&, const ErrorHolder&) = default;
};

struct DistributedObjectInfo {
    static constexpr const char* kName = "DistributedObjectInfo";
    std::string service_name;
    std::string name;
    template <typename V>
    void fields(V& v) { v(service_name); v(name); }
    friend bool operator==(const DistributedObjectInfo&, const DistributedObjectInfo&) = default;
};

}  // namespace shoal::protocol
