// Objects: reading the few fields Shoal needs out of Kubernetes API JSON (EndpointSlices,
// Endpoints, Pods, Services, Nodes, Status). Pure functions over response bodies, so they are
// unit- and fuzz-tested without a server. Malformed JSON or a missing required field throws
// ObjectError naming the object kind and the field.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace shoal::kube {

class ObjectError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One address a member may be reached at, as an endpoint or a pod lists it.
struct EndpointAddress {
    std::string ip;
    int port = 0;  // 0: the object named no usable port (caller picks the default)
    bool ready = true;
    std::string pod;  // targetRef name or pod name; may be empty
};

// The member port among named ports: `preferred` when non-zero, else the port named
// "hazelcast", else the only port, else 0.
struct PortChoice {
    int preferred = 0;
};

std::vector<EndpointAddress> endpoint_slice_addresses(const std::string& list_body, PortChoice ports);
std::vector<EndpointAddress> endpoints_addresses(const std::string& endpoints_body, PortChoice ports);
std::vector<EndpointAddress> pod_addresses(const std::string& pod_list_body);
std::vector<std::string> service_names(const std::string& service_list_body);
std::string pod_node_name(const std::string& pod_body);  // spec.nodeName, empty when unscheduled
// The first of topology.kubernetes.io/zone, failure-domain.kubernetes.io/zone,
// failure-domain.beta.kubernetes.io/zone; nullopt when the Node has none.
std::optional<std::string> node_zone(const std::string& node_body);
// The counts the automatic cluster state reads from a StatefulSet.
struct StatefulSetState {
    int replicas = 0;          // spec.replicas (1 when absent, as the API defaults it)
    int ready_replicas = 0;    // status.readyReplicas (0 when absent)
    std::string resource_version;
};
// The StatefulSet of a list asked with fieldSelector=metadata.name=<name>: nullopt when the
// list is empty; resource_version is the list's, to watch from.
std::optional<StatefulSetState> statefulset_of_list(const std::string& list_body);
// One line of a StatefulSet watch: ADDED/MODIFIED/DELETED with the object's counts, or ERROR
// with the Status code (410: the resourceVersion is too old, list again).
struct StatefulSetEvent {
    std::string type;
    StatefulSetState statefulset;
    int error_code = 0;
};
StatefulSetEvent statefulset_event(const std::string& line);

// Status.message of an error body, or the body itself (shortened) when it is not a Status.
std::string status_message(const std::string& body);

}  // namespace shoal::kube
