// InCluster: how a member reaches the Kubernetes API and who it is there, resolved the way the
// Hazelcast Kubernetes plugin does it: explicit settings first, then the pod's environment,
// then the service-account files Kubernetes mounts into every pod.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "config/member_config.h"
#include "kube/api_client.h"

namespace shoal::kube {

inline constexpr const char* kServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

struct InCluster {
    ApiEndpoint endpoint;
    std::string namespace_;  // where the member's pods, Services and StatefulSet live
    std::string pod_name;    // POD_NAME, else HOSTNAME; empty when neither is set
};

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment.
EnvLookup process_environment();

// namespace: config, else KUBERNETES_NAMESPACE, else <dir>/namespace; token: api-token, else
// <dir>/token; CA: ca-certificate, else <dir>/ca.crt. Throws std::runtime_error naming what is
// missing when the namespace cannot be found at all.
InCluster resolve_in_cluster(const config::KubernetesJoinConfig& config, const EnvLookup& env,
                             const std::string& service_account_dir = kServiceAccountDir);

// Percent-encodes a query value (a label selector "app=shoal,tier=grid").
std::string query_escape(const std::string& value);

}  // namespace shoal::kube
