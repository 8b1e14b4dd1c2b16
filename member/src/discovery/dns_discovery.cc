// Kubernetes DNS discovery: the A and AAAA records of a headless Service name each the IP of
// one pod behind it. Asked through the system resolver (resolv.conf, as every pod has), with
// service-dns-timeout bounding each query, so a slow DNS cannot stall the join for long.
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>

#include <algorithm>
#include <cstring>

#include "discovery/strategies.h"

namespace shoal::discovery {
namespace {

class DnsDiscovery : public Discovery {
public:
    DnsDiscovery(const config::KubernetesJoinConfig& config, int default_port)
        : name_(config.service_dns),
          timeout_seconds_(std::max(1, config.service_dns_timeout_seconds)),
          port_(config.service_port > 0 ? config.service_port : default_port) {}

    std::vector<Address> discover() override {
        struct __res_state state;
        std::memset(&state, 0, sizeof state);
        if (res_ninit(&state) != 0) throw DiscoveryError("DNS: cannot initialise the resolver (resolv.conf)");
        state.retrans = timeout_seconds_;
        state.retry = 1;
        std::vector<Address> result;
        std::string failure;
        for (int type : {ns_t_a, ns_t_aaaa}) query(state, type, result, failure);
        res_nclose(&state);
        // A name without records is "no peers yet" (pods start before their DNS entries
        // exist); only a failing server is an error worth refusing to start alone for.
        if (result.empty() && !failure.empty()) throw DiscoveryError(failure);
        std::sort(result.begin(), result.end());
        result.erase(std::unique(result.begin(), result.end()), result.end());
        return result;
    }

    std::string describe() const override {
        return "DNS: A/AAAA records of " + name_ + " (port " + std::to_string(port_) + ", timeout " +
               std::to_string(timeout_seconds_) + " s)";
    }

private:
    void query(struct __res_state& state, int type, std::vector<Address>& out, std::string& failure) const {
        unsigned char answer[65536];
        const int length = res_nquery(&state, name_.c_str(), ns_c_in, type, answer, sizeof answer);
        if (length < 0) {
            // NXDOMAIN / no data: nothing to add. Anything else: the server did not answer.
            if (state.res_h_errno != HOST_NOT_FOUND && state.res_h_errno != NO_DATA) {
                failure = "DNS lookup of " + name_ + " failed: " + hstrerror(state.res_h_errno) +
                          " (service-dns-timeout " + std::to_string(timeout_seconds_) + " s)";
            }
            return;
        }
        ns_msg message;
        if (ns_initparse(answer, length, &message) != 0) {
            failure = "DNS answer for " + name_ + " is malformed";
            return;
        }
        for (int i = 0; i < ns_msg_count(message, ns_s_an); ++i) {
            ns_rr record;
            if (ns_parserr(&message, ns_s_an, i, &record) != 0) break;
            if (ns_rr_type(record) != type) continue;  // CNAMEs on the way to the records
            char text[INET6_ADDRSTRLEN] = {};
            const int family = type == ns_t_a ? AF_INET : AF_INET6;
            const std::size_t want = type == ns_t_a ? 4 : 16;
            if (ns_rr_rdlen(record) != want) continue;
            if (inet_ntop(family, ns_rr_rdata(record), text, sizeof text) != nullptr) out.push_back({text, port_});
        }
    }

    std::string name_;
    int timeout_seconds_;
    int port_;
};

}  // namespace

std::unique_ptr<Discovery> make_dns_discovery(const config::KubernetesJoinConfig& config, int default_port) {
    return std::make_unique<DnsDiscovery>(config, default_port);
}

}  // namespace shoal::discovery
