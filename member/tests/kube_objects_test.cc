// Reading Kubernetes API objects: the fields discovery and zone detection rely on, and clear
// errors (never a crash) on bodies that are not what the API should send.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "kube/in_cluster.h"
#include "kube/objects.h"

namespace shoal::kube {
namespace {

const char* kSlices = R"({"kind":"EndpointSliceList","items":[
  {"metadata":{"name":"s-1"},"addressType":"IPv4",
   "ports":[{"name":"metrics","port":8080},{"name":"hazelcast","port":5701}],
   "endpoints":[
     {"addresses":["10.0.0.1"],"conditions":{"ready":true},"targetRef":{"kind":"Pod","name":"shoal-0"}},
     {"addresses":["10.0.0.2"],"conditions":{"ready":false},"targetRef":{"kind":"Pod","name":"shoal-1"}},
     {"addresses":["10.0.0.3"],"conditions":{"ready":true,"terminating":true}},
     {"addresses":["10.0.0.4"]}]},
  {"metadata":{"name":"s-2"},"ports":null,"endpoints":null}]})";

TEST(KubeObjects, EndpointSlicesGiveEveryAddressWithReadinessAndTheHazelcastPort) {
    const auto found = endpoint_slice_addresses(kSlices, {});
    ASSERT_EQ(found.size(), 4u);
    EXPECT_EQ(found[0].ip, "10.0.0.1");
    EXPECT_EQ(found[0].port, 5701);
    EXPECT_TRUE(found[0].ready);
    EXPECT_EQ(found[0].pod, "shoal-0");
    EXPECT_FALSE(found[1].ready);
    EXPECT_FALSE(found[2].ready) << "a terminating endpoint is not ready";
    EXPECT_TRUE(found[3].ready) << "a missing ready condition means ready";
}

TEST(KubeObjects, ConfiguredServicePortWins) {
    EXPECT_EQ(endpoint_slice_addresses(kSlices, {5702}).at(0).port, 5702);
}

TEST(KubeObjects, EndpointsListReadyAndNotReadyAddresses) {
    const auto found = endpoints_addresses(R"({"kind":"Endpoints","subsets":[{
        "addresses":[{"ip":"10.0.0.1","targetRef":{"name":"shoal-0"}}],
        "notReadyAddresses":[{"ip":"10.0.0.2"}],
        "ports":[{"port":5701}]}]})",
                                           {});
    ASSERT_EQ(found.size(), 2u);
    EXPECT_TRUE(found[0].ready);
    EXPECT_EQ(found[0].port, 5701) << "the only port is the member port";
    EXPECT_FALSE(found[1].ready);
    EXPECT_TRUE(endpoints_addresses(R"({"kind":"Endpoints"})", {}).empty()) << "no subsets: nobody yet";
}

TEST(KubeObjects, PodsGiveIpAndReadyCondition) {
    const auto found = pod_addresses(R"({"items":[
        {"metadata":{"name":"a"},"status":{"podIP":"10.0.0.1","conditions":[{"type":"Ready","status":"True"}]}},
        {"metadata":{"name":"b"},"status":{"podIP":"10.0.0.2","conditions":[{"type":"Ready","status":"False"}]}},
        {"metadata":{"name":"c"},"status":{"phase":"Pending"}}]})");
    ASSERT_EQ(found.size(), 2u) << "a pod without an IP is skipped";
    EXPECT_TRUE(found[0].ready);
    EXPECT_EQ(found[0].pod, "a");
    EXPECT_FALSE(found[1].ready);
    EXPECT_TRUE(pod_addresses(R"({"items":null})").empty());
}

TEST(KubeObjects, NodeZoneTakesTheFirstKnownLabel) {
    EXPECT_EQ(node_zone(R"({"metadata":{"labels":{"failure-domain.beta.kubernetes.io/zone":"old",
                           "topology.kubernetes.io/zone":"eu-1a"}}})"),
              "eu-1a");
    EXPECT_EQ(node_zone(R"({"metadata":{"labels":{"failure-domain.beta.kubernetes.io/zone":"old"}}})"), "old");
    EXPECT_EQ(node_zone(R"({"metadata":{"labels":{"kubernetes.io/hostname":"n1"}}})"), std::nullopt);
    EXPECT_EQ(pod_node_name(R"({"spec":{"nodeName":"worker-2"}})"), "worker-2");
}

TEST(KubeObjects, ServiceNamesAndStatusMessages) {
    EXPECT_EQ(service_names(R"({"items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]})"),
              (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(status_message(R"({"kind":"Status","message":"pods is forbidden"})"), "pods is forbidden");
    EXPECT_EQ(status_message("plain text"), "plain text");
}

TEST(KubeObjects, MalformedBodiesAreErrorsNamingTheKind) {
    for (const char* body : {"", "not json", "[1,2]", "{\"items\":5}", "{}"}) {
        try {
            pod_addresses(body);
            ADD_FAILURE() << "accepted " << body;
        } catch (const ObjectError& e) {
            EXPECT_NE(std::string(e.what()).find("PodList"), std::string::npos) << e.what();
        }
    }
    EXPECT_THROW(service_names(R"({"items":[{"metadata":{}}]})"), ObjectError);
}

TEST(InCluster, SettingsThenEnvironmentThenServiceAccountFiles) {
    const std::string dir = ::testing::TempDir() + "/sa-" + std::to_string(::getpid());
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/namespace") << "from-file\n";
    std::ofstream(dir + "/token") << "file-token\n";
    std::ofstream(dir + "/ca.crt") << "PEM";
    std::map<std::string, std::string> env{{"HOSTNAME", "shoal-2"}};
    const EnvLookup lookup = [&](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional(it->second);
    };
    config::KubernetesJoinConfig config;
    auto resolved = resolve_in_cluster(config, lookup, dir);
    EXPECT_EQ(resolved.namespace_, "from-file");
    EXPECT_EQ(resolved.endpoint.token, "file-token");
    EXPECT_EQ(resolved.endpoint.ca_pem, "PEM");
    EXPECT_EQ(resolved.pod_name, "shoal-2");
    env["KUBERNETES_NAMESPACE"] = "from-env";
    env["POD_NAME"] = "shoal-7";
    resolved = resolve_in_cluster(config, lookup, dir);
    EXPECT_EQ(resolved.namespace_, "from-env");
    EXPECT_EQ(resolved.pod_name, "shoal-7");
    config.namespace_ = "from-config";
    config.api_token = "config-token";
    resolved = resolve_in_cluster(config, lookup, dir);
    EXPECT_EQ(resolved.namespace_, "from-config");
    EXPECT_EQ(resolved.endpoint.token, "config-token");
    EXPECT_THROW(resolve_in_cluster({}, [](const std::string&) { return std::nullopt; }, dir + "/missing"),
                 std::runtime_error);
    EXPECT_EQ(query_escape("app=shoal,tier=grid"), "app%3Dshoal%2Ctier%3Dgrid");
}

TEST(ApiClient, RejectsBadMasterUrlsAndCertificates) {
    EXPECT_THROW(ApiClient({"http://kubernetes", "", ""}), std::invalid_argument);
    EXPECT_THROW(ApiClient({"https://kubernetes/api", "", ""}), std::invalid_argument);
    EXPECT_THROW(ApiClient({"https://kubernetes:x", "", ""}), std::invalid_argument);
    EXPECT_THROW(ApiClient({"https://kubernetes", "", "not a pem"}), std::invalid_argument);
    EXPECT_NO_THROW(ApiClient({"https://127.0.0.1:6443/", "t", ""}));
}

TEST(ApiClient, UnreachableServerIsAnErrorNamingTheStep) {
    ApiClient client({"https://127.0.0.1:1", "t", ""});
    try {
        client.get("/api", std::chrono::milliseconds(500));
        FAIL() << "no server listens on port 1";
    } catch (const ApiUnreachable& e) {
        EXPECT_NE(std::string(e.what()).find("connecting"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace shoal::kube
