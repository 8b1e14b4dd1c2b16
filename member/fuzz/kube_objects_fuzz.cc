// Fuzzes every reader of Kubernetes API bodies: any bytes the API server (or a man in the
// middle that got past TLS) sends yield addresses or an ObjectError, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "kube/objects.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    namespace kube = shoal::kube;
    auto guarded = [&](auto read) {
        try {
            read();
        } catch (const kube::ObjectError&) {
        }
    };
    guarded([&] { kube::endpoint_slice_addresses(body, {}); });
    guarded([&] { kube::endpoints_addresses(body, {}); });
    guarded([&] { kube::pod_addresses(body); });
    guarded([&] { kube::service_names(body); });
    guarded([&] { kube::pod_node_name(body); });
    guarded([&] { kube::node_zone(body); });
    guarded([&] { kube::statefulset_of_list(body); });
    guarded([&] { kube::statefulset_event(body); });
    kube::status_message(body);
    return 0;
}
