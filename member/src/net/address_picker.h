// AddressPicker: which local address the member binds to and which it advertises, following
// Hazelcast's rules: -Dhazelcast.local.localAddress wins, then network.interfaces, else every
// interface (0.0.0.0) advertising the first non-loopback IPv4 address; network.public-address
// overrides what is advertised.
#pragma once

#include <string>
#include <vector>

#include "config/member_config.h"

namespace shoal::net {

struct MemberAddress {
    std::string bind_host;        // what the listener binds to
    std::string advertised_host;  // what other members and clients are told
    int advertised_port = 0;      // 0: the port actually bound
};

// `local_interfaces` lists the machine's IPv4 addresses (first non-loopback preferred);
// pass local_ipv4_addresses() outside tests. Throws std::runtime_error when
// network.interfaces is enabled and nothing matches.
MemberAddress pick_member_address(const config::MemberConfig& config,
                                  const std::vector<std::string>& local_interfaces);

std::vector<std::string> local_ipv4_addresses();

// "10.0.*.1-9" style interface patterns, as hazelcast.yaml allows: '*' or 'a-b' per octet.
bool interface_matches(const std::string& pattern, const std::string& address);

}  // namespace shoal::net
