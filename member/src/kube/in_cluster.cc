#include "kube/in_cluster.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace shoal::kube {
namespace {

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

}  // namespace

EnvLookup process_environment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
    };
}

InCluster resolve_in_cluster(const config::KubernetesJoinConfig& config, const EnvLookup& env,
                             const std::string& service_account_dir) {
    InCluster result;
    result.endpoint.master_url = config.kubernetes_master;
    result.endpoint.token = config.api_token.empty() ? trimmed(read_file(service_account_dir + "/token").value_or(""))
                                                     : config.api_token;
    result.endpoint.ca_pem = config.ca_certificate.empty() ? read_file(service_account_dir + "/ca.crt").value_or("")
                                                           : config.ca_certificate;
    result.namespace_ = config.namespace_;
    if (result.namespace_.empty()) result.namespace_ = env("KUBERNETES_NAMESPACE").value_or("");
    if (result.namespace_.empty()) result.namespace_ = trimmed(read_file(service_account_dir + "/namespace").value_or(""));
    if (result.namespace_.empty()) {
        throw std::runtime_error("Kubernetes discovery needs a namespace: set network.join.kubernetes.namespace or "
                                 "KUBERNETES_NAMESPACE, or run in a pod with a service account (" +
                                 service_account_dir + "/namespace)");
    }
    result.pod_name = env("POD_NAME").value_or("");
    if (result.pod_name.empty()) result.pod_name = env("HOSTNAME").value_or("");
    return result;
}

std::string query_escape(const std::string& value) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : value) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

}  // namespace shoal::kube
