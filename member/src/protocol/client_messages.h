// Client service (id 0) messages that Shoal serves: requests, responses and events, with their
// parameters in protocol-definition order (protocol-definitions/Client.yaml; see codec.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/codec.h"
#include "protocol/custom_types.h"

namespace shoal::protocol::client {

// Authentication status codes.
inline constexpr std::uint8_t kAuthenticated = 0;
inline constexpr std::uint8_t kCredentialsFailed = 1;
inline constexpr std::uint8_t kSerializationVersionMismatch = 2;
inline constexpr std::uint8_t kNotAllowedInCluster = 3;

struct Empty {
    template <typename V>
    void fields(V&) {}
    friend bool operator==(const Empty&, const Empty&) = default;
};

struct AuthenticationRequest {
    static constexpr std::int32_t kType = 0x000100;
    static constexpr const char* kName = "Client.authentication request";
    std::string cluster_name;
    std::optional<std::string> username;
    std::optional<std::string> password;
    std::optional<util::Uuid> uuid;
    std::string client_type;
    std::uint8_t serialization_version = 1;
    std::string client_hazelcast_version;
    std::string client_name;
    std::vector<std::string> labels;
    std::uint8_t routing_mode = 0;               // 2.8
    bool cp_direct_to_leader_routing = false;    // 2.8
    template <typename V>
    void fields(V& v) {
        v(cluster_name); v(username); v(password); v(uuid); v(client_type); v(serialization_version);
        v(client_hazelcast_version); v(client_name); v(labels); v(since(routing_mode));
        v(since(cp_direct_to_leader_routing));
    }
    friend bool operator==(const AuthenticationRequest&, const AuthenticationRequest&) = default;
};

// Shoal sends the 2.0 parameters; clients of later protocol versions read the rest as absent.
struct AuthenticationResponse {
    static constexpr std::int32_t kType = 0x000101;
    static constexpr const char* kName = "Client.authentication response";
    std::uint8_t status = kAuthenticated;
    std::optional<Address> address;
    std::optional<util::Uuid> member_uuid;
    std::uint8_t serialization_version = 1;
    std::string server_hazelcast_version;
    std::int32_t partition_count = 0;
    util::Uuid cluster_id;
    bool failover_supported = false;
    template <typename V>
    void fields(V& v) {
        v(status); v(address); v(member_uuid); v(serialization_version); v(server_hazelcast_version);
        v(partition_count); v(cluster_id); v(failover_supported);
    }
    friend bool operator==(const AuthenticationResponse&, const AuthenticationResponse&) = default;
};

struct AddClusterViewListenerRequest : Empty {
    static constexpr std::int32_t kType = 0x000300;
    static constexpr const char* kName = "Client.addClusterViewListener request";
    friend bool operator==(const AddClusterViewListenerRequest&, const AddClusterViewListenerRequest&) = default;
};
struct AddClusterViewListenerResponse : Empty {
    static constexpr std::int32_t kType = 0x000301;
    static constexpr const char* kName = "Client.addClusterViewListener response";
    friend bool operator==(const AddClusterViewListenerResponse&, const AddClusterViewListenerResponse&) = default;
};

struct MembersViewEvent {
    static constexpr std::int32_t kType = 0x000302;
    static constexpr const char* kName = "Client.MembersView event";
    std::int32_t version = 0;
    std::vector<MemberInfo> members;
    template <typename V>
    void fields(V& v) { v(version); v(members); }
    friend bool operator==(const MembersViewEvent&, const MembersViewEvent&) = default;
};

struct PartitionsViewEvent {
    static constexpr std::int32_t kType = 0x000303;
    static constexpr const char* kName = "Client.PartitionsView event";
    std::int32_t version = 0;
    OwnerPartitions partitions;
    template <typename V>
    void fields(V& v) { v(version); v(partitions); }
    friend bool operator==(const PartitionsViewEvent&, const PartitionsViewEvent&) = default;
};

struct CreateProxyRequest {
    static constexpr std::int32_t kType = 0x000400;
    static constexpr const char* kName = "Client.createProxy request";
    std::string name;
    std::string service_name;
    template <typename V>
    void fields(V& v) { v(name); v(service_name); }
    friend bool operator==(const CreateProxyRequest&, const CreateProxyRequest&) = default;
};
struct CreateProxyResponse : Empty {
    static constexpr std::int32_t kType = 0x000401;
    static constexpr const char* kName = "Client.createProxy response";
    friend bool operator==(const CreateProxyResponse&, const CreateProxyResponse&) = default;
};

struct DestroyProxyRequest {
    static constexpr std::int32_t kType = 0x000500;
    static constexpr const char* kName = "Client.destroyProxy request";
    std::string name;
    std::string service_name;
    template <typename V>
    void fields(V& v) { v(name); v(service_name); }
    friend bool operator==(const DestroyProxyRequest&, const DestroyProxyRequest&) = default;
};
struct DestroyProxyResponse : Empty {
    static constexpr std::int32_t kType = 0x000501;
    static constexpr const char* kName = "Client.destroyProxy response";
    friend bool operator==(const DestroyProxyResponse&, const DestroyProxyResponse&) = default;
};

struct GetDistributedObjectsRequest : Empty {
    static constexpr std::int32_t kType = 0x000800;
    static constexpr const char* kName = "Client.getDistributedObjects request";
    friend bool operator==(const GetDistributedObjectsRequest&, const GetDistributedObjectsRequest&) = default;
};
struct GetDistributedObjectsResponse {
    static constexpr std::int32_t kType = 0x000801;
    static constexpr const char* kName = "Client.getDistributedObjects response";
    std::vector<DistributedObjectInfo> objects;
    template <typename V>
    void fields(V& v) { v(objects); }
    friend bool operator==(const GetDistributedObjectsResponse&, const GetDistributedObjectsResponse&) = default;
};

struct PingRequest : Empty {
    static constexpr std::int32_t kType = 0x000B00;
    static constexpr const char* kName = "Client.ping request";
    friend bool operator==(const PingRequest&, const PingRequest&) = default;
};
struct PingResponse : Empty {
    static constexpr std::int32_t kType = 0x000B01;
    static constexpr const char* kName = "Client.ping response";
    friend bool operator==(const PingResponse&, const PingResponse&) = default;
};

struct StatisticsRequest {
    static constexpr std::int32_t kType = 0x000C00;
    static constexpr const char* kName = "Client.statistics request";
    std::int64_t timestamp = 0;
    std::string client_attributes;
    std::string metrics_blob;
    template <typename V>
    void fields(V& v) { v(timestamp); v(client_attributes); v(metrics_blob); }
    friend bool operator==(const StatisticsRequest&, const StatisticsRequest&) = default;
};
struct StatisticsResponse : Empty {
    static constexpr std::int32_t kType = 0x000C01;
    static constexpr const char* kName = "Client.statistics response";
    friend bool operator==(const StatisticsResponse&, const StatisticsResponse&) = default;
};

struct CreateProxiesRequest {
    static constexpr std::int32_t kType = 0x000E00;
    static constexpr const char* kName = "Client.createProxies request";
    std::vector<std::pair<std::string, std::string>> proxies;  // name -> service name
    template <typename V>
    void fields(V& v) { v(proxies); }
    friend bool operator==(const CreateProxiesRequest&, const CreateProxiesRequest&) = default;
};
struct CreateProxiesResponse : Empty {
    static constexpr std::int32_t kType = 0x000E01;
    static constexpr const char* kName = "Client.createProxies response";
    friend bool operator==(const CreateProxiesResponse&, const CreateProxiesResponse&) = default;
};

struct LocalBackupListenerRequest : Empty {
    static constexpr std::int32_t kType = 0x000F00;
    static constexpr const char* kName = "Client.localBackupListener request";
    friend bool operator==(const LocalBackupListenerRequest&, const LocalBackupListenerRequest&) = default;
};
struct LocalBackupListenerResponse {
    static constexpr std::int32_t kType = 0x000F01;
    static constexpr const char* kName = "Client.localBackupListener response";
    util::Uuid registration_id;
    template <typename V>
    void fields(V& v) { v(registration_id); }
    friend bool operator==(const LocalBackupListenerResponse&, const LocalBackupListenerResponse&) = default;
};

// The error response (message type 0): the exception and its causes.
struct ErrorResponse {
    static constexpr std::int32_t kType = 0;
    static constexpr const char* kName = "error response";
    std::vector<ErrorHolder> errors;
    template <typename V>
    void fields(V& v) { v(errors); }
    friend bool operator==(const ErrorResponse&, const ErrorResponse&) = default;
};

}  // namespace shoal::protocol::client
