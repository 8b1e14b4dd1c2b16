// Kubernetes API access shared by API discovery and zone/node detection: GETs with the
// configured retries, and answers other than 2xx turned into DiscoveryErrors an operator can
// act on (a 403 names the RBAC rule the service account lacks).
#pragma once

#include <optional>
#include <string>

#include "discovery/discovery.h"
#include "kube/api_client.h"

namespace shoal::discovery {

// The permission a request needs, for the 403 message.
struct RbacRule {
    std::string api_group;  // "" for the core group
    std::string resource;   // "endpointslices"
    std::string verb;       // "list"
};

class KubernetesApi {
public:
    KubernetesApi(kube::ApiEndpoint endpoint, std::string namespace_, int retries);

    // The body of a 2xx answer; nullopt on 404. Retries when the API is unreachable or answers
    // 5xx/429; throws DiscoveryError when it still fails or answers 401/403/other.
    std::optional<std::string> get(const std::string& path, const RbacRule& rule) const;

    const std::string& ns() const { return ns_; }
    std::string describe_master() const { return master_; }

private:
    kube::ApiClient client_;
    std::string ns_;
    std::string master_;
    int retries_;
};

}  // namespace shoal::discovery
