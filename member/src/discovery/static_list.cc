// Static discovery: the member list of network.join.tcp-ip, each entry "host", "host:port" or
// "host:port-range".
#include "discovery/strategies.h"

namespace shoal::discovery {
namespace {

// network.join.tcp-ip.members: "host", "host:port" or "host:port-range" entries.
class StaticList : public Discovery {
public:
    StaticList(const config::TcpIpJoinConfig& config, int default_port) {
        for (const auto& entry : config.members) add(entry, default_port);
    }
    std::vector<Address> discover() override { return addresses_; }
    std::string describe() const override {
        return "tcp-ip member list (" + std::to_string(addresses_.size()) + " addresses)";
    }

private:
    void add(const std::string& entry, int default_port) {
        const auto colon = entry.rfind(':');
        if (colon == std::string::npos || entry.find(']') > colon) {
            addresses_.push_back({entry, default_port});
            return;
        }
        const std::string host = entry.substr(0, colon);
        const std::string ports = entry.substr(colon + 1);
        const auto dash = ports.find('-');
        const int first = std::stoi(ports.substr(0, dash));
        const int last = dash == std::string::npos ? first : std::stoi(ports.substr(dash + 1));
        for (int port = first; port <= last; ++port) addresses_.push_back({host, port});
    }
    std::vector<Address> addresses_;
};

}  // namespace

std::unique_ptr<Discovery> make_static_list(const config::TcpIpJoinConfig& config, int default_port) {
    return std::make_unique<StaticList>(config, default_port);
}

}  // namespace shoal::discovery
