// The shoal-member binary as users run it: start, readiness, the member list in the log,
// signals, exit codes for bad configuration.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "test_support.h"

namespace shoal::test {
namespace {

const std::string kMember = SHOAL_MEMBER_BINARY;

std::string write_temp_file(const std::string& name, const std::string& text) {
    const std::string path = "/tmp/shoal-test-" + std::to_string(getpid()) + "-" + name;
    std::ofstream(path) << text;
    return path;
}

bool ready(const std::string& host) {
    return http_request(host, 5701, "GET", "/hazelcast/health/ready").status == 200;
}

TEST(MemberProcess, StartsReadyLogsMemberListAndExitsZeroOnSigterm) {
    const std::string host = unique_loopback_address();
    ChildProcess member({kMember, "-Dhazelcast.local.localAddress=" + host});
    ASSERT_TRUE(eventually([&] { return ready(host); })) << member.output();
    const std::string log = member.output();
    EXPECT_NE(log.find("Shoal " SHOAL_VERSION " starting"), std::string::npos) << log;
    EXPECT_NE(log.find("Members {size:1, ver:1} ["), std::string::npos) << log;
    EXPECT_NE(log.find("Member " + host + ":5701 - "), std::string::npos) << log;
    EXPECT_NE(log.find(" this"), std::string::npos) << log;

    member.signal(SIGTERM);
    const ProcessResult result = member.wait(std::chrono::seconds(20));
    ASSERT_FALSE(result.timed_out);
    EXPECT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("received SIGTERM"), std::string::npos);
    EXPECT_NE(result.output.find("shut down"), std::string::npos);
}

TEST(MemberProcess, SigintWithGracefulPolicyGoesThroughThePolicyHook) {
    const std::string host = unique_loopback_address();
    ChildProcess member({kMember, "-Dhazelcast.local.localAddress=" + host},
                        {{"JAVA_OPTS", "-Xmx1g -Dhazelcast.shutdownhook.policy=GRACEFUL"}});
    ASSERT_TRUE(eventually([&] { return ready(host); })) << member.output();
    member.signal(SIGINT);
    const ProcessResult result = member.wait(std::chrono::seconds(20));
    EXPECT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("shutdown policy GRACEFUL"), std::string::npos) << result.output;
}

TEST(MemberProcess, ConfigFileSetsClusterNameAndPort) {
    const std::string host = unique_loopback_address();
    const std::string file = write_temp_file("ok.yaml",
        "hazelcast:\n  cluster-name: blue\n  network:\n    port:\n      port: 5801\n");
    ChildProcess member({kMember, "--config", file, "-Dhazelcast.local.localAddress=" + host});
    ASSERT_TRUE(eventually([&] {
        return http_request(host, 5801, "GET", "/hazelcast/health/ready").status == 200;
    })) << member.output();
    EXPECT_NE(member.output().find("cluster 'blue'"), std::string::npos);
}

TEST(MemberProcess, PortAlreadyInUseExitsOneNamingTheAddress) {
    const std::string host = unique_loopback_address();
    ChildProcess first({kMember, "-Dhazelcast.local.localAddress=" + host});
    ASSERT_TRUE(eventually([&] { return ready(host); }));
    const ProcessResult second = run_process(
        {kMember, "-Dhazelcast.local.localAddress=" + host, "-Dhz.network.port.auto-increment=false"});
    EXPECT_EQ(second.exit_code, 1) << second.output;
    EXPECT_NE(second.output.find("cannot listen on " + host + ":5701"), std::string::npos) << second.output;
}

struct BadConfigCase {
    std::string name;
    std::string yaml;                          // empty: no file
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::string expected_message;
};

// Test names show the case's name, not its bytes.
void PrintTo(const BadConfigCase& c, std::ostream* os) { *os << c.name; }

class MemberBadConfig : public ::testing::TestWithParam<BadConfigCase> {};

TEST_P(MemberBadConfig, ExitsTwoWithMessageNamingTheProblem) {
    const BadConfigCase& c = GetParam();
    std::vector<std::string> argv = {kMember};
    if (!c.yaml.empty()) {
        argv.push_back("--validate-config");
        argv.push_back(write_temp_file(c.name + ".yaml", c.yaml));
    } else {
        argv.push_back("--print-config");
    }
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    const ProcessResult result = run_process(argv, c.env);
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_NE(result.output.find(c.expected_message), std::string::npos)
        << "expected '" << c.expected_message << "' in: " << result.output;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MemberBadConfig,
    ::testing::Values(
        BadConfigCase{"unknown_key", "hazelcast:\n  netwrok: {}\n", {}, {}, ":2:3: unknown key 'netwrok'"},
        BadConfigCase{"bad_port", "shoal:\n  network:\n    port: abc\n", {}, {}, "network.port"},
        BadConfigCase{"bad_yaml", "shoal:\n  network: [\n", {}, {}, ".yaml:"},
        BadConfigCase{"bad_root", "redis:\n  port: 1\n", {}, {}, "redis"},
        BadConfigCase{"bad_backup", "shoal:\n  map:\n    default:\n      backup-count: 9\n", {}, {},
                      "backup-count"},
        BadConfigCase{"bad_property", "", {"-Dhazelcast.partition.count=zero"}, {}, "hazelcast.partition.count"},
        BadConfigCase{"bad_env", "", {}, {{"HZ_NETWORK_PORT_PORT", "99999"}}, "HZ_NETWORK_PORT_PORT"},
        BadConfigCase{"unknown_env", "", {}, {{"HZ_NETWORK_PROT", "1"}}, "HZ_NETWORK_PROT"},
        BadConfigCase{"bad_java_opts", "", {}, {{"JAVA_OPTS", "-Dhazelcast.shutdownhook.policy=NICE"}},
                      "hazelcast.shutdownhook.policy"},
        BadConfigCase{"unknown_argument", "", {"--frobnicate"}, {}, "unknown argument '--frobnicate'"}),
    [](const ::testing::TestParamInfo<BadConfigCase>& info) { return info.param.name; });

TEST(MemberProcess, MissingConfigFileExitsTwo) {
    const ProcessResult result = run_process({kMember, "--config", "/nonexistent/shoal.yaml", "--print-config"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.output.find("/nonexistent/shoal.yaml"), std::string::npos) << result.output;
}

TEST(MemberProcess, PrintedConfigValidatesAgain) {
    const ProcessResult printed = run_process({kMember, "--print-config", "-Dhz.cluster-name=green"});
    ASSERT_EQ(printed.exit_code, 0) << printed.output;
    EXPECT_NE(printed.output.find("green"), std::string::npos);
    const std::string file = write_temp_file("printed.yaml", printed.output);
    const ProcessResult validated = run_process({kMember, "--validate-config", file});
    EXPECT_EQ(validated.exit_code, 0) << validated.output;
}

}  // namespace
}  // namespace shoal::test
