// Helpers for the client library's tests against real member processes.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "client/client.h"
#include "process_cluster.h"

namespace shoal::test {

inline client::ClientConfig client_config(const ProcessCluster& cluster, const std::vector<int>& members, bool smart) {
    client::ClientConfig config;
    config.cluster_name = "conformance";
    config.smart_routing = smart;
    config.addresses.clear();
    for (int i : members) config.addresses.push_back(cluster.host(i) + ":5701");
    config.invocation_timeout = std::chrono::seconds(30);
    return config;
}

// Every member known and every partition owned by one of them.
inline bool sees_cluster(const client::Client& c, std::size_t size) {
    const auto members = c.members();
    if (members.size() != size || c.partition_count() != 271) return false;
    for (int p = 0; p < 271; ++p) {
        const auto owner = c.partition_owner(p);
        if (!owner || std::none_of(members.begin(), members.end(), [&](const auto& m) { return m.uuid == *owner; })) return false;
    }
    return true;
}

inline std::vector<std::string> texts(const std::vector<client::Value>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) out.push_back(std::to_string(v.type_id()) + ":" + v.to_text());
    std::sort(out.begin(), out.end());
    return out;
}

inline std::vector<std::string> texts(const client::Entries& entries) {
    std::vector<std::string> out;
    for (const auto& [k, v] : entries) out.push_back(k.to_text() + "=" + std::to_string(v.type_id()) + ":" + v.to_text());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace shoal::test
