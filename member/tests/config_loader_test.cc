// Config loading: every source, precedence, and every error naming file, line and key.
#include "config/config_loader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace shoal::config {
namespace {

MemberConfig load_yaml(const std::string& yaml, std::map<std::string, std::string> env = {},
                       std::vector<std::string> properties = {}) {
    ConfigSources sources;
    sources.yaml_text = yaml;
    sources.yaml_name = "shoal.yaml";
    sources.environment = std::move(env);
    sources.properties = std::move(properties);
    return load_config(sources);
}

// The ConfigError message for a config that must fail.
std::string error_of(const std::string& yaml, std::map<std::string, std::string> env = {},
                     std::vector<std::string> properties = {}) {
    try {
        load_yaml(yaml, std::move(env), std::move(properties));
    } catch (const ConfigError& e) {
        return e.what();
    }
    ADD_FAILURE() << "config was accepted: " << yaml;
    return {};
}

std::string read_data_file(const std::string& name) {
    std::ifstream in(std::string(SHOAL_TEST_DATA_DIR) + "/config/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

#define EXPECT_CONTAINS(haystack, needle) \
    EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << "'" << (haystack) << "' lacks '" << (needle) << "'"

TEST(ConfigLoader, DefaultsWithoutAnySource) {
    const MemberConfig c = load_config({});
    EXPECT_EQ(c.cluster_name, "dev");
    EXPECT_EQ(c.network.port, 5701);
    EXPECT_TRUE(c.network.port_auto_increment);
    EXPECT_EQ(c.partition_count, 271);
    EXPECT_EQ(c.map_default.backup_count, 1);
    EXPECT_EQ(c.shutdown_policy, ShutdownPolicy::kTerminate);
    EXPECT_TRUE(c.network.rest_api.health_check);
    EXPECT_TRUE(c.warnings.empty());
}

TEST(ConfigLoader, KubernetesMemberFile) {
    const MemberConfig c = load_yaml(read_data_file("kubernetes-member.yaml"));
    EXPECT_EQ(c.cluster_name, "prod");
    EXPECT_FALSE(c.network.port_auto_increment);
    EXPECT_TRUE(c.network.join.kubernetes.enabled);
    EXPECT_EQ(c.network.join.kubernetes.service_name, "shoal-headless");
    EXPECT_EQ(c.network.join.kubernetes.namespace_, "data");
    EXPECT_TRUE(c.partition_group_enabled);
    EXPECT_EQ(c.partition_group, PartitionGroupType::kZoneAware);
    EXPECT_EQ(c.map_default.backup_count, 2);
    EXPECT_EQ(c.map_config("sessions-eu").time_to_live_seconds, 1800);
    EXPECT_EQ(c.map_config("sessions-eu").max_idle_seconds, 600);
    EXPECT_EQ(c.map_config("orders").backup_count, 2);
    EXPECT_EQ(c.shutdown_policy, ShutdownPolicy::kGraceful);
    EXPECT_EQ(c.graceful_shutdown_max_wait, std::chrono::seconds(120));
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_CONTAINS(c.warnings[0], "hazelcast.logging.type");
}

TEST(ConfigLoader, UnsupportedHazelcastSectionIsAnErrorWithItsLine) {
    EXPECT_CONTAINS(error_of(read_data_file("official-chart.yaml")), "shoal.yaml:3:3: unknown key 'jet'");
}

TEST(ConfigLoader, PortShortAndLongForm) {
    EXPECT_EQ(load_yaml("shoal:\n  network:\n    port: 6000\n").network.port, 6000);
    EXPECT_EQ(load_yaml("shoal:\n  network:\n    port: {port: 6001, port-count: 3}\n").network.port_count, 3);
}

TEST(ConfigLoader, UnknownKeySuggestsTheNearestName) {
    EXPECT_EQ(error_of("hazelcast:\n  netwrok:\n    port: 1\n"),
              "shoal.yaml:2:3: unknown key 'netwrok' under the root (did you mean 'network'?)");
    EXPECT_EQ(error_of("shoal:\n  network:\n    jion: {}\n"),
              "shoal.yaml:3:5: unknown key 'jion' under 'network' (did you mean 'join'?)");
    EXPECT_CONTAINS(error_of("shoal:\n  map:\n    default:\n      backup-cont: 1\n"),
                    "shoal.yaml:4:7: unknown key 'backup-cont' under 'map.default' (did you mean 'backup-count'?)");
    EXPECT_CONTAINS(error_of("shoal:\n  network:\n    join:\n      kubernetes:\n        service-nme: x\n"),
                    "(did you mean 'service-name'?)");
}

TEST(ConfigLoader, RootMustBeShoalOrHazelcast) {
    EXPECT_CONTAINS(error_of("redis:\n  port: 1\n"), "shoal.yaml:1:1: unknown root key 'redis'");
    EXPECT_CONTAINS(error_of("shoal: {}\nhazelcast: {}\n"), "exactly one root key");
    EXPECT_CONTAINS(error_of("- a\n- b\n"), "must be a map");
}

TEST(ConfigLoader, BadValuesNameKeyAndLine) {
    EXPECT_EQ(error_of("shoal:\n  network:\n    port:\n      port: abc\n"),
              "shoal.yaml:4:13: 'network.port.port' must be an integer between 1 and 65535, got 'abc'");
    EXPECT_CONTAINS(error_of("shoal:\n  network:\n    port: 70000\n"), "between 1 and 65535, got '70000'");
    EXPECT_CONTAINS(error_of("shoal:\n  network:\n    rest-api:\n      enabled: yes\n"),
                    "'network.rest-api.enabled' must be true or false, got 'yes'");
    EXPECT_CONTAINS(error_of("shoal:\n  partition-group:\n    group-type: RACK_AWARE\n"),
                    "must be one of PER_MEMBER, NODE_AWARE, ZONE_AWARE, got 'RACK_AWARE'");
    EXPECT_CONTAINS(error_of("shoal:\n  cluster-name: [a, b]\n"), "'cluster-name' must be a single value, not a list");
    EXPECT_CONTAINS(error_of("shoal:\n  cluster-name: {a: 1}\n"), "shoal.yaml:2:3: 'cluster-name' must be a value, not a map");
    EXPECT_CONTAINS(error_of("shoal:\n  network: 5\n"), "'network' must be a map of keys");
    EXPECT_CONTAINS(error_of("shoal:\n  persistence:\n    cluster-data-recovery-policy: SOMETIMES\n"),
                    "cluster-data-recovery-policy");
}

TEST(ConfigLoader, SyntaxErrorsCarryTheLine) {
    EXPECT_CONTAINS(error_of("shoal:\n  network: [\n"), "shoal.yaml:3:");
    EXPECT_CONTAINS(error_of("shoal:\n  a: 1\n   b: 2\n"), "shoal.yaml:");
}

TEST(ConfigLoader, MapBlocksAndTheirLimits) {
    EXPECT_CONTAINS(error_of("shoal:\n  map:\n    default:\n      backup-count: 7\n"),
                    "'map.default.backup-count' must be an integer between 0 and 6, got '7'");
    EXPECT_CONTAINS(error_of("shoal:\n  map:\n    m:\n      backup-count: 4\n      async-backup-count: 3\n"),
                    "map 'm': backup-count + async-backup-count must be at most 6, got 7");
    EXPECT_CONTAINS(error_of("shoal:\n  map:\n    a*b*:\n      backup-count: 1\n"), "at most one '*'");
    EXPECT_CONTAINS(error_of("shoal:\n  map:\n    default:\n      time-to-live-seconds: -1\n"), "time-to-live-seconds");
    const MemberConfig c = load_yaml("shoal:\n  map:\n    com.example.cache:\n      backup-count: 0\n");
    EXPECT_EQ(c.map_config("com.example.cache").backup_count, 0);
}

TEST(ConfigLoader, WildcardLongestPatternWinsAndExactBeatsWildcard) {
    const MemberConfig c = load_yaml(
        "shoal:\n  map:\n    default: {backup-count: 1}\n    user*: {backup-count: 2}\n"
        "    user-session*: {backup-count: 3}\n    user-sessions: {backup-count: 4}\n    \"*-audit\": {backup-count: 5}\n");
    EXPECT_EQ(c.map_config("users").backup_count, 2);
    EXPECT_EQ(c.map_config("user-session-eu").backup_count, 3);
    EXPECT_EQ(c.map_config("user-sessions").backup_count, 4);
    EXPECT_EQ(c.map_config("orders-audit").backup_count, 5);
    EXPECT_EQ(c.map_config("orders").backup_count, 1);
}

TEST(ConfigLoader, NamedMapBlockStartsFromBuiltInDefaults) {
    const MemberConfig c = load_yaml("shoal:\n  map:\n    default: {backup-count: 3}\n    m: {time-to-live-seconds: 5}\n");
    EXPECT_EQ(c.map_config("m").backup_count, 1);  // as in Hazelcast: named configs do not inherit
    EXPECT_EQ(c.map_config("m").time_to_live_seconds, 5);
}

TEST(ConfigLoader, JoinConsistency) {
    EXPECT_CONTAINS(error_of("shoal:\n  network:\n    join:\n      kubernetes:\n        service-name: a\n"
                             "        pod-label-name: b\n"),
                    "set at most one");
    EXPECT_CONTAINS(error_of("shoal:\n  network:\n    join:\n      kubernetes:\n        service-dns: a.svc\n"
                             "        service-name: b\n"),
                    "service-dns (DNS discovery) cannot be combined");
    EXPECT_CONTAINS(error_of("shoal:\n  network:\n    join:\n      kubernetes: {enabled: true}\n"
                             "      tcp-ip: {enabled: true}\n"),
                    "kubernetes and tcp-ip are both enabled");
    EXPECT_CONTAINS(error_of("shoal:\n  network:\n    join:\n      multicast: {enabled: true}\n"),
                    "multicast discovery is not supported");
}

TEST(ConfigLoader, TcpIpMembersAsListOrCommaString) {
    EXPECT_EQ(load_yaml("shoal:\n  network:\n    join:\n      tcp-ip:\n        enabled: true\n        members: a, b:5702\n")
                  .network.join.tcp_ip.members,
              (std::vector<std::string>{"a", "b:5702"}));
    EXPECT_EQ(load_yaml("shoal:\n  network:\n    join:\n      tcp-ip:\n        member-list: [x, y]\n")
                  .network.join.tcp_ip.members,
              (std::vector<std::string>{"x", "y"}));
}

TEST(ConfigLoader, EnvironmentOverridesFile) {
    const MemberConfig c = load_yaml("shoal:\n  cluster-name: a\n",
                                     {{"HZ_CLUSTERNAME", "b"},
                                      {"HZ_NETWORK_JOIN_KUBERNETES_ENABLED", "true"},
                                      {"HZ_NETWORK_JOIN_KUBERNETES_SERVICENAME", "svc"},
                                      {"HZ_MAP_DEFAULT_BACKUPCOUNT", "2"},
                                      {"SHOAL_NETWORK_PORT", "5900"},
                                      {"SHOAL_CONFIG", "/ignored/here.yaml"},
                                      {"PATH", "/usr/bin"}});
    EXPECT_EQ(c.cluster_name, "b");
    EXPECT_TRUE(c.network.join.kubernetes.enabled);
    EXPECT_EQ(c.network.join.kubernetes.service_name, "svc");
    EXPECT_EQ(c.map_default.backup_count, 2);
    EXPECT_EQ(c.network.port, 5900);
}

TEST(ConfigLoader, HazelcastKubernetesEnvironmentVariables) {
    const MemberConfig c = load_yaml("", {{"HAZELCAST_KUBERNETES_SERVICE_NAME", "hz"},
                                          {"HAZELCAST_KUBERNETES_RESOLVE_NOT_READY_ADDRESSES", "false"}});
    EXPECT_EQ(c.network.join.kubernetes.service_name, "hz");
    EXPECT_FALSE(c.network.join.kubernetes.resolve_not_ready_addresses);
    EXPECT_CONTAINS(error_of("", {{"HAZELCAST_KUBERNETES_SERVCE_NAME", "x"}}),
                    "environment variable HAZELCAST_KUBERNETES_SERVCE_NAME: unknown Kubernetes discovery setting 'servce-name'");
}

TEST(ConfigLoader, EnvironmentErrorsNameTheVariable) {
    EXPECT_EQ(error_of("", {{"HZ_NETWORK_PROT", "1"}}), "environment variable HZ_NETWORK_PROT: matches no configuration key");
    EXPECT_CONTAINS(error_of("", {{"HZ_NETWORK_PORT_PORT", "x"}}), "environment variable HZ_NETWORK_PORT_PORT: 'network.port.port'");
    EXPECT_CONTAINS(error_of("", {{"SHOAL_LOG_LEVEL", "loud"}}), "environment variable SHOAL_LOG_LEVEL");
}

TEST(ConfigLoader, PropertiesOverrideEnvironmentAndLaterWins) {
    const MemberConfig c = load_yaml("shoal:\n  cluster-name: file\n  properties:\n    hazelcast.partition.count: 101\n",
                                     {{"HZ_CLUSTERNAME", "env"}},
                                     {"hz.cluster-name=java-opts", "hazelcast.partition.count=7", "hz.cluster-name=args"});
    EXPECT_EQ(c.cluster_name, "args");
    EXPECT_EQ(c.partition_count, 7);
}

TEST(ConfigLoader, TypedProperties) {
    const MemberConfig c = load_yaml("", {}, {"hazelcast.local.localAddress=127.0.3.7", "hazelcast.shutdownhook.policy=graceful",
                                              "hazelcast.graceful.shutdown.max.wait=30", "hazelcast.io.thread.count=3",
                                              "hazelcast.partition.operation.thread.count=5", "shoal.http.max-body-bytes=1024",
                                              "hazelcast.kubernetes.service-dns=shoal.ns.svc.cluster.local",
                                              "hz.network.join.kubernetes.enabled=true", "java.net.preferIPv4Stack=true"});
    EXPECT_EQ(c.local_address, "127.0.3.7");
    EXPECT_EQ(c.shutdown_policy, ShutdownPolicy::kGraceful);
    EXPECT_EQ(c.graceful_shutdown_max_wait, std::chrono::seconds(30));
    EXPECT_EQ(c.io_thread_count, 3);
    EXPECT_EQ(c.partition_thread_count, 5);
    EXPECT_EQ(c.http.max_body_bytes, 1024u);
    EXPECT_EQ(c.network.join.kubernetes.service_dns, "shoal.ns.svc.cluster.local");
    EXPECT_TRUE(c.network.join.kubernetes.enabled);
    EXPECT_TRUE(c.warnings.empty());
}

TEST(ConfigLoader, PropertyErrorsNameTheProperty) {
    EXPECT_EQ(error_of("", {}, {"hazelcast.partition.count=0"}),
              "property hazelcast.partition.count: 'hazelcast.partition.count' must be an integer between 1 and 65535, got '0'");
    EXPECT_CONTAINS(error_of("", {}, {"hazelcast.local.localAddress=my-host"}), "must be an IPv4 or IPv6 address");
    EXPECT_CONTAINS(error_of("", {}, {"hazelcast.shutdownhook.policy=NICE"}), "must be one of TERMINATE, GRACEFUL");
    EXPECT_CONTAINS(error_of("", {}, {"shoal.bogus=1"}), "property shoal.bogus: unknown property 'shoal.bogus'");
    EXPECT_CONTAINS(error_of("", {}, {"hz.network.prot=1"}), "'hz.network.prot' names no configuration key");
    EXPECT_CONTAINS(error_of("", {}, {"hazelcast.kubernetes.nope=1"}), "unknown Kubernetes discovery setting 'nope'");
    EXPECT_CONTAINS(error_of("", {}, {"hazelcast.persistence.auto.cluster.state.strategy=ACTIVE"}), "must be NO_MIGRATION or FROZEN");
    EXPECT_CONTAINS(error_of("", {}, {"hazelcast.max.no.heartbeat.seconds=-5"}), "hazelcast.max.no.heartbeat.seconds");
    EXPECT_CONTAINS(error_of("shoal:\n  properties:\n    hazelcast.io.thread.count: many\n"),
                    "shoal.yaml:3:5: 'hazelcast.io.thread.count' must be an integer");
}

TEST(ConfigLoader, UnknownHazelcastPropertyIsAWarningNotAnError) {
    const MemberConfig c = load_yaml("", {}, {"hazelcast.diagnostics.enabled=true"});
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_CONTAINS(c.warnings[0], "hazelcast.diagnostics.enabled is not supported");
    EXPECT_EQ(c.properties.at("hazelcast.diagnostics.enabled"), "true");
}

TEST(JavaOpts, TakesOnlyDefinesAndHonoursQuotes) {
    EXPECT_EQ(properties_from_java_opts("-Xmx1g -XX:+UseG1GC -Da=1  -Db='x y' -D\"c=2 3\" -Dflag -D"),
              (std::vector<std::string>{"a=1", "b=x y", "c=2 3", "flag=true"}));
    EXPECT_TRUE(properties_from_java_opts("").empty());
}

TEST(PrintConfig, RoundTripsEveryValue) {
    const MemberConfig original = load_yaml(read_data_file("kubernetes-member.yaml"), {},
                                            {"hazelcast.local.localAddress=127.0.0.9", "shoal.log.level=debug"});
    const std::string printed = print_config(original);
    const MemberConfig reloaded = load_yaml(printed);
    EXPECT_EQ(print_config(reloaded), printed);
    EXPECT_EQ(reloaded.cluster_name, "prod");
    EXPECT_EQ(reloaded.local_address, "127.0.0.9");
    EXPECT_EQ(reloaded.map_config("sessions-x").time_to_live_seconds, 1800);
    EXPECT_EQ(reloaded.log_level, "debug");
}

}  // namespace
}  // namespace shoal::config
