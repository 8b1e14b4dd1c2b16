// The discovery strategies behind make_discovery(), each in its own file.
#pragma once

#include <memory>

#include "discovery/discovery.h"
#include "kube/in_cluster.h"

namespace shoal::discovery {

// network.join.tcp-ip.members.
std::unique_ptr<Discovery> make_static_list(const config::TcpIpJoinConfig& config, int default_port);

// network.join.kubernetes with a selector (or none: every pod of the namespace).
std::unique_ptr<Discovery> make_kubernetes_api_discovery(const config::KubernetesJoinConfig& config,
                                                         const kube::InCluster& where, int default_port);

// network.join.kubernetes.service-dns: the A/AAAA records of a headless Service.
std::unique_ptr<Discovery> make_dns_discovery(const config::KubernetesJoinConfig& config, int default_port);

}  // namespace shoal::discovery
