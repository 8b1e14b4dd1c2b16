#include "net/address_picker.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <sstream>
#include <stdexcept>

namespace shoal::net {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, sep)) parts.push_back(part);
    return parts;
}

bool octet_matches(const std::string& pattern, const std::string& octet) {
    if (pattern == "*") return true;
    const auto dash = pattern.find('-');
    try {
        const int value = std::stoi(octet);
        if (dash == std::string::npos) return pattern == octet;
        return value >= std::stoi(pattern.substr(0, dash)) && value <= std::stoi(pattern.substr(dash + 1));
    } catch (const std::exception&) {
        return false;
    }
}

bool is_literal(const std::string& pattern) {
    return pattern.find_first_of("*-") == std::string::npos;
}

}  // namespace

bool interface_matches(const std::string& pattern, const std::string& address) {
    const auto p = split(pattern, '.');
    const auto a = split(address, '.');
    if (p.size() != 4 || a.size() != 4) return pattern == address;
    for (std::size_t i = 0; i < 4; ++i) {
        if (!octet_matches(p[i], a[i])) return false;
    }
    return true;
}

std::vector<std::string> local_ipv4_addresses() {
    std::vector<std::string> non_loopback;
    std::vector<std::string> loopback;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return {"127.0.0.1"};
    for (ifaddrs* it = list; it != nullptr; it = it->ifa_next) {
        if (it->ifa_addr == nullptr || it->ifa_addr->sa_family != AF_INET) continue;
        char text[INET_ADDRSTRLEN];
        const auto* in = reinterpret_cast<const sockaddr_in*>(it->ifa_addr);
        if (inet_ntop(AF_INET, &in->sin_addr, text, sizeof text) == nullptr) continue;
        std::string address(text);
        (address.rfind("127.", 0) == 0 ? loopback : non_loopback).push_back(address);
    }
    freeifaddrs(list);
    non_loopback.insert(non_loopback.end(), loopback.begin(), loopback.end());
    return non_loopback;
}

MemberAddress pick_member_address(const config::MemberConfig& config,
                                  const std::vector<std::string>& local_interfaces) {
    MemberAddress address;
    if (!config.local_address.empty()) {
        address.bind_host = config.local_address;
        address.advertised_host = config.local_address;
    } else if (config.network.interfaces_enabled) {
        for (const std::string& pattern : config.network.interfaces) {
            // A literal address is used as given: every 127.x.y.z is bindable on loopback
            // although getifaddrs lists only 127.0.0.1.
            if (is_literal(pattern)) {
                address.bind_host = pattern;
                break;
            }
            for (const std::string& local : local_interfaces) {
                if (interface_matches(pattern, local)) {
                    address.bind_host = local;
                    break;
                }
            }
            if (!address.bind_host.empty()) break;
        }
        if (address.bind_host.empty()) {
            throw std::runtime_error(
                "network.interfaces is enabled but no local address matches any of its patterns");
        }
        address.advertised_host = address.bind_host;
    } else {
        address.bind_host = "0.0.0.0";
        address.advertised_host = local_interfaces.empty() ? "127.0.0.1" : local_interfaces.front();
    }
    const std::string& pub = config.network.public_address;
    if (!pub.empty()) {
        const auto colon = pub.rfind(':');
        if (colon != std::string::npos && pub.find(':') == colon) {
            address.advertised_host = pub.substr(0, colon);
            address.advertised_port = std::stoi(pub.substr(colon + 1));
        } else {
            address.advertised_host = pub;
        }
    }
    return address;
}

}  // namespace shoal::net
