// Config file reading: the root key, every key's happy path, every error naming file, line,
// column and key, ${...} placeholders, and the sample files under tests/data/config.
#include "config/config_loader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace shoal::config {
namespace {

MemberConfig load_yaml(const std::string& yaml, std::vector<std::string> properties = {}) {
    ConfigSources sources;
    sources.yaml_text = yaml;
    sources.yaml_name = "shoal.yaml";
    sources.properties = std::move(properties);
    return load_config(sources);
}

// The ConfigError message for a file that must be refused.
std::string error_of(const std::string& yaml, std::vector<std::string> properties = {}) {
    try {
        load_yaml(yaml, std::move(properties));
    } catch (const ConfigError& e) {
        return e.what();
    }
    ADD_FAILURE() << "config was accepted: " << yaml;
    return {};
}

std::string data_file(const std::string& name) {
    std::ifstream in(std::string(SHOAL_TEST_DATA_DIR) + "/config/" + name);
    EXPECT_TRUE(in.good()) << name;
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// "shoal:\n  <line>\n..." with the given lines, each indented under the root.
std::string shoal(std::initializer_list<std::string> lines) {
    std::string text = "shoal:\n";
    for (const auto& line : lines) text += "  " + line + "\n";
    return text;
}

TEST(ConfigFile, NoFileMeansDefaults) {
    const MemberConfig c = load_config({});
    EXPECT_EQ(c.cluster_name, "dev");
    EXPECT_EQ(c.network.port, 5701);
    EXPECT_TRUE(c.network.port_auto_increment);
    EXPECT_EQ(c.network.port_count, 100);
    EXPECT_EQ(c.partition_count, 271);
    EXPECT_EQ(c.map_default.backup_count, 1);
    EXPECT_EQ(c.shutdown_policy, ShutdownPolicy::kGraceful);
    EXPECT_TRUE(c.shutdown_hook_enabled);
    EXPECT_TRUE(c.network.rest_api.enabled);
    EXPECT_TRUE(c.network.rest_api.health_check);
    EXPECT_EQ(c.log_level, "info");
    EXPECT_TRUE(c.auto_cluster_state);
    EXPECT_EQ(c.auto_cluster_state_strategy, AutoClusterStateStrategy::kNoMigration);
    EXPECT_TRUE(c.warnings.empty());
    EXPECT_EQ(c.properties.at("hazelcast.partition.count"), "271");  // the effective table, defaults included
}

TEST(ConfigFile, EmptyTextsMeanDefaults) {
    const MemberConfig defaults = load_config({});
    for (const char* text : {"", "# only a comment\n", "shoal:\n", "hazelcast:\n", "---\n", "shoal: {}\n", "~\n"}) {
        EXPECT_EQ(load_yaml(text), defaults) << text;
    }
    EXPECT_EQ(load_yaml(shoal({"network:", "map:", "properties:"})), defaults);
}

TEST(ConfigFile, RootMustBeOneOfShoalOrHazelcast) {
    EXPECT_EQ(load_yaml("hazelcast:\n  cluster-name: a\n").cluster_name, "a");
    EXPECT_EQ(load_yaml("shoal:\n  cluster-name: b\n").cluster_name, "b");
    EXPECT_EQ(error_of("redis:\n  port: 1\n"), "shoal.yaml:1:1: unknown root key 'redis': use 'shoal' or 'hazelcast'");
    EXPECT_EQ(error_of("hazelcst:\n  cluster-name: a\n"),
              "shoal.yaml:1:1: unknown root key 'hazelcst': use 'shoal' or 'hazelcast' (did you mean 'hazelcast'?)");
    EXPECT_EQ(error_of("shoal: {}\nhazelcast: {}\n"),
              "shoal.yaml:2:1: second root key 'hazelcast' after 'shoal': the file must have exactly one root key, "
              "'shoal' or 'hazelcast'");
    EXPECT_EQ(error_of("- a\n- b\n"),
              "shoal.yaml:1:1: the file must be a map with one root key, 'shoal' or 'hazelcast', got a list");
    EXPECT_EQ(error_of("just text\n"),
              "shoal.yaml:1:1: the file must be a map with one root key, 'shoal' or 'hazelcast', got a single value");
    EXPECT_EQ(error_of("shoal: [1]\n"), "shoal.yaml:1:8: 'shoal' must be a map of keys, got a list");
    EXPECT_EQ(
        error_of("shoal: {}\n---\nshoal: {}\n"),
        "shoal.yaml:3:1: the file holds a second YAML document; put everything in one document under one root key");
}

TEST(ConfigFile, UnknownKeysNameTheirSectionAndSuggest) {
    EXPECT_EQ(error_of("hazelcast:\n  netwrok:\n    port: 1\n"),
              "shoal.yaml:2:3: unknown key 'netwrok' under 'hazelcast' (did you mean 'network'?)");
    EXPECT_EQ(error_of(shoal({"network:", "  jion: {}"})),
              "shoal.yaml:3:5: unknown key 'jion' under 'network' (did you mean 'join'?)");
    EXPECT_EQ(error_of(shoal({"map:", "  default:", "    backup-cont: 1"})),
              "shoal.yaml:4:7: unknown key 'backup-cont' under 'map.default' (did you mean 'backup-count'?)");
    EXPECT_EQ(
        error_of(shoal({"network:", "  join:", "    kubernetes:", "      service-nme: x"})),
        "shoal.yaml:5:9: unknown key 'service-nme' under 'network.join.kubernetes' (did you mean 'service-name'?)");
    EXPECT_EQ(
        error_of(shoal({"network:", "  rest-api:", "    endpoint-groups:", "      health_check: {enabled: true}"})),
        "shoal.yaml:5:9: unknown key 'health_check' under 'network.rest-api.endpoint-groups' "
        "(did you mean 'HEALTH_CHECK'?)");
    EXPECT_EQ(error_of(shoal({"executor-service: {}"})),
              "shoal.yaml:2:3: unknown key 'executor-service' under 'shoal'");
    EXPECT_EQ(error_of(shoal({"network:", "  join:", "    multicast:", "      multicast-group: 224.2.2.3"})),
              "shoal.yaml:5:9: unknown key 'multicast-group' under 'network.join.multicast'");
    // A dotted key is not a path: keys are nested, only map and property names hold dots.
    EXPECT_EQ(error_of(shoal({"network:", "  port.port: 5702"})),
              "shoal.yaml:3:5: unknown key 'port.port' under 'network'");
}

TEST(ConfigFile, WrongKindsOfNodeAreNamed) {
    EXPECT_EQ(error_of(shoal({"network: [a]"})), "shoal.yaml:2:12: 'network' must be a map of keys, got a list");
    EXPECT_EQ(error_of(shoal({"network: 5"})), "shoal.yaml:2:12: 'network' must be a map of keys, got a single value");
    EXPECT_EQ(error_of(shoal({"cluster-name: {a: 1}"})),
              "shoal.yaml:2:17: 'cluster-name' must be a single value, got a map");
    EXPECT_EQ(error_of(shoal({"cluster-name: [a, b]"})),
              "shoal.yaml:2:17: 'cluster-name' must be a single value, got a list");
    EXPECT_EQ(error_of(shoal({"network:", "  interfaces:", "    interfaces: [[1]]"})),
              "shoal.yaml:4:20: 'network.interfaces.interfaces[0]' must be a single value, got a list");
    EXPECT_EQ(error_of(shoal({"network:", "  interfaces:", "    interfaces: {a: 1}"})),
              "shoal.yaml:4:19: 'network.interfaces.interfaces' must be a list, got a map");
    EXPECT_EQ(error_of(shoal({"properties: [a]"})), "shoal.yaml:2:15: 'properties' must be a map of keys, got a list");
    EXPECT_EQ(error_of(shoal({"map: [a]"})), "shoal.yaml:2:8: 'map' must be a map of keys, got a list");
    EXPECT_EQ(error_of(shoal({"? [a]", ": 1"})), "shoal.yaml:2:5: keys under 'shoal' must be plain text, got a list");
}

TEST(ConfigFile, DuplicateKeysAreRefused) {
    EXPECT_EQ(error_of(shoal({"cluster-name: a", "cluster-name: b"})),
              "shoal.yaml:3:3: duplicate key 'cluster-name' under 'shoal' (first at line 2)");
    EXPECT_EQ(error_of(shoal({"map:", "  m: {backup-count: 1, backup-count: 2}"})),
              "shoal.yaml:3:26: duplicate key 'backup-count' under 'map.m' (first at line 3)");
    EXPECT_EQ(error_of(shoal({"properties:", "  hazelcast.partition.count: 1", "  hazelcast.partition.count: 2"})),
              "shoal.yaml:4:5: duplicate key 'hazelcast.partition.count' under 'properties' (first at line 3)");
    EXPECT_EQ(error_of("shoal: {}\nshoal: {}\n"),
              "shoal.yaml:2:1: second root key 'shoal' after 'shoal': the file must "
              "have exactly one root key, 'shoal' or 'hazelcast'");
}

TEST(ConfigFile, SyntaxErrorsCarryTheLineYamlCppGives) {
    const std::string unclosed = error_of("shoal:\n  network: [\n");
    EXPECT_EQ(unclosed.rfind("shoal.yaml:3:1: invalid YAML: ", 0), 0u) << unclosed;
    const std::string indent = error_of("shoal:\n  a: 1\n   b: 2\n");
    EXPECT_EQ(indent.rfind("shoal.yaml:3:", 0), 0u) << indent;
    EXPECT_NE(indent.find("invalid YAML"), std::string::npos) << indent;
    const std::string tab = error_of("shoal:\n\tcluster-name: a\n");
    EXPECT_EQ(tab.rfind("shoal.yaml:", 0), 0u) << tab;
}

// yaml-cpp 0.7's LoadAll never returns on a stray ',' (jbeder/yaml-cpp#1040); found by config_fuzz.
TEST(ConfigFile, StrayCommaIsAnErrorNotAHang) {
    EXPECT_EQ(error_of(","), "shoal.yaml:1:1: invalid YAML: unexpected text where a value should start");
    EXPECT_EQ(error_of("&a,"), "shoal.yaml:1:3: invalid YAML: unexpected text where a value should start");
    const std::string fuzz_found("!=E&&&,&&&&&&&&&&&&&\a&&&&&&&&&&&&vve #er");
    EXPECT_NE(error_of(fuzz_found).find("invalid YAML"), std::string::npos);
}

TEST(ConfigFile, EmptyDocumentsAroundTheConfigAreFine) {
    EXPECT_EQ(load_yaml("---\nshoal:\n  cluster-name: a\n---\n").cluster_name, "a");
    EXPECT_EQ(load_yaml("shoal:\n  cluster-name: a\n...\n---\n...\n").cluster_name, "a");
    EXPECT_EQ(load_yaml("---\n---\n---\n"), load_config({}));
    EXPECT_EQ(
        error_of("---\n---\nshoal: {}\n"),
        "shoal.yaml:3:1: the file holds a second YAML document; put everything in one document under one root key");
}

TEST(ConfigFile, MessagesUseTheGivenFileName) {
    ConfigSources sources;
    sources.yaml_text = "hazelcast:\n  nope: 1\n";
    sources.yaml_name = "/etc/shoal/shoal.yaml";
    try {
        load_config(sources);
        FAIL() << "accepted";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), "/etc/shoal/shoal.yaml:2:3: unknown key 'nope' under 'hazelcast'");
    }
}

TEST(ConfigFile, PortShortAndLongForm) {
    EXPECT_EQ(load_yaml(shoal({"network:", "  port: 6000"})).network.port, 6000);
    const MemberConfig c = load_yaml(shoal({"network:", "  port: {port: 6001, auto-increment: false, port-count: 3}"}));
    EXPECT_EQ(c.network.port, 6001);
    EXPECT_FALSE(c.network.port_auto_increment);
    EXPECT_EQ(c.network.port_count, 3);
    EXPECT_EQ(error_of(shoal({"network:", "  port: abc"})),
              "shoal.yaml:3:11: 'network.port' must be an integer between 1 and 65535, got 'abc'");
    EXPECT_EQ(error_of(shoal({"network:", "  port:", "    port: abc"})),
              "shoal.yaml:4:13: 'network.port.port' must be an integer between 1 and 65535, got 'abc'");
    EXPECT_EQ(error_of(shoal({"network:", "  port: [5701]"})),
              "shoal.yaml:3:11: 'network.port' must be an integer between 1 and 65535, got a list");
    EXPECT_EQ(error_of(shoal({"network:", "  port:", "    port-count: 0"})),
              "shoal.yaml:4:19: 'network.port.port-count' must be an integer between 1 and 65535, got '0'");
}

TEST(ConfigFile, IntegersMustBeWholeAndInRange) {
    for (const char* bad : {"0", "65536", "-1", "5701x", "+5701", "57.01", "0x10", "99999999999999999999", "\"\""}) {
        EXPECT_NE(
            error_of(shoal({"network:", std::string("  port: ") + bad})).find("must be an integer between 1 and 65535"),
            std::string::npos)
            << bad;
    }
    EXPECT_EQ(error_of(shoal({"network:", "  port:"})),
              "shoal.yaml:3:5: 'network.port' must be an integer between 1 and 65535, got nothing");
    EXPECT_EQ(load_yaml(shoal({"network:", "  port: 65535"})).network.port, 65535);
    EXPECT_EQ(load_yaml(shoal({"network:", "  port: \"1\""})).network.port, 1);
}

TEST(ConfigFile, BooleansAreTrueOrFalseInAnyCase) {
    EXPECT_FALSE(load_yaml(shoal({"network:", "  rest-api:", "    enabled: FALSE"})).network.rest_api.enabled);
    EXPECT_TRUE(load_yaml(shoal({"network:", "  rest-api:", "    enabled: True"})).network.rest_api.enabled);
    EXPECT_EQ(error_of(shoal({"network:", "  rest-api:", "    enabled: yes"})),
              "shoal.yaml:4:16: 'network.rest-api.enabled' must be true or false, got 'yes'");
    EXPECT_EQ(error_of(shoal({"network:", "  rest-api:", "    enabled: 1"})),
              "shoal.yaml:4:16: 'network.rest-api.enabled' must be true or false, got '1'");
}

TEST(ConfigFile, EnumsNameTheirChoices) {
    EXPECT_EQ(load_yaml(shoal({"partition-group:", "  group-type: zone_aware"})).partition_group,
              PartitionGroupType::kZoneAware);
    EXPECT_EQ(error_of(shoal({"partition-group:", "  group-type: RACK_AWARE"})),
              "shoal.yaml:3:17: 'partition-group.group-type' must be one of PER_MEMBER, NODE_AWARE, ZONE_AWARE, got "
              "'RACK_AWARE'");
    EXPECT_EQ(error_of(shoal({"persistence:", "  cluster-data-recovery-policy: SOMETIMES"})),
              "shoal.yaml:3:35: 'persistence.cluster-data-recovery-policy' must be one of FULL_RECOVERY_ONLY, "
              "PARTIAL_RECOVERY_MOST_RECENT, PARTIAL_RECOVERY_MOST_COMPLETE, got 'SOMETIMES'");
}

TEST(ConfigFile, EveryKeyIsRead) {
    const MemberConfig c = load_yaml(data_file("every-key.yaml"));
    EXPECT_EQ(c.cluster_name, "every-key");
    EXPECT_EQ(c.network.port, 6701);
    EXPECT_FALSE(c.network.port_auto_increment);
    EXPECT_EQ(c.network.port_count, 7);
    EXPECT_EQ(c.network.public_address, "203.0.113.7:31701");
    EXPECT_TRUE(c.network.interfaces_enabled);
    EXPECT_EQ(c.network.interfaces, (std::vector<std::string>{"10.0.*.*", "192.168.1.10-20"}));
    EXPECT_EQ(c.network.rest_api, (RestApiConfig{false, false, false, false, false}));
    const auto& join = c.network.join;
    EXPECT_FALSE(join.multicast_enabled);
    EXPECT_FALSE(join.tcp_ip.enabled);
    // member, members and member-list add up, in file order.
    EXPECT_EQ(join.tcp_ip.members,
              (std::vector<std::string>{"a.example", "b.example:5702", "c.example:5701-5703", "d.example"}));
    EXPECT_EQ(join.tcp_ip.connection_timeout_seconds, 9);
    const auto& k = join.kubernetes;
    EXPECT_TRUE(k.enabled);
    EXPECT_EQ(k.namespace_, "ns1");
    EXPECT_EQ(k.service_label_name, "app");
    EXPECT_EQ(k.service_label_value, "shoal");
    EXPECT_EQ(k.pod_label_value, "ignored-without-name");
    EXPECT_EQ(k.service_dns_timeout_seconds, 11);
    EXPECT_EQ(k.service_port, 5799);
    EXPECT_FALSE(k.resolve_not_ready_addresses);
    EXPECT_EQ(k.kubernetes_api_retries, 8);
    EXPECT_EQ(k.kubernetes_master, "https://10.0.0.1:6443");
    EXPECT_EQ(k.api_token, "token-123");
    EXPECT_EQ(k.ca_certificate, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    EXPECT_TRUE(c.partition_group_enabled);
    EXPECT_EQ(c.partition_group, PartitionGroupType::kNodeAware);
    EXPECT_EQ(c.map_default, (MapConfig{2, 1, 60, 30}));
    EXPECT_EQ(c.map_config("orders"), (MapConfig{0, 0, 0, 0}));
    EXPECT_EQ(c.map_config("cache-eu"), (MapConfig{1, 2, 5, 0}));
    EXPECT_TRUE(c.persistence.enabled);
    EXPECT_EQ(c.persistence.base_dir, "/data/persistence");
    EXPECT_EQ(c.persistence.validation_timeout_seconds, 200);
    EXPECT_EQ(c.persistence.data_load_timeout_seconds, 1000);
    EXPECT_EQ(c.persistence.cluster_data_recovery_policy, RecoveryPolicy::kPartialMostComplete);
    EXPECT_FALSE(c.persistence.auto_remove_stale_data);
    EXPECT_EQ(c.partition_count, 1021);
    EXPECT_EQ(c.local_address, "10.0.3.4");
    EXPECT_EQ(c.shutdown_policy, ShutdownPolicy::kGraceful);
    EXPECT_FALSE(c.shutdown_hook_enabled);
    EXPECT_EQ(c.graceful_shutdown_max_wait, std::chrono::seconds(90));
    EXPECT_EQ(c.io_thread_count, 4);
    EXPECT_EQ(c.partition_thread_count, 6);
    EXPECT_EQ(c.log_level, "warn");
    EXPECT_EQ(c.http.max_header_bytes, 4096u);
    EXPECT_EQ(c.http.max_body_bytes, 1048576u);
    EXPECT_EQ(c.http.read_timeout, std::chrono::milliseconds(5000));
    EXPECT_EQ(c.http.idle_timeout, std::chrono::milliseconds(7000));
    EXPECT_FALSE(c.auto_cluster_state);
    EXPECT_EQ(c.auto_cluster_state_strategy, AutoClusterStateStrategy::kFrozen);
    EXPECT_EQ(c.properties.at("hazelcast.heartbeat.interval.seconds"), "2");
    EXPECT_EQ(c.properties.at("hazelcast.max.no.heartbeat.seconds"), "40");
    EXPECT_EQ(c.properties.at("hazelcast.cluster.shutdown.timeout.seconds"), "15");
    EXPECT_EQ(c.cluster_shutdown_timeout, std::chrono::seconds(15));
    EXPECT_EQ(c.properties.at("hazelcast.stale.join.prevention.duration.seconds"), "20");
    EXPECT_EQ(c.properties.at("hazelcast.merge.first.run.delay.seconds"), "100");
    EXPECT_EQ(c.properties.at("hazelcast.merge.next.run.delay.seconds"), "50");
    EXPECT_EQ(c.properties.at("shoal.log.level"), "warn");
    EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
}

TEST(ConfigFile, KubernetesKeysNotInTheFullFile) {
    const MemberConfig c = load_yaml(shoal({"network:", "  join:", "    kubernetes:", "      enabled: true",
                                            "      pod-label-name: app", "      pod-label-value: shoal"}));
    EXPECT_EQ(c.network.join.kubernetes.pod_label_name, "app");
    EXPECT_EQ(c.network.join.kubernetes.pod_label_value, "shoal");
    const MemberConfig dns =
        load_yaml(shoal({"network:", "  join:", "    kubernetes:", "      service-dns: shoal.ns.svc.cluster.local"}));
    EXPECT_EQ(dns.network.join.kubernetes.service_dns, "shoal.ns.svc.cluster.local");
}

TEST(ConfigFile, StringValuesAreChecked) {
    EXPECT_EQ(error_of(shoal({"cluster-name: \"\""})),
              "shoal.yaml:2:17: 'cluster-name' must not be empty, got nothing");
    EXPECT_EQ(error_of(shoal({"persistence:", "  base-dir: \"\""})),
              "shoal.yaml:3:15: 'persistence.base-dir' must not be empty, got nothing");
    EXPECT_EQ(error_of(shoal({"cluster-name: \"a\\u0001b\""})),
              "shoal.yaml:2:17: 'cluster-name' must be printable UTF-8 text, got 'a\\x01b'");
    EXPECT_EQ(error_of(shoal({"network:", "  join:", "    kubernetes:", "      kubernetes-master: 10.0.0.1"})),
              "shoal.yaml:5:28: 'network.join.kubernetes.kubernetes-master' must be a URL starting with https:// or "
              "http://, got '10.0.0.1'");
    EXPECT_EQ(error_of(shoal({"network:", "  join:", "    kubernetes:", "      service-name: a b"})),
              "shoal.yaml:5:23: 'network.join.kubernetes.service-name' must not contain spaces, got 'a b'");
}

TEST(ConfigFile, PublicAddressIsHostWithOptionalPort) {
    for (const char* good :
         {"203.0.113.7", "member-0.example.com:31701", "[2001:db8::7]:5701", "[::1]", "2001:db8::7"}) {
        EXPECT_EQ(
            load_yaml(shoal({"network:", std::string("  public-address: \"") + good + "\""})).network.public_address,
            good);
    }
    for (const char* bad : {"host:0", "host:70000", "host:", ":5701", "[::1]x", "[nothost]:5701", "a:b:c"}) {
        EXPECT_EQ(error_of(shoal({"network:", std::string("  public-address: \"") + bad + "\""})),
                  std::string("shoal.yaml:3:21: 'network.public-address' must be host, host:port or [ipv6]:port with a "
                              "port between 1 and 65535, got '") +
                      bad + "'")
            << bad;
    }
}

TEST(ConfigFile, InterfacesAreIpv4Patterns) {
    EXPECT_EQ(load_yaml(shoal({"network:", "  interfaces:", "    interfaces: [\"10.*.0-9.255\"]"})).network.interfaces,
              (std::vector<std::string>{"10.*.0-9.255"}));
    for (const char* bad : {"10.0.0", "10.0.0.256", "10.0.0.9-3", "10.0.0.x", "10.0.0.1.1", "", "10..0.1"}) {
        const std::string error =
            error_of(shoal({"network:", "  interfaces:", std::string("    interfaces: [\"") + bad + "\"]"}));
        EXPECT_EQ(error.rfind("shoal.yaml:4:20: 'network.interfaces.interfaces[0]' must ", 0), 0u)
            << bad << ": " << error;
    }
    EXPECT_EQ(error_of(shoal({"network:", "  interfaces:", "    enabled: true"})),
              "shoal.yaml:4:16: 'network.interfaces.enabled' is true but 'network.interfaces.interfaces' lists no "
              "interface to bind to");
}

TEST(ConfigFile, TcpIpMembersAsListOrCommaString) {
    EXPECT_EQ(load_yaml(shoal({"network:", "  join:", "    tcp-ip:", "      members: a, b:5702,,"}))
                  .network.join.tcp_ip.members,
              (std::vector<std::string>{"a", "b:5702"}));
    EXPECT_EQ(load_yaml(shoal({"network:", "  join:", "    tcp-ip:", "      member-list: [x, y]"}))
                  .network.join.tcp_ip.members,
              (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(error_of(shoal({"network:", "  join:", "    tcp-ip:", "      member-list: [x, \"\"]"})),
              "shoal.yaml:5:26: 'network.join.tcp-ip.member-list[1]' must not be empty, got nothing");
    EXPECT_EQ(error_of(shoal({"network:", "  join:", "    tcp-ip:", "      member-list: [\"a b\"]"})),
              "shoal.yaml:5:23: 'network.join.tcp-ip.member-list[0]' must not contain spaces, got 'a b'");
    EXPECT_EQ(
        error_of(shoal({"network:", "  join:", "    tcp-ip:", "      connection-timeout-seconds: 0"})),
        "shoal.yaml:5:37: 'network.join.tcp-ip.connection-timeout-seconds' must be an integer between 1 and 3600, "
        "got '0'");
}

TEST(ConfigFile, MulticastMayOnlyBeDisabled) {
    EXPECT_FALSE(load_yaml(shoal({"network:", "  join:", "    multicast:", "      enabled: false"}))
                     .network.join.multicast_enabled);
    EXPECT_EQ(error_of(shoal({"network:", "  join:", "    multicast:", "      enabled: true"})),
              "shoal.yaml:5:18: 'network.join.multicast.enabled' cannot be true: multicast discovery is not supported "
              "(multicast does not work on Kubernetes networks); use kubernetes or tcp-ip join instead");
}

TEST(ConfigFile, IgnoredHazelcastKeysAreAcceptedButStillChecked) {
    const MemberConfig c =
        load_yaml(shoal({"network:", "  rest-api:", "    endpoint-groups:", "      WAN: {enabled: true}",
                         "      CP: {enabled: false}", "  join:", "    kubernetes:", "      expose-externally: true"}));
    EXPECT_EQ(c, load_config({}));
    EXPECT_EQ(
        error_of(shoal({"network:", "  rest-api:", "    endpoint-groups:", "      HOT_RESTART: {enabled: maybe}"})),
        "shoal.yaml:5:32: 'network.rest-api.endpoint-groups.HOT_RESTART.enabled' must be true or false, got 'maybe'");
}

TEST(ConfigFile, JoinConsistencyPointsAtBothKeys) {
    EXPECT_EQ(
        error_of(shoal({"network:", "  join:", "    kubernetes:", "      service-name: a", "      pod-label-name: b"})),
        "shoal.yaml:6:25: 'network.join.kubernetes.pod-label-name' cannot be combined with 'service-name' (set at "
        "shoal.yaml:5:23): service-name, service-label-name and pod-label-name select members in different ways; "
        "set at most one");
    EXPECT_EQ(
        error_of(shoal(
            {"network:", "  join:", "    kubernetes:", "      service-label-name: a", "      pod-label-name: b"})),
        "shoal.yaml:6:25: 'network.join.kubernetes.pod-label-name' cannot be combined with 'service-label-name' "
        "(set at shoal.yaml:5:29): service-name, service-label-name and pod-label-name select members in different "
        "ways; set at most one");
    EXPECT_EQ(error_of(shoal({"network:", "  join:", "    kubernetes:", "      service-dns: a.svc",
                              "      service-label-name: b"})),
              "shoal.yaml:5:22: 'network.join.kubernetes.service-dns' (DNS lookup) cannot be combined with "
              "'service-label-name' (set at shoal.yaml:6:29) (Kubernetes API lookup); use one of the two");
    EXPECT_EQ(error_of(shoal({"network:", "  join:", "    kubernetes: {enabled: true}",
                              "    tcp-ip: {enabled: true, member: a}"})),
              "shoal.yaml:5:25: 'network.join.tcp-ip.enabled' and 'network.join.kubernetes.enabled' (set at "
              "shoal.yaml:4:29) are both true; enable one join method");
}

TEST(ConfigFile, LonelyTcpIpIsAWarning) {
    const MemberConfig c = load_yaml(shoal({"network:", "  join:", "    tcp-ip: {enabled: true}"}));
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_NE(c.warnings[0].find("tcp-ip join is enabled but lists no members"), std::string::npos);
}

TEST(ConfigFile, PropertiesBlock) {
    const MemberConfig c =
        load_yaml(shoal({"properties:", "  hazelcast.partition.count: 13", "  hazelcast.logging.type: slf4j",
                         "  java.net.preferIPv4Stack: true", "  hz.cluster-name: from-hz",
                         "  shoal.network.port.port: 5999", "  hazelcast.kubernetes.namespace: k-ns"}));
    EXPECT_EQ(c.partition_count, 13);
    EXPECT_EQ(c.cluster_name, "from-hz");
    EXPECT_EQ(c.network.port, 5999);
    EXPECT_EQ(c.network.join.kubernetes.namespace_, "k-ns");
    EXPECT_EQ(c.properties.at("hazelcast.logging.type"), "slf4j");
    EXPECT_EQ(c.properties.count("java.net.preferIPv4Stack"), 0u);
    ASSERT_EQ(c.warnings.size(), 2u);
    EXPECT_EQ(c.warnings[1], "property hazelcast.logging.type is not supported by Shoal and is ignored");
    EXPECT_EQ(c.warnings[0],
              "shoal.yaml:5:31: property 'java.net.preferIPv4Stack' is not a hazelcast.*, shoal.* or hz.* "
              "property and is ignored");
    EXPECT_EQ(error_of(shoal({"properties:", "  hazelcast.io.thread.count: many"})),
              "shoal.yaml:3:32: 'hazelcast.io.thread.count' must be an integer between 0 and 1024, got 'many'");
    EXPECT_EQ(error_of(shoal({"properties:", "  hazelcast.io.thread.count: {a: 1}"})),
              "shoal.yaml:3:32: 'hazelcast.io.thread.count' must be an integer between 0 and 1024, got a map");
    EXPECT_EQ(error_of(shoal({"properties:", "  shoal.bogus: 1"})),
              "shoal.yaml:3:18: unknown property 'shoal.bogus': neither a Shoal property nor a configuration key");
    EXPECT_EQ(error_of(shoal({"properties:", "  hazelcast.logging.type: [a]"})),
              "shoal.yaml:3:29: 'hazelcast.logging.type' must be a single value, got a list");
}

TEST(ConfigFile, PlaceholdersComeFromProperties) {
    const MemberConfig c = load_yaml(
        shoal({"cluster-name: ${a}-${b}", "network:", "  join:", "    tcp-ip:", "      member-list: [\"${a}:5701\"]"}),
        {"a=x", "b=first", "b=y"});
    EXPECT_EQ(c.cluster_name, "x-y");
    EXPECT_EQ(c.network.join.tcp_ip.members, (std::vector<std::string>{"x:5701"}));
    EXPECT_EQ(error_of(shoal({"cluster-name: ${nope}"})),
              "shoal.yaml:2:17: 'cluster-name' uses ${nope}, but no property 'nope' is set (pass -Dnope=... or write "
              "the value)");
    EXPECT_EQ(error_of(shoal({"cluster-name: a${b"})),
              "shoal.yaml:2:17: 'cluster-name' has '${' without a closing '}'");
    // A replacement is not scanned again: a value that holds a placeholder stays unresolved.
    EXPECT_EQ(error_of(shoal({"cluster-name: ${a}"}), {"a=${b}", "b=x"}),
              "shoal.yaml:2:17: 'cluster-name' must not hold an unresolved ${...} placeholder, got '${b}'");
}

TEST(ConfigFile, HazelcastChartStyleFileLoads) {
    const MemberConfig c = load_yaml(data_file("hazelcast-chart.yaml"), {"serviceName=hz-hazelcast", "namespace=data"});
    EXPECT_TRUE(c.network.join.kubernetes.enabled);
    EXPECT_EQ(c.network.join.kubernetes.service_name, "hz-hazelcast");
    EXPECT_EQ(c.network.join.kubernetes.namespace_, "data");
    EXPECT_TRUE(c.network.join.kubernetes.resolve_not_ready_addresses);
    EXPECT_TRUE(c.network.rest_api.enabled);
    EXPECT_TRUE(c.network.rest_api.health_check);
    EXPECT_FALSE(c.network.rest_api.cluster_write);
    EXPECT_TRUE(c.warnings.empty());
    EXPECT_EQ(error_of(data_file("hazelcast-chart.yaml")),
              "shoal.yaml:10:23: 'network.join.kubernetes.service-name' uses ${serviceName}, but no property "
              "'serviceName' is set (pass -DserviceName=... or write the value)");
}

TEST(ConfigFile, OfficialChartDefaultFailsOnJetOnly) {
    EXPECT_EQ(error_of(data_file("official-chart.yaml"), {"serviceName=hz", "namespace=default"}),
              "shoal.yaml:13:3: unknown key 'jet' under 'hazelcast'");
}

TEST(ConfigFile, KubernetesMemberSample) {
    const MemberConfig c = load_yaml(data_file("kubernetes-member.yaml"));
    EXPECT_EQ(c.cluster_name, "prod");
    EXPECT_FALSE(c.network.port_auto_increment);
    EXPECT_TRUE(c.network.join.kubernetes.enabled);
    EXPECT_EQ(c.network.join.kubernetes.service_name, "shoal-headless");
    EXPECT_EQ(c.network.join.kubernetes.namespace_, "data");
    EXPECT_EQ(c.partition_group, PartitionGroupType::kZoneAware);
    EXPECT_EQ(c.map_default.backup_count, 2);
    EXPECT_EQ(c.map_config("sessions-eu").time_to_live_seconds, 1800);
    EXPECT_EQ(c.map_config("sessions-eu").backup_count, 1);  // named blocks do not inherit map.default
    EXPECT_EQ(c.map_config("orders").backup_count, 2);
    EXPECT_EQ(c.shutdown_policy, ShutdownPolicy::kGraceful);
    EXPECT_EQ(c.graceful_shutdown_max_wait, std::chrono::seconds(120));
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_EQ(c.warnings[0], "property hazelcast.logging.type is not supported by Shoal and is ignored");
}

TEST(ConfigFile, TcpIpMemberSample) {
    const MemberConfig c = load_yaml(data_file("tcp-ip-member.yaml"));
    EXPECT_EQ(c.cluster_name, "edge");
    EXPECT_EQ(c.network.port, 5801);
    EXPECT_EQ(c.network.public_address, "edge-1.example.com");
    EXPECT_EQ(c.network.interfaces, (std::vector<std::string>{"10.1.2.*"}));
    EXPECT_TRUE(c.network.join.tcp_ip.enabled);
    EXPECT_EQ(c.network.join.tcp_ip.members, (std::vector<std::string>{"10.1.2.3", "10.1.2.4:5801"}));
}

TEST(ConfigFile, AnchorsWorkAndHostileShapesFailCleanly) {
    const MemberConfig c = load_yaml(shoal({"cluster-name: &n shared", "network:", "  public-address: *n"}));
    EXPECT_EQ(c.network.public_address, "shared");
    // An alias back to an enclosing node must not send the walk round in circles.
    EXPECT_EQ(error_of("shoal: &a\n  map:\n    m: *a\n"), "shoal.yaml:2:3: unknown key 'map' under 'map.m'");
    // Nesting deeper than yaml-cpp's parser allows is a ConfigError, not a crash.
    const std::string deep = "shoal: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
    EXPECT_NE(error_of(deep).find("invalid YAML"), std::string::npos);
}

}  // namespace
}  // namespace shoal::config
