// Environment variables and -D properties over the file: every form, precedence
// (file < environment < JAVA_OPTS < command line), errors naming the variable or property, and
// JAVA_OPTS splitting.
#include <gtest/gtest.h>

#include "config/config_loader.h"

namespace shoal::config {
namespace {

using Env = std::map<std::string, std::string>;
using Props = std::vector<std::string>;

MemberConfig load(const std::string& yaml, Env env = {}, Props properties = {}) {
    ConfigSources sources;
    sources.yaml_text = yaml;
    sources.yaml_name = "shoal.yaml";
    sources.environment = std::move(env);
    sources.properties = std::move(properties);
    return load_config(sources);
}

std::string error_of(const std::string& yaml, Env env = {}, Props properties = {}) {
    try {
        load(yaml, std::move(env), std::move(properties));
    } catch (const ConfigError& e) {
        return e.what();
    }
    ADD_FAILURE() << "config was accepted";
    return {};
}

// ---- precedence ---------------------------------------------------------------------------

TEST(ConfigPrecedence, FileThenEnvironmentThenJavaOptsThenArguments) {
    const std::string file = "shoal:\n  cluster-name: file\n";
    EXPECT_EQ(load(file).cluster_name, "file");
    EXPECT_EQ(load(file, {{"HZ_CLUSTERNAME", "env"}}).cluster_name, "env");
    // The member passes JAVA_OPTS properties first, then its own -D arguments.
    Props java_opts = properties_from_java_opts("-Xmx1g -Dhz.cluster-name=java-opts");
    EXPECT_EQ(load(file, {{"HZ_CLUSTERNAME", "env"}}, java_opts).cluster_name, "java-opts");
    java_opts.push_back("hz.cluster-name=args");
    EXPECT_EQ(load(file, {{"HZ_CLUSTERNAME", "env"}}, java_opts).cluster_name, "args");
}

TEST(ConfigPrecedence, LaterPropertiesWin) {
    const MemberConfig c = load("", {}, {"hazelcast.partition.count=7", "hazelcast.partition.count=9"});
    EXPECT_EQ(c.partition_count, 9);
    EXPECT_EQ(c.properties.at("hazelcast.partition.count"), "9");
}

TEST(ConfigPrecedence, PropertiesBlockIsBelowEnvironmentAndArguments) {
    const std::string file = "shoal:\n  properties:\n    shoal.log.level: debug\n";
    EXPECT_EQ(load(file).log_level, "debug");
    EXPECT_EQ(load(file, {{"SHOAL_LOG_LEVEL", "error"}}).log_level, "error");
    EXPECT_EQ(load(file, {{"SHOAL_LOG_LEVEL", "error"}}, {"shoal.log.level=warn"}).log_level, "warn");
}

TEST(ConfigPrecedence, ShoalVariablesWinOverHzOnes) {
    const MemberConfig c = load("", {{"HZ_CLUSTERNAME", "hz"}, {"SHOAL_CLUSTERNAME", "shoal"}});
    EXPECT_EQ(c.cluster_name, "shoal");
}

TEST(ConfigPrecedence, OverridesReplaceListsFromTheFile) {
    const std::string file = "shoal:\n  network:\n    join:\n      tcp-ip:\n        member: a\n        members: b\n";
    EXPECT_EQ(load(file).network.join.tcp_ip.members, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(load(file, {{"HZ_NETWORK_JOIN_TCPIP_MEMBERS", "c,d"}}).network.join.tcp_ip.members,
              (std::vector<std::string>{"c", "d"}));
}

// ---- environment --------------------------------------------------------------------------

TEST(ConfigEnvironment, HazelcastStyleVariables) {
    const MemberConfig c = load("", {{"HZ_CLUSTERNAME", "b"},
                                     {"HZ_NETWORK_PORT_PORT", "5900"},
                                     {"HZ_NETWORK_PORT_AUTOINCREMENT", "false"},
                                     {"HZ_NETWORK_JOIN_KUBERNETES_ENABLED", "true"},
                                     {"HZ_NETWORK_JOIN_KUBERNETES_SERVICENAME", "svc"},
                                     {"HZ_NETWORK_RESTAPI_ENABLED", "true"},
                                     {"HZ_NETWORK_RESTAPI_ENDPOINTGROUPS_HEALTHCHECK_ENABLED", "false"},
                                     {"HZ_NETWORK_RESTAPI_ENDPOINTGROUPS_WAN_ENABLED", "true"},
                                     {"HZ_PARTITIONGROUP_GROUPTYPE", "NODE_AWARE"},
                                     {"HZ_PERSISTENCE_BASEDIR", "/p"},
                                     {"SHOAL_MAP_DEFAULT_BACKUPCOUNT", "2"}});
    EXPECT_EQ(c.cluster_name, "b");
    EXPECT_EQ(c.network.port, 5900);
    EXPECT_FALSE(c.network.port_auto_increment);
    EXPECT_TRUE(c.network.join.kubernetes.enabled);
    EXPECT_EQ(c.network.join.kubernetes.service_name, "svc");
    EXPECT_FALSE(c.network.rest_api.health_check);
    EXPECT_EQ(c.partition_group, PartitionGroupType::kNodeAware);
    EXPECT_EQ(c.persistence.base_dir, "/p");
    EXPECT_EQ(c.map_default.backup_count, 2);
}

TEST(ConfigEnvironment, ShortPortForm) {
    EXPECT_EQ(load("", {{"SHOAL_NETWORK_PORT", "5902"}}).network.port, 5902);
    EXPECT_EQ(error_of("", {{"HZ_NETWORK_PORT", "x"}}),
              "environment variable HZ_NETWORK_PORT: 'network.port' must be an integer between 1 and 65535, got 'x'");
}

TEST(ConfigEnvironment, MapBlocksNamedInTheFile) {
    const std::string file = "shoal:\n  map:\n    orders: {}\n    sessions-*: {}\n";
    const MemberConfig c = load(file, {{"HZ_MAP_ORDERS_TIMETOLIVESECONDS", "5"}, {"HZ_MAP_SESSIONS_BACKUPCOUNT", "3"}});
    EXPECT_EQ(c.map_config("orders").time_to_live_seconds, 5);
    EXPECT_EQ(c.map_config("sessions-1").backup_count, 3);
    EXPECT_EQ(error_of(file, {{"HZ_MAP_NOPE_BACKUPCOUNT", "1"}}),
              "environment variable HZ_MAP_NOPE_BACKUPCOUNT: names no map block in the file; a variable can set "
              "map.default or a map the file names (use -Dhz.map.<name>.<key> for any other map)");
    EXPECT_EQ(error_of("shoal:\n  map:\n    a-b: {}\n    ab: {}\n", {{"HZ_MAP_AB_BACKUPCOUNT", "1"}}),
              "environment variable HZ_MAP_AB_BACKUPCOUNT: matches more than one map block: a-b, ab");
    EXPECT_EQ(
        error_of(file, {{"HZ_MAP_DEFAULT_BACKUPCOUNT", "9"}}),
        "environment variable HZ_MAP_DEFAULT_BACKUPCOUNT: 'map.default.backup-count' must be an integer between 0 "
        "and 6, got '9'");
}

TEST(ConfigEnvironment, HazelcastKubernetesVariables) {
    const MemberConfig c = load("", {{"HAZELCAST_KUBERNETES_SERVICE_NAME", "hz"},
                                     {"HAZELCAST_KUBERNETES_NAMESPACE", "ns"},
                                     {"HAZELCAST_KUBERNETES_RESOLVE_NOT_READY_ADDRESSES", "false"},
                                     {"HAZELCAST_KUBERNETES_SERVICE_PORT", "5702"}});
    EXPECT_EQ(c.network.join.kubernetes.service_name, "hz");
    EXPECT_EQ(c.network.join.kubernetes.namespace_, "ns");
    EXPECT_FALSE(c.network.join.kubernetes.resolve_not_ready_addresses);
    EXPECT_EQ(c.network.join.kubernetes.service_port, 5702);
    EXPECT_EQ(
        error_of("", {{"HAZELCAST_KUBERNETES_SERVCE_NAME", "x"}}),
        "environment variable HAZELCAST_KUBERNETES_SERVCE_NAME: unknown Kubernetes discovery setting 'servce-name' "
        "(did you mean 'HAZELCAST_KUBERNETES_SERVICE_NAME'?)");
    EXPECT_EQ(
        error_of("", {{"HAZELCAST_KUBERNETES_SERVICE_PORT", "-1"}}),
        "environment variable HAZELCAST_KUBERNETES_SERVICE_PORT: 'network.join.kubernetes.service-port' must be an "
        "integer between 0 and 65535, got '-1'");
}

TEST(ConfigEnvironment, UnknownVariablesAreErrorsWithSuggestions) {
    EXPECT_EQ(error_of("", {{"HZ_NETWORK_PROT", "1"}}),
              "environment variable HZ_NETWORK_PROT: matches no configuration key (did you mean 'HZ_NETWORK_PORT'?)");
    EXPECT_EQ(
        error_of("", {{"HZ_NETWORK_RESTAPI_ENDPOINTGROUPS_HEALTH_CHECK_ENABLED", "true"}}),
        "environment variable HZ_NETWORK_RESTAPI_ENDPOINTGROUPS_HEALTH_CHECK_ENABLED: matches no configuration key "
        "(did you mean 'HZ_NETWORK_RESTAPI_ENDPOINTGROUPS_HEALTHCHECK_ENABLED'?)");
    EXPECT_EQ(error_of("", {{"SHOAL_WHATEVER", "1"}}),
              "environment variable SHOAL_WHATEVER: matches no configuration key");
    EXPECT_EQ(error_of("", {{"HZ_NETWORK_PORT_PORT", "x"}}),
              "environment variable HZ_NETWORK_PORT_PORT: 'network.port.port' must be an integer between 1 and 65535, "
              "got 'x'");
    EXPECT_EQ(error_of("", {{"SHOAL_LOG_LEVEL", "loud"}}),
              "environment variable SHOAL_LOG_LEVEL: must be one of debug, info, warn, error, got 'loud'");
}

TEST(ConfigEnvironment, ReservedUnrelatedAndServiceLinkVariablesAreSkipped) {
    const MemberConfig defaults = load("");
    EXPECT_EQ(load("", {{"SHOAL_CONFIG", "/etc/x.yaml"},
                        {"SHOAL_ADDRESS", "127.0.0.1:5701"},
                        {"HZ_LICENSEKEY", "secret"},
                        {"HZ_LICENSE_KEY", "secret"},
                        {"HZ_HOME", "/opt/hazelcast"},
                        {"HZ_PHONE_HOME_ENABLED", "false"},
                        {"PATH", "/usr/bin"},
                        {"JAVA_OPTS", "-Dx=1"},
                        {"HZCLIENT_NETWORK_X", "1"},
                        // Kubernetes service links of services named "shoal" and "hz".
                        {"SHOAL_SERVICE_HOST", "10.96.0.5"},
                        {"SHOAL_SERVICE_PORT", "5701"},
                        {"SHOAL_SERVICE_PORT_HAZELCAST", "5701"},
                        {"SHOAL_PORT", "tcp://10.96.0.5:5701"},
                        {"SHOAL_PORT_5701_TCP", "tcp://10.96.0.5:5701"},
                        {"SHOAL_PORT_5701_TCP_PROTO", "tcp"},
                        {"SHOAL_PORT_5701_TCP_PORT", "5701"},
                        {"SHOAL_PORT_5701_TCP_ADDR", "10.96.0.5"},
                        {"HZ_PORT", "tcp://10.96.0.6:5701"},
                        {"HZ_SERVICE_HOST", "10.96.0.6"}}),
              defaults);
    // A real key that ends in _PORT is still read when it does not hold a service link.
    EXPECT_EQ(load("", {{"SHOAL_NETWORK_PORT", "5703"}}).network.port, 5703);
}

TEST(ConfigEnvironment, LogLevelVariable) {
    EXPECT_EQ(load("", {{"SHOAL_LOG_LEVEL", "DEBUG"}}).log_level, "debug");
}

// ---- properties ---------------------------------------------------------------------------

TEST(ConfigProperties, TypedProperties) {
    const MemberConfig c = load(
        "", {},
        {"hazelcast.local.localAddress=127.0.3.7", "hazelcast.shutdownhook.policy=graceful",
         "hazelcast.shutdownhook.enabled", "hazelcast.graceful.shutdown.max.wait=30", "hazelcast.io.thread.count=3",
         "hazelcast.partition.operation.thread.count=5", "hazelcast.partition.count=1",
         "shoal.http.max-header-bytes=512", "shoal.http.max-body-bytes=1024", "shoal.http.read-timeout-ms=10",
         "shoal.http.idle-timeout-ms=3600000", "hazelcast.persistence.auto.cluster.state=FALSE",
         "hazelcast.persistence.auto.cluster.state.strategy=frozen", "hazelcast.heartbeat.interval.seconds=007",
         "java.net.preferIPv4Stack=true"});
    EXPECT_EQ(c.local_address, "127.0.3.7");
    EXPECT_EQ(c.shutdown_policy, ShutdownPolicy::kGraceful);
    EXPECT_TRUE(c.shutdown_hook_enabled);
    EXPECT_EQ(c.graceful_shutdown_max_wait, std::chrono::seconds(30));
    EXPECT_EQ(c.io_thread_count, 3);
    EXPECT_EQ(c.partition_thread_count, 5);
    EXPECT_EQ(c.partition_count, 1);
    EXPECT_EQ(c.http.max_header_bytes, 512u);
    EXPECT_EQ(c.http.max_body_bytes, 1024u);
    EXPECT_EQ(c.http.read_timeout, std::chrono::milliseconds(10));
    EXPECT_EQ(c.http.idle_timeout, std::chrono::milliseconds(3600000));
    EXPECT_FALSE(c.auto_cluster_state);
    EXPECT_EQ(c.auto_cluster_state_strategy, AutoClusterStateStrategy::kFrozen);
    // Kept as canonical text for the modules that read the table.
    EXPECT_EQ(c.properties.at("hazelcast.heartbeat.interval.seconds"), "7");
    EXPECT_EQ(c.properties.at("hazelcast.shutdownhook.policy"), "GRACEFUL");
    EXPECT_EQ(c.properties.at("hazelcast.persistence.auto.cluster.state"), "false");
    EXPECT_EQ(c.properties.count("java.net.preferIPv4Stack"), 0u);
    EXPECT_TRUE(c.warnings.empty());
}

TEST(ConfigProperties, OperationsOnIoThreadsIsAutoTrueOrFalse) {
    EXPECT_EQ(load("", {}, {}).operations_on_io_threads, std::nullopt);
    EXPECT_EQ(load("", {}, {}).properties.at("shoal.partition.operations-on-io-threads"), "auto");
    EXPECT_EQ(load("", {}, {"shoal.partition.operations-on-io-threads=TRUE"}).operations_on_io_threads, true);
    EXPECT_EQ(load("", {}, {"shoal.partition.operations-on-io-threads=false"}).operations_on_io_threads, false);
    EXPECT_EQ(load("", {}, {"shoal.partition.operations-on-io-threads=Auto"}).operations_on_io_threads, std::nullopt);
    EXPECT_EQ(error_of("", {}, {"shoal.partition.operations-on-io-threads=sometimes"}),
              "property shoal.partition.operations-on-io-threads: must be one of AUTO, TRUE, FALSE, got 'sometimes'");
}

TEST(ConfigProperties, Ipv6LocalAddress) {
    EXPECT_EQ(load("", {}, {"hazelcast.local.localAddress=fd00::7"}).local_address, "fd00::7");
}

TEST(ConfigProperties, LogLevels) {
    EXPECT_EQ(load("", {}, {"shoal.log.level=Error"}).log_level, "error");
    EXPECT_EQ(load("", {}, {"hazelcast.logging.level=WARNING"}).log_level, "warn");
    EXPECT_EQ(load("", {}, {"hazelcast.logging.level=fine"}).log_level, "debug");
    EXPECT_EQ(load("", {}, {"hazelcast.logging.level=SEVERE"}).properties.at("shoal.log.level"), "error");
    EXPECT_EQ(error_of("", {}, {"shoal.log.level=warning"}),
              "property shoal.log.level: must be one of debug, info, warn, error, got 'warning'");
    EXPECT_EQ(error_of("", {}, {"hazelcast.logging.level=OFF"}),
              "property hazelcast.logging.level: must be one of debug, info, warn, error, got 'OFF'");
}

TEST(ConfigProperties, ConfigPathsThroughHzAndShoalPrefixes) {
    const MemberConfig c =
        load("", {},
             {"hz.cluster-name=a", "shoal.network.join.kubernetes.enabled=true", "hz.network.port=5710",
              "hz.map.com.example.cache.backup-count=0", "hazelcast.kubernetes.service-dns=shoal.ns.svc.cluster.local",
              "hazelcast.kubernetes.service-dns-timeout=7"});
    EXPECT_EQ(c.cluster_name, "a");
    EXPECT_TRUE(c.network.join.kubernetes.enabled);
    EXPECT_EQ(c.network.port, 5710);
    EXPECT_EQ(c.map_config("com.example.cache").backup_count, 0);
    EXPECT_EQ(c.network.join.kubernetes.service_dns, "shoal.ns.svc.cluster.local");
    EXPECT_EQ(c.network.join.kubernetes.service_dns_timeout_seconds, 7);
}

TEST(ConfigProperties, UnknownHazelcastPropertyIsAWarningNotAnError) {
    const MemberConfig c =
        load("", {},
             {"hazelcast.diagnostics.enabled=true", "hazelcast.logging.type=slf4j", "hazelcast.logging.type=log4j2"});
    EXPECT_EQ(c.warnings, (std::vector<std::string>{
                              "property hazelcast.diagnostics.enabled is not supported by Shoal and is ignored",
                              "property hazelcast.logging.type is not supported by Shoal and is ignored"}));
    EXPECT_EQ(c.properties.at("hazelcast.diagnostics.enabled"), "true");
    EXPECT_EQ(c.properties.at("hazelcast.logging.type"), "log4j2");
}

TEST(ConfigProperties, ErrorsNameTheProperty) {
    EXPECT_EQ(error_of("", {}, {"hazelcast.partition.count=0"}),
              "property hazelcast.partition.count: must be an integer between 1 and 65535, got '0'");
    EXPECT_EQ(error_of("", {}, {"hazelcast.local.localAddress=my-host"}),
              "property hazelcast.local.localAddress: must be an IPv4 or IPv6 address, got 'my-host'");
    EXPECT_EQ(error_of("", {}, {"hazelcast.shutdownhook.policy=NICE"}),
              "property hazelcast.shutdownhook.policy: must be one of TERMINATE, GRACEFUL, got 'NICE'");
    EXPECT_EQ(error_of("", {}, {"hazelcast.shutdownhook.enabled=yes"}),
              "property hazelcast.shutdownhook.enabled: must be true or false, got 'yes'");
    EXPECT_EQ(error_of("", {}, {"hazelcast.graceful.shutdown.max.wait=0"}),
              "property hazelcast.graceful.shutdown.max.wait: must be an integer between 1 and 2147483647, got '0'");
    EXPECT_EQ(error_of("", {}, {"hazelcast.io.thread.count=-1"}),
              "property hazelcast.io.thread.count: must be an integer between 0 and 1024, got '-1'");
    EXPECT_EQ(error_of("", {}, {"shoal.http.max-body-bytes=0"}),
              "property shoal.http.max-body-bytes: must be an integer between 1 and 1073741824, got '0'");
    EXPECT_EQ(error_of("", {}, {"hazelcast.heartbeat.interval.seconds=0"}),
              "property hazelcast.heartbeat.interval.seconds: must be an integer between 1 and 2147483647, got '0'");
    EXPECT_EQ(
        error_of("", {}, {"hazelcast.merge.next.run.delay.seconds=soon"}),
        "property hazelcast.merge.next.run.delay.seconds: must be an integer between 0 and 2147483647, got 'soon'");
    EXPECT_EQ(error_of("", {}, {"hazelcast.persistence.auto.cluster.state=maybe"}),
              "property hazelcast.persistence.auto.cluster.state: must be true or false, got 'maybe'");
    EXPECT_EQ(
        error_of("", {}, {"hazelcast.persistence.auto.cluster.state.strategy=ACTIVE"}),
        "property hazelcast.persistence.auto.cluster.state.strategy: must be NO_MIGRATION or FROZEN: ACTIVE would "
        "let partitions migrate while a member restarts, which is what the automatic cluster state is there to "
        "prevent, got 'ACTIVE'");
    EXPECT_EQ(error_of("", {}, {"hazelcast.persistence.auto.cluster.state.strategy=PASSIVE"}),
              "property hazelcast.persistence.auto.cluster.state.strategy: must be one of NO_MIGRATION, FROZEN, got "
              "'PASSIVE'");
}

TEST(ConfigProperties, UnknownNamesInOurNamespacesAreErrors) {
    EXPECT_EQ(error_of("", {}, {"shoal.bogus=1"}),
              "property shoal.bogus: unknown property 'shoal.bogus': neither a Shoal property nor a configuration key");
    EXPECT_EQ(
        error_of("", {}, {"shoal.log.levl=debug"}),
        "property shoal.log.levl: unknown property 'shoal.log.levl': neither a Shoal property nor a configuration "
        "key (did you mean 'shoal.log.level'?)");
    EXPECT_EQ(
        error_of("", {}, {"hz.network.prot=1"}),
        "property hz.network.prot: 'hz.network.prot' names no configuration key (did you mean 'hz.network.port'?)");
    EXPECT_EQ(error_of("", {}, {"hz.network=1"}), "property hz.network: 'hz.network' names no configuration key");
    EXPECT_EQ(error_of("", {}, {"hazelcast.kubernetes.nope=1"}),
              "property hazelcast.kubernetes.nope: unknown Kubernetes discovery setting 'nope'");
    EXPECT_EQ(error_of("", {}, {"hazelcast.kubernetes.service-nam=x"}),
              "property hazelcast.kubernetes.service-nam: unknown Kubernetes discovery setting 'service-nam' (did you "
              "mean 'service-name'?)");
    EXPECT_EQ(error_of("", {}, {"hz.network.port=x"}),
              "property hz.network.port: 'network.port' must be an integer between 1 and 65535, got 'x'");
    EXPECT_EQ(error_of("", {}, {"hz.map.a*b*.backup-count=1"}),
              "property hz.map.a*b*.backup-count: map name pattern 'a*b*' may hold at most one '*'");
}

TEST(ConfigProperties, ValuesMustBePrintableAndResolved) {
    EXPECT_EQ(error_of("", {}, {std::string("hz.cluster-name=a\x01", 18)}),
              "property hz.cluster-name: 'cluster-name' must be printable UTF-8 text, got 'a\\x01'");
    EXPECT_EQ(error_of("", {}, {"hz.cluster-name=\xff"}),
              "property hz.cluster-name: 'cluster-name' must be printable UTF-8 text, got '\xff'");
    EXPECT_EQ(error_of("", {{"HZ_CLUSTERNAME", "${name}"}}),
              "environment variable HZ_CLUSTERNAME: 'cluster-name' must not hold an unresolved ${...} placeholder, got "
              "'${name}'");
}

TEST(ConfigProperties, ConsistencyErrorsNameTheOverridingSource) {
    EXPECT_EQ(
        error_of("shoal:\n  network:\n    join:\n      kubernetes:\n        service-name: a\n", {},
                 {"hazelcast.kubernetes.pod-label-name=b"}),
        "property hazelcast.kubernetes.pod-label-name: 'network.join.kubernetes.pod-label-name' cannot be combined "
        "with 'service-name' (set at shoal.yaml:5:23): service-name, service-label-name and pod-label-name select "
        "members in different ways; set at most one");
    EXPECT_EQ(error_of("", {{"HZ_NETWORK_JOIN_KUBERNETES_ENABLED", "true"}}, {"hz.network.join.tcp-ip.enabled=true"}),
              "property hz.network.join.tcp-ip.enabled: 'network.join.tcp-ip.enabled' and "
              "'network.join.kubernetes.enabled' (set at environment variable HZ_NETWORK_JOIN_KUBERNETES_ENABLED) are "
              "both true; enable one join method");
}

// ---- JAVA_OPTS ----------------------------------------------------------------------------

TEST(JavaOpts, TakesOnlyDefinesAndHonoursQuotes) {
    EXPECT_EQ(properties_from_java_opts("-Xmx1g -XX:+UseG1GC -Da=1  -Db='x y' -D\"c=2 3\" -Dflag -D -D=v"),
              (std::vector<std::string>{"a=1", "b=x y", "c=2 3", "flag=true"}));
    EXPECT_TRUE(properties_from_java_opts("").empty());
    EXPECT_TRUE(properties_from_java_opts("  \t\n ").empty());
}

TEST(JavaOpts, WhitespaceKindsAndOrder) {
    EXPECT_EQ(properties_from_java_opts("\t-Dx=1\n-Dy=a=b \r\n -Dx=2"),
              (std::vector<std::string>{"x=1", "y=a=b", "x=2"}));
    EXPECT_EQ(properties_from_java_opts("-Dname=\"quoted value\"tail -Dempty="),
              (std::vector<std::string>{"name=quoted valuetail", "empty="}));
    EXPECT_EQ(properties_from_java_opts("-Dq='it\"s'"), (std::vector<std::string>{"q=it\"s"}));
    EXPECT_EQ(properties_from_java_opts("-Dopen='never closed"), (std::vector<std::string>{"open=never closed"}));
}

TEST(JavaOpts, TheHazelcastChartLine) {
    const Props props = properties_from_java_opts(
        "-Dhazelcast.config=/data/hazelcast/hazelcast.yaml -DserviceName=hz-hazelcast -Dnamespace=default "
        "-Dhazelcast.shutdownhook.policy=GRACEFUL -Dhazelcast.shutdownhook.enabled=true "
        "-Dhazelcast.graceful.shutdown.max.wait=600  ");
    ASSERT_EQ(props.size(), 6u);
    EXPECT_EQ(props[1], "serviceName=hz-hazelcast");
    // The member takes hazelcast.config out before loading; the rest loads with no surprise.
    const MemberConfig c = load("", {}, Props(props.begin() + 1, props.end()));
    EXPECT_EQ(c.shutdown_policy, ShutdownPolicy::kGraceful);
    EXPECT_EQ(c.graceful_shutdown_max_wait, std::chrono::seconds(600));
    EXPECT_TRUE(c.warnings.empty());
}

}  // namespace
}  // namespace shoal::config
