// make_discovery: the one strategy the config enables.
#include "discovery/strategies.h"

namespace shoal::discovery {

std::unique_ptr<Discovery> make_discovery(const config::MemberConfig& config) {
    const auto& join = config.network.join;
    if (join.tcp_ip.enabled) return make_static_list(join.tcp_ip, config.network.port);
    if (!join.kubernetes.enabled) return nullptr;
    if (!join.kubernetes.service_dns.empty()) return make_dns_discovery(join.kubernetes, config.network.port);
    try {
        return make_kubernetes_api_discovery(join.kubernetes, kube::resolve_in_cluster(join.kubernetes, kube::process_environment()),
                                             config.network.port);
    } catch (const std::exception& e) {  // no namespace, a bad master URL or CA
        throw DiscoveryError(std::string("Kubernetes API discovery: ") + e.what());
    }
}

}  // namespace shoal::discovery
