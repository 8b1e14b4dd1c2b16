// ApiClient: a small, blocking Kubernetes API client (HTTPS with a bearer token, the server
// certificate verified against the cluster CA). Discovery, zone detection and the automatic
// cluster-state logic call it from their own threads; no Beast or Asio in this header.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace shoal::kube {

// The API server could not be asked at all (DNS, connect, TLS, timeout): worth retrying.
class ApiUnreachable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ApiEndpoint {
    std::string master_url = "https://kubernetes.default.svc";  // https://host[:port]
    std::string token;                                         // bearer token (may be empty)
    std::string ca_pem;                                        // PEM of the CA that signed the server
};

struct ApiResponse {
    int status = 0;
    std::string body;
};

class ApiClient {
public:
    // Throws std::invalid_argument when master_url is not https://host[:port] or ca_pem is
    // not a certificate.
    explicit ApiClient(ApiEndpoint endpoint);
    ~ApiClient();
    ApiClient(const ApiClient&) = delete;
    ApiClient& operator=(const ApiClient&) = delete;

    // GET path (with its query string). Throws ApiUnreachable; any HTTP status is returned.
    ApiResponse get(const std::string& path, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    // A watch (?watch=true): calls on_event with each line of the chunked stream until the
    // server ends it, the connection fails or on_event returns false. Returns the HTTP status
    // (200 when the stream ran). Throws ApiUnreachable when it could not be opened.
    int watch(const std::string& path, const std::function<bool(const std::string& line)>& on_event,
              std::chrono::milliseconds idle_timeout) const;

    const std::string& host() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace shoal::kube
