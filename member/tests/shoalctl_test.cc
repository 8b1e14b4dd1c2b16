// shoalctl: its argument parsing as a unit, and every command against a real member process.
#include <gtest/gtest.h>
#include <signal.h>

#include "../cli/cli_error.h"
#include "../cli/cli_options.h"
#include "client/client.h"
#include "test_support.h"

namespace shoal::test {
namespace {

using cli::CliError;
using cli::parse_cli_options;

int usage_error_code(const std::vector<std::string>& args) {
    try {
        parse_cli_options(args, nullptr);
    } catch (const CliError& e) {
        return e.exit_code();
    }
    return 0;
}

TEST(ShoalctlOptions, GlobalOptionsCommandAndFlags) {
    const auto o = parse_cli_options({"--address", "127.0.2.3:5801", "--json", "put", "m", "k", "v", "--ttl", "5"}, nullptr);
    EXPECT_EQ(o.host, "127.0.2.3");
    EXPECT_EQ(o.port, 5801);
    EXPECT_TRUE(o.json);
    EXPECT_EQ(o.command, "put");
    EXPECT_EQ(o.arguments, (std::vector<std::string>{"m", "k", "v"}));
    EXPECT_EQ(o.flags.at("--ttl"), "5");
}

TEST(ShoalctlOptions, AddressFromEnvironmentAndDefault) {
    EXPECT_EQ(parse_cli_options({"health"}, nullptr).port, 5701);
    const auto o = parse_cli_options({"health"}, "10.0.0.5:6000");
    EXPECT_EQ(o.host, "10.0.0.5");
    EXPECT_EQ(o.port, 6000);
}

TEST(ShoalctlOptions, UsageErrorsExitTwo) {
    EXPECT_EQ(usage_error_code({"frobnicate"}), cli::kExitUsage);
    EXPECT_EQ(usage_error_code({"--address", "host:99999", "health"}), cli::kExitUsage);
    EXPECT_EQ(usage_error_code({"get", "m", "k", "--ttl", "3"}), cli::kExitUsage);
    EXPECT_EQ(usage_error_code({"put", "m", "k", "v", "--ttl", "soon"}), cli::kExitUsage);
    EXPECT_EQ(usage_error_code({"--bogus"}), cli::kExitUsage);
    EXPECT_EQ(usage_error_code({"put", "m", "k", "v", "--ttl"}), cli::kExitUsage);
}

class ShoalctlEndToEnd : public ::testing::Test {
protected:
    void SetUp() override {
        host_ = unique_loopback_address();
        member_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{SHOAL_MEMBER_BINARY, "-Dhazelcast.local.localAddress=" + host_});
        ASSERT_TRUE(eventually([&] { return http_request(host_, 5701, "GET", "/hazelcast/health/ready").status == 200; }))
            << member_->output();
    }
    void TearDown() override {
        member_->signal(SIGTERM);
        EXPECT_EQ(member_->wait(std::chrono::seconds(20)).exit_code, 0);
    }
    ProcessResult ctl(std::vector<std::string> args) {
        args.insert(args.begin(), {SHOALCTL_BINARY, "--address", host_ + ":5701"});
        return run_process(args);
    }

    std::string host_;
    std::unique_ptr<ChildProcess> member_;
};

TEST_F(ShoalctlEndToEnd, PutGetSizeKeysRemove) {
    EXPECT_EQ(ctl({"put", "cities", "1", "Paris"}).output, "OK\n");
    EXPECT_EQ(ctl({"put", "cities", "2", "Lyon"}).exit_code, 0);
    EXPECT_EQ(ctl({"get", "cities", "1"}).output, "Paris\n");
    EXPECT_EQ(ctl({"size", "cities"}).output, "2\n");
    const auto keys = ctl({"keys", "cities"});
    EXPECT_NE(keys.output.find("1\n"), std::string::npos);
    EXPECT_NE(keys.output.find("2\n"), std::string::npos);
    EXPECT_EQ(ctl({"remove", "cities", "1"}).exit_code, 0);
    const auto missing = ctl({"get", "cities", "1"});
    EXPECT_EQ(missing.exit_code, 3);
    EXPECT_NE(missing.output.find("no such entry"), std::string::npos);
}

TEST_F(ShoalctlEndToEnd, JsonOutput) {
    ctl({"put", "m", "k", "v"});
    EXPECT_EQ(ctl({"--json", "get", "m", "k"}).output,
              R"({"map":"m","key":"k","value":"v","contentType":"text/plain; charset=utf-8"})" "\n");
    EXPECT_EQ(ctl({"--json", "size", "m"}).output, R"({"map":"m","size":1})" "\n");
}

TEST_F(ShoalctlEndToEnd, HealthClusterAndState) {
    const auto health = ctl({"health"});
    EXPECT_NE(health.output.find("ACTIVE"), std::string::npos) << health.output;
    EXPECT_NE(health.output.find("ready:"), std::string::npos);
    const auto cluster = ctl({"cluster"});
    EXPECT_NE(cluster.output.find("Members {size:1, ver:1} ["), std::string::npos) << cluster.output;
    EXPECT_NE(cluster.output.find("Member " + host_ + ":5701 - "), std::string::npos);
    EXPECT_NE(cluster.output.find(" this"), std::string::npos);
    EXPECT_EQ(ctl({"state", "passive"}).output, "PASSIVE\n");
    const auto refused = ctl({"put", "m", "k", "v"});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.output.find("PASSIVE"), std::string::npos) << refused.output;
    EXPECT_EQ(ctl({"state"}).output, "PASSIVE\n");
    EXPECT_EQ(ctl({"state", "active"}).output, "ACTIVE\n");
    EXPECT_EQ(ctl({"put", "m", "k", "v"}).exit_code, 0);
    EXPECT_EQ(ctl({"persistence"}).output, "persistence: off\n");
    EXPECT_EQ(ctl({"--json", "persistence"}).output, R"({"enabled":false})" "\n");
    const auto wrong = ctl({"--cluster-name", "prod", "state"});
    EXPECT_EQ(wrong.exit_code, 1);
    EXPECT_NE(wrong.output.find("cluster name 'prod'"), std::string::npos);
}

// The data commands are a Hazelcast client (our client library, unisocket): what they write
// reads back in a client and over REST with the same types, strings as Java Strings and
// --content-type application/json as HazelcastJsonValue.
TEST_F(ShoalctlEndToEnd, DataCommandsSpeakTheClientProtocolAndAgreeWithClientsAndRest) {
    EXPECT_EQ(ctl({"put", "types", "s", "Paris"}).output, "OK\n");
    EXPECT_EQ(ctl({"put", "types", "j", R"({"a":1})", "--content-type", "application/json"}).output, "OK\n");
    EXPECT_NE(member_->output().find("client shoalctl (CPP"), std::string::npos) << member_->output();
    client::ClientConfig config;
    config.addresses = {host_ + ":5701"};
    auto c = client::Client::connect(config);
    auto map = c->get_map("types");
    EXPECT_EQ(map.get("s"), client::Value("Paris"));
    EXPECT_EQ(map.get("j"), client::Value(client::JsonValue{R"({"a":1})"}));
    const auto rest = http_request(host_, 5701, "GET", "/hazelcast/rest/maps/types/j");
    EXPECT_EQ(rest.body, R"({"a":1})");
    EXPECT_NE(rest.header("content-type").find("application/json"), std::string::npos);
    map.set(std::int64_t{42}, std::int64_t{7});
    EXPECT_EQ(ctl({"size", "types"}).output, "3\n");
    EXPECT_NE(ctl({"--json", "keys", "types"}).output.find(R"({"typeId":-8,"hex":"000000000000002a"})"), std::string::npos);
    EXPECT_EQ(ctl({"remove", "types", "s"}).exit_code, 0);
    EXPECT_EQ(map.get("s"), std::nullopt);
}

TEST(ShoalctlNoMember, ConnectionRefusedExitsOneWithAClearMessage) {
    const std::string address = unique_loopback_address() + ":5701";
    const auto result = run_process({SHOALCTL_BINARY, "--address", address, "get", "m", "k"});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.output.find("cannot connect to " + address), std::string::npos) << result.output;
}

TEST(ShoalctlNoMember, WaitReadyTimesOut) {
    const auto result = run_process({SHOALCTL_BINARY, "--address", unique_loopback_address() + ":5701", "health",
                                     "--wait-ready", "1"});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.output.find("not ready within 1 s"), std::string::npos) << result.output;
}

TEST(ShoalctlNoMember, BadUsageExitsTwo) {
    EXPECT_EQ(run_process({SHOALCTL_BINARY, "frobnicate"}).exit_code, 2);
    EXPECT_EQ(run_process({SHOALCTL_BINARY, "get", "onlymap"}).exit_code, 2);
    EXPECT_EQ(run_process({SHOALCTL_BINARY}).exit_code, 2);
    EXPECT_EQ(run_process({SHOALCTL_BINARY, "--help"}).exit_code, 0);
}

}  // namespace
}  // namespace shoal::test
