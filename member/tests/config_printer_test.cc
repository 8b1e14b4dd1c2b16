// --print-config: the printed YAML loads back to an equal config, whatever the values hold.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/config_loader.h"

namespace shoal::config {
namespace {

MemberConfig load(const std::string& yaml, std::map<std::string, std::string> env = {},
                  std::vector<std::string> properties = {}) {
    ConfigSources sources;
    sources.yaml_text = yaml;
    sources.yaml_name = "printed.yaml";
    sources.environment = std::move(env);
    sources.properties = std::move(properties);
    return load_config(sources);
}

std::string data_file(const std::string& name) {
    std::ifstream in(std::string(SHOAL_TEST_DATA_DIR) + "/config/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Prints, reloads and checks the reloaded config equals the original and prints the same.
void expect_round_trip(const MemberConfig& original) {
    const std::string printed = print_config(original);
    MemberConfig reloaded;
    try {
        reloaded = load(printed);
    } catch (const ConfigError& e) {
        FAIL() << e.what() << "\n" << printed;
    }
    EXPECT_EQ(reloaded, original) << printed;
    EXPECT_EQ(print_config(reloaded), printed);
}

TEST(PrintConfig, DefaultsRoundTrip) {
    expect_round_trip(load(""));
}

TEST(PrintConfig, EveryKeyRoundTrips) {
    expect_round_trip(load(data_file("every-key.yaml")));
}

TEST(PrintConfig, SamplesRoundTrip) {
    expect_round_trip(load(data_file("kubernetes-member.yaml")));
    expect_round_trip(load(data_file("tcp-ip-member.yaml")));
    expect_round_trip(load(data_file("hazelcast-chart.yaml"), {}, {"serviceName=svc", "namespace=ns"}));
}

TEST(PrintConfig, OverridesAndUnsupportedPropertiesRoundTrip) {
    expect_round_trip(load(data_file("kubernetes-member.yaml"), {{"HZ_CLUSTERNAME", "from-env"}},
                           {"hazelcast.local.localAddress=127.0.0.9", "hazelcast.logging.level=FINE",
                            "hazelcast.diagnostics.enabled=true", "hz.map.com.example.cache.backup-count=0"}));
}

TEST(PrintConfig, AwkwardStringsRoundTrip) {
    for (const std::string name :
         {"null",     "~",           "true",   "123",  "0x1F", " spaced ", "a: b",      "# not a comment",
          "'quoted'", "\"double\"",  "- dash", "[x]",  "{y}",  "&anchor",  "*alias",    "!tag",
          "%percent", "@at",         "`tick`", "|",    ">",    "é ü 雪",   "tab\there", "ends with colon:",
          "?",        "multi\nline", "a,b",    "--- ", "..."}) {
        SCOPED_TRACE(name);
        MemberConfig c = load("");
        c.cluster_name = name;
        c.network.join.kubernetes.api_token = name;
        c.network.join.kubernetes.ca_certificate = "-----BEGIN-----\n" + name + "\n-----END-----\n";
        // Members hold no spaces; map names no control characters and no '@' (see config_maps_test).
        if (name.find_first_of(" \t\n") == std::string::npos) c.network.join.tcp_ip.members = {name, "b"};
        if (name.find_first_of("\t\n@") == std::string::npos) c.maps[name].backup_count = 2;
        c.properties["hazelcast.custom"] = name;
        c.warnings = {"property hazelcast.custom is not supported by Shoal and is ignored"};
        expect_round_trip(c);
    }
}

TEST(PrintConfig, EmptyValuesRoundTrip) {
    MemberConfig c = load("");
    c.network.public_address.clear();
    c.network.join.kubernetes.namespace_.clear();
    c.network.join.tcp_ip.members.clear();
    c.properties["hazelcast.empty"] = "";
    c.warnings = {"property hazelcast.empty is not supported by Shoal and is ignored"};
    expect_round_trip(c);
}

TEST(PrintConfig, WritesEveryKeyUnderTheShoalRoot) {
    const std::string printed = print_config(load(data_file("every-key.yaml")));
    EXPECT_EQ(printed.rfind("shoal:\n", 0), 0u) << printed;
    for (const char* expected :
         {"  cluster-name: every-key\n", "    port: 6701\n", "    auto-increment: false\n",
          "        service-label-name: app\n", "  map:\n", "    default:\n", "      backup-count: 2\n",
          "    hazelcast.partition.count: 1021\n", "    shoal.http.max-body-bytes: 1048576\n",
          "    hazelcast.heartbeat.interval.seconds: 2\n", "    group-type: NODE_AWARE\n",
          "    cluster-data-recovery-policy: PARTIAL_RECOVERY_MOST_COMPLETE\n"}) {
        EXPECT_NE(printed.find(expected), std::string::npos) << "missing " << expected << "in\n" << printed;
    }
    // Aliases and accepted-but-ignored keys are not printed.
    for (const char* absent : {"member-list", "expose-externally", "HOT_RESTART", "hazelcast.logging.level"}) {
        EXPECT_EQ(printed.find(absent), std::string::npos) << absent;
    }
}

}  // namespace
}  // namespace shoal::config
