// Kubernetes API discovery: the addresses behind a Service (EndpointSlices, falling back to
// Endpoints on clusters without discovery.k8s.io/v1), behind every Service with a label, or of
// the pods with a label (or of every pod in the namespace).
#include <algorithm>
#include <optional>

#include "discovery/kubernetes_api.h"
#include "discovery/strategies.h"
#include "kube/objects.h"

namespace shoal::discovery {
namespace {

const RbacRule kListSlices{"discovery.k8s.io", "endpointslices", "list"};
const RbacRule kGetEndpoints{"", "endpoints", "get"};
const RbacRule kListServices{"", "services", "list"};
const RbacRule kListPods{"", "pods", "list"};

class KubernetesApiDiscovery : public Discovery {
public:
    KubernetesApiDiscovery(const config::KubernetesJoinConfig& config, const kube::InCluster& where, int default_port)
        : config_(config),
          api_(where.endpoint, where.namespace_, config.kubernetes_api_retries),
          default_port_(default_port) {}

    std::vector<Address> discover() override {
        std::vector<kube::EndpointAddress> found;
        try {
            found = lookup();
        } catch (const kube::ObjectError& e) {
            throw DiscoveryError(e.what());
        }
        std::vector<Address> result;
        for (const auto& a : found) {
            if (!a.ready && !config_.resolve_not_ready_addresses) continue;
            const int port = config_.service_port > 0 ? config_.service_port : (a.port > 0 ? a.port : default_port_);
            result.push_back({a.ip, port});
        }
        std::sort(result.begin(), result.end());
        result.erase(std::unique(result.begin(), result.end()), result.end());
        return result;
    }

    std::string describe() const override {
        const std::string where = " in namespace " + api_.ns() + " (" + api_.describe_master() + ")";
        if (!config_.service_name.empty()) return "the Kubernetes API: endpoints of service " + config_.service_name + where;
        if (!config_.service_label_name.empty()) {
            return "the Kubernetes API: endpoints of services labelled " + config_.service_label_name + "=" +
                   config_.service_label_value + where;
        }
        if (!config_.pod_label_name.empty()) {
            return "the Kubernetes API: pods labelled " + config_.pod_label_name + "=" + config_.pod_label_value + where;
        }
        return "the Kubernetes API: every pod" + where;
    }

private:
    std::vector<kube::EndpointAddress> lookup() {
        if (!config_.service_name.empty()) return service_endpoints(config_.service_name);
        if (!config_.service_label_name.empty()) {
            const auto body = api_.get(namespaced("/api/v1", "services") + "?labelSelector=" +
                                           kube::query_escape(config_.service_label_name + "=" + config_.service_label_value),
                                       kListServices);
            std::vector<kube::EndpointAddress> all;
            for (const auto& name : kube::service_names(body.value_or("{\"items\":[]}"))) {
                auto more = service_endpoints(name);
                all.insert(all.end(), more.begin(), more.end());
            }
            return all;
        }
        std::string path = namespaced("/api/v1", "pods");
        if (!config_.pod_label_name.empty()) {
            path += "?labelSelector=" + kube::query_escape(config_.pod_label_name + "=" + config_.pod_label_value);
        }
        return kube::pod_addresses(api_.get(path, kListPods).value_or("{\"items\":[]}"));
    }

    // EndpointSlices first (Endpoints is deprecated and capped at 1000 addresses); a cluster
    // without discovery.k8s.io/v1 (404), or a Role granting only endpoints (403), falls back.
    std::vector<kube::EndpointAddress> service_endpoints(const std::string& service) {
        const kube::PortChoice ports{config_.service_port};
        if (slices_usable_) {
            try {
                const auto slices = api_.get(namespaced("/apis/discovery.k8s.io/v1", "endpointslices") +
                                                 "?labelSelector=" + kube::query_escape("kubernetes.io/service-name=" + service),
                                             kListSlices);
                if (slices) return kube::endpoint_slice_addresses(*slices, ports);
            } catch (const DiscoveryError& e) {
                slices_refusal_ = e.what();  // Endpoints may still be allowed
            }
            slices_usable_ = false;
        }
        std::optional<std::string> endpoints;
        try {
            endpoints = api_.get(namespaced("/api/v1", "endpoints") + "/" + service, kGetEndpoints);
        } catch (const DiscoveryError& e) {
            if (slices_refusal_.empty()) throw;
            throw DiscoveryError(std::string(e.what()) + "; EndpointSlices failed too: " + slices_refusal_);
        }
        if (!endpoints) return {};  // the Service does not exist (yet): nobody to join
        return kube::endpoints_addresses(*endpoints, ports);
    }

    std::string namespaced(const std::string& prefix, const std::string& resource) const {
        return prefix + "/namespaces/" + kube::query_escape(api_.ns()) + "/" + resource;
    }

    config::KubernetesJoinConfig config_;
    KubernetesApi api_;
    int default_port_;
    bool slices_usable_ = true;
    std::string slices_refusal_;  // why EndpointSlices could not be read, for the Endpoints error
};

}  // namespace

std::unique_ptr<Discovery> make_kubernetes_api_discovery(const config::KubernetesJoinConfig& config,
                                                         const kube::InCluster& where, int default_port) {
    return std::make_unique<KubernetesApiDiscovery>(config, where, default_port);
}

}  // namespace shoal::discovery
