// Discovery: where the other members of the cluster might be. The cluster module asks again
// and again (on start, while joining, and periodically to heal split brains); each strategy
// answers with the addresses it finds right now.
//
// Strategies: static (network.join.tcp-ip), Kubernetes API (EndpointSlices/Endpoints of a
// Service or pods by label) and Kubernetes DNS (A/AAAA records of a headless Service).
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/member_config.h"

namespace shoal::discovery {

struct Address {
    std::string host;  // an IP literal or a resolvable name
    int port = 0;

    std::string to_string() const { return host + ":" + std::to_string(port); }
    friend bool operator==(const Address&, const Address&) = default;
    friend auto operator<=>(const Address&, const Address&) = default;
};

// A discovery failure worth telling the operator about (e.g. a 403 naming the missing RBAC
// rule). The cluster module logs it and, unlike "no peers found", does not start alone on it.
class DiscoveryError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Discovery {
public:
    virtual ~Discovery() = default;
    // Blocking; may include this member's own address (the caller filters it out).
    // Throws DiscoveryError when the source cannot be asked.
    virtual std::vector<Address> discover() = 0;
    // One line for logs: "kubernetes-api service my-shoal in namespace default".
    virtual std::string describe() const = 0;
};

// The strategy the config enables (tcp-ip, kubernetes with service-dns, kubernetes API);
// nullptr when none is (the member forms a cluster of one).
std::unique_ptr<Discovery> make_discovery(const config::MemberConfig& config);

}  // namespace shoal::discovery
