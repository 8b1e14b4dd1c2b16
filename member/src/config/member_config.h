// MemberConfig: the one validated configuration a member runs with.
//
// Built by config_loader.h from (lowest to highest precedence) defaults, the YAML file,
// environment variables and -Dname=value properties. Everything downstream reads only this
// struct, never YAML or the environment, so every setting is validated in one place.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shoal::config {

enum class PartitionGroupType { kPerMember, kNodeAware, kZoneAware };
enum class ShutdownPolicy { kTerminate, kGraceful };
enum class RecoveryPolicy { kFullRecoveryOnly, kPartialMostRecent, kPartialMostComplete };
enum class AutoClusterStateStrategy { kNoMigration, kFrozen };
// When the persistence log syncs to disk (shoal.persistence.fsync); see persistence/data_log.h.
enum class FsyncPolicy { kEveryWrite, kBatched, kNever };

// Per-map settings, from `map.default` and named `map.<name>` blocks (names may hold one `*`).
struct MapConfig {
    int backup_count = 1;        // 0..6
    int async_backup_count = 0;  // 0..6, backup_count + async_backup_count <= 6
    int time_to_live_seconds = 0;  // 0 = entries live forever
    int max_idle_seconds = 0;      // 0 = no idle expiry

    friend bool operator==(const MapConfig&, const MapConfig&) = default;
};

struct TcpIpJoinConfig {
    bool enabled = false;
    std::vector<std::string> members;  // "host", "host:port" or "host:port-range"
    int connection_timeout_seconds = 5;

    friend bool operator==(const TcpIpJoinConfig&, const TcpIpJoinConfig&) = default;
};

// `network.join.kubernetes`: every key of the Hazelcast Kubernetes plugin we support.
struct KubernetesJoinConfig {
    bool enabled = false;
    std::string namespace_;  // empty: KUBERNETES_NAMESPACE, then the service-account file
    std::string service_name;
    std::string service_label_name;
    std::string service_label_value = "true";
    std::string pod_label_name;
    std::string pod_label_value;
    std::string service_dns;
    int service_dns_timeout_seconds = 5;
    int service_port = 0;  // 0: the member port
    bool resolve_not_ready_addresses = true;
    int kubernetes_api_retries = 3;
    std::string kubernetes_master = "https://kubernetes.default.svc";
    std::string api_token;        // empty: the service-account token file
    std::string ca_certificate;   // empty: the service-account CA file

    friend bool operator==(const KubernetesJoinConfig&, const KubernetesJoinConfig&) = default;
};

struct JoinConfig {
    bool multicast_enabled = false;  // accepted for compatibility; only `false` is valid
    TcpIpJoinConfig tcp_ip;
    KubernetesJoinConfig kubernetes;

    friend bool operator==(const JoinConfig&, const JoinConfig&) = default;
};

// Hazelcast REST endpoint groups (network.rest-api.endpoint-groups).
struct RestApiConfig {
    bool enabled = true;  // Shoal serves probes by default, as the seeds and charts expect
    bool health_check = true;
    bool cluster_read = true;
    bool cluster_write = true;
    bool data = true;

    friend bool operator==(const RestApiConfig&, const RestApiConfig&) = default;
};

struct NetworkConfig {
    int port = 5701;
    bool port_auto_increment = true;
    int port_count = 100;
    std::string public_address;            // "host" or "host:port"; advertised to others
    bool interfaces_enabled = false;
    std::vector<std::string> interfaces;   // bind to the first local match; "*" allowed per octet
    JoinConfig join;
    RestApiConfig rest_api;

    friend bool operator==(const NetworkConfig&, const NetworkConfig&) = default;
};

struct PersistenceConfig {
    bool enabled = false;
    std::string base_dir = "persistence";
    int validation_timeout_seconds = 120;
    int data_load_timeout_seconds = 900;
    RecoveryPolicy cluster_data_recovery_policy = RecoveryPolicy::kFullRecoveryOnly;
    bool auto_remove_stale_data = true;
    FsyncPolicy fsync = FsyncPolicy::kEveryWrite;        // shoal.persistence.fsync
    std::chrono::milliseconds fsync_interval{10};        // shoal.persistence.fsync-interval-ms

    friend bool operator==(const PersistenceConfig&, const PersistenceConfig&) = default;
};

// Limits of the HTTP side (REST, health, metrics); Shoal properties, see properties.h.
struct HttpConfig {
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 16 * 1024 * 1024;
    std::chrono::milliseconds read_timeout{30'000};  // a request must arrive within this
    std::chrono::milliseconds idle_timeout{60'000};  // keep-alive connections idle this long close

    friend bool operator==(const HttpConfig&, const HttpConfig&) = default;
};

struct MemberConfig {
    std::string cluster_name = "dev";
    NetworkConfig network;
    PartitionGroupType partition_group = PartitionGroupType::kPerMember;
    bool partition_group_enabled = false;
    MapConfig map_default;
    std::map<std::string, MapConfig> maps;  // named blocks, possibly with wildcards
    PersistenceConfig persistence;

    // Known properties with typed values.
    int partition_count = 271;                    // hazelcast.partition.count
    std::string local_address;                    // hazelcast.local.localAddress
    std::string placement_node;  // hazelcast.partition.group.node (else from Kubernetes)
    std::string placement_zone;  // hazelcast.partition.group.zone (else from Kubernetes)
    // hazelcast.shutdownhook.policy; GRACEFUL by default (Hazelcast: TERMINATE) so a SIGTERM,
    // which is how Kubernetes stops every pod, never drops a replica.
    ShutdownPolicy shutdown_policy = ShutdownPolicy::kGraceful;
    bool shutdown_hook_enabled = true;                            // hazelcast.shutdownhook.enabled
    std::chrono::seconds graceful_shutdown_max_wait{600};  // hazelcast.graceful.shutdown.max.wait
    // hazelcast.cluster.shutdown.timeout.seconds: how long a member of a stopping StatefulSet
    // (replicas 0, cluster PASSIVE) waits for its backups to be in sync before it exits.
    std::chrono::seconds cluster_shutdown_timeout{900};
    int io_thread_count = 0;         // hazelcast.io.thread.count; 0 = from CPUs
    int partition_thread_count = 0;  // hazelcast.partition.operation.thread.count; 0 = from CPUs
    // shoal.partition.operations-on-io-threads: auto (unset) | true | false. Whether an IO
    // thread runs a key operation itself while the partition's thread is idle, instead of
    // waking it; auto: when the member has one CPU (see README "Threads").
    std::optional<bool> operations_on_io_threads;
    std::string log_level = "info";  // shoal.log.level or hazelcast.logging.level: debug|info|warn|error
    bool auto_cluster_state = true;  // hazelcast.persistence.auto.cluster.state
    // hazelcast.persistence.auto.cluster.state.strategy
    AutoClusterStateStrategy auto_cluster_state_strategy = AutoClusterStateStrategy::kNoMigration;
    HttpConfig http;

    // The effective property table after every source: each typed property's value (canonical
    // text, defaults included), the validated integers later modules read (hazelcast.heartbeat...)
    // when given, and unsupported hazelcast.* properties as given. For --print-config and modules.
    std::map<std::string, std::string> properties;

    // Things worth telling the user that are not errors (e.g. unsupported hazelcast.* properties).
    std::vector<std::string> warnings;

    // Where the config came from, for the start line ("/etc/shoal/shoal.yaml" or "defaults").
    std::string source = "defaults";

    // The MapConfig that applies to `map_name`: exact name, then the best wildcard, then default.
    // As in Hazelcast, a partition-aware name "orders@key" uses the config of "orders".
    const MapConfig& map_config(const std::string& map_name) const;

    // Equal settings, warnings and source; --print-config output re-loads to an equal config.
    friend bool operator==(const MemberConfig&, const MemberConfig&) = default;
};

}  // namespace shoal::config
