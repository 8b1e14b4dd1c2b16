#include "discovery/kubernetes_api.h"

#include <thread>

#include "kube/objects.h"

namespace shoal::discovery {
namespace {

std::string forbidden_message(const RbacRule& rule, const std::string& ns, const std::string& detail) {
    const bool cluster_scoped = rule.resource == "nodes";
    return "the Kubernetes API refused to " + rule.verb + " " + rule.resource +
           (cluster_scoped ? std::string(" (cluster-scoped)") : " in namespace " + ns) +
           " (403 Forbidden): the member's service account needs a " + (cluster_scoped ? "ClusterRole" : "Role") +
           " rule {apiGroups: [\"" + rule.api_group + "\"], resources: [\"" + rule.resource + "\"], verbs: [\"get\", \"list\"]}" +
           " bound to it (the chart's rbac.create does this). API said: " + detail;
}

}  // namespace

KubernetesApi::KubernetesApi(kube::ApiEndpoint endpoint, std::string namespace_, int retries)
    : client_(endpoint), ns_(std::move(namespace_)), master_(endpoint.master_url), retries_(retries) {}

std::optional<std::string> KubernetesApi::get(const std::string& path, const RbacRule& rule) const {
    std::string last_failure;
    for (int attempt = 0; attempt <= retries_; ++attempt) {
        if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(200 << std::min(attempt, 5)));  // back-off
        kube::ApiResponse response;
        try {
            response = client_.get(path);
        } catch (const kube::ApiUnreachable& e) {
            last_failure = e.what();
            continue;
        }
        if (response.status >= 200 && response.status < 300) return std::move(response.body);
        if (response.status == 404) return std::nullopt;
        const std::string detail = kube::status_message(response.body);
        if (response.status == 403) throw DiscoveryError(forbidden_message(rule, ns_, detail));
        if (response.status == 401) {
            throw DiscoveryError("the Kubernetes API " + master_ + " rejected the token (401 Unauthorized): check "
                                 "api-token or the pod's service-account token. API said: " + detail);
        }
        last_failure = "GET " + path + " answered " + std::to_string(response.status) + ": " + detail;
        if (response.status < 500 && response.status != 429) throw DiscoveryError(last_failure);  // asking again will not help
    }
    throw DiscoveryError(last_failure + " (after " + std::to_string(retries_) + " retries, kubernetes-api-retries)");
}

}  // namespace shoal::discovery
