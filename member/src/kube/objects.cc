#include "kube/objects.h"

#include <boost/json.hpp>

namespace shoal::kube {
namespace {

namespace json = boost::json;

json::value parse(const std::string& body, const char* kind) {
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec) throw ObjectError(std::string(kind) + ": the API answered with malformed JSON (" + ec.message() + ")");
    if (!v.is_object()) throw ObjectError(std::string(kind) + ": the API answered with JSON that is not an object");
    return v;
}

// A member of an object, or null when absent or not of the asked type.
const json::object* object_at(const json::value& v, std::string_view key) {
    if (!v.is_object()) return nullptr;
    const auto* found = v.as_object().if_contains(key);
    return found != nullptr && found->is_object() ? &found->as_object() : nullptr;
}

const json::array* array_at(const json::value& v, std::string_view key) {
    if (!v.is_object()) return nullptr;
    const auto* found = v.as_object().if_contains(key);
    return found != nullptr && found->is_array() ? &found->as_array() : nullptr;
}

std::string string_at(const json::value& v, std::string_view key) {
    if (!v.is_object()) return {};
    const auto* found = v.as_object().if_contains(key);
    return found != nullptr && found->is_string() ? std::string(found->as_string()) : std::string();
}

const json::array& items(const json::value& list, const char* kind) {
    const auto* found = array_at(list, "items");
    if (found == nullptr) {
        // "items": null is how the API writes an empty list.
        static const json::array empty;
        if (list.as_object().contains("items") && list.as_object().at("items").is_null()) return empty;
        throw ObjectError(std::string(kind) + ": the list has no 'items' array");
    }
    return *found;
}

int choose_port(const json::array* ports, PortChoice choice) {
    if (choice.preferred > 0) return choice.preferred;
    if (ports == nullptr) return 0;
    int only = 0;
    for (const auto& p : *ports) {
        const auto* port = p.is_object() ? p.as_object().if_contains("port") : nullptr;
        if (port == nullptr || !port->is_int64()) continue;
        const int number = static_cast<int>(port->as_int64());
        if (string_at(p, "name") == "hazelcast") return number;
        only = only == 0 ? number : -1;
    }
    return only > 0 ? only : 0;
}

std::string target_pod(const json::value& v) {
    const auto* ref = object_at(v, "targetRef");
    return ref != nullptr ? string_at(*ref, "name") : std::string();
}

bool bool_or(const json::object* o, std::string_view key, bool fallback) {
    if (o == nullptr) return fallback;
    const auto* found = o->if_contains(key);
    return found != nullptr && found->is_bool() ? found->as_bool() : fallback;
}

}  // namespace

std::vector<EndpointAddress> endpoint_slice_addresses(const std::string& list_body, PortChoice ports) {
    const auto list = parse(list_body, "EndpointSliceList");
    std::vector<EndpointAddress> result;
    for (const auto& slice : items(list, "EndpointSliceList")) {
        const int port = choose_port(array_at(slice, "ports"), ports);
        const auto* endpoints = array_at(slice, "endpoints");
        if (endpoints == nullptr) continue;  // a slice of a Service with no pods
        for (const auto& endpoint : *endpoints) {
            // Kubernetes: a missing ready condition means ready; terminating endpoints are not.
            const auto* conditions = object_at(endpoint, "conditions");
            const bool ready = bool_or(conditions, "ready", true) && !bool_or(conditions, "terminating", false);
            const auto* addresses = array_at(endpoint, "addresses");
            if (addresses == nullptr) continue;
            for (const auto& a : *addresses) {
                if (a.is_string()) result.push_back({std::string(a.as_string()), port, ready, target_pod(endpoint)});
            }
        }
    }
    return result;
}

std::vector<EndpointAddress> endpoints_addresses(const std::string& endpoints_body, PortChoice ports) {
    const auto endpoints = parse(endpoints_body, "Endpoints");
    std::vector<EndpointAddress> result;
    const auto* subsets = array_at(endpoints, "subsets");
    if (subsets == nullptr) return result;  // no pods behind the Service yet
    for (const auto& subset : *subsets) {
        const int port = choose_port(array_at(subset, "ports"), ports);
        for (const auto& [key, ready] : {std::pair{"addresses", true}, std::pair{"notReadyAddresses", false}}) {
            const auto* addresses = array_at(subset, key);
            if (addresses == nullptr) continue;
            for (const auto& a : *addresses) {
                const std::string ip = string_at(a, "ip");
                if (!ip.empty()) result.push_back({ip, port, ready, target_pod(a)});
            }
        }
    }
    return result;
}

std::vector<EndpointAddress> pod_addresses(const std::string& pod_list_body) {
    const auto list = parse(pod_list_body, "PodList");
    std::vector<EndpointAddress> result;
    for (const auto& pod : items(list, "PodList")) {
        const auto* status = object_at(pod, "status");
        const std::string ip = status != nullptr ? string_at(*status, "podIP") : std::string();
        if (ip.empty()) continue;  // not scheduled or not started yet
        bool ready = false;
        if (const auto* conditions = status != nullptr ? status->if_contains("conditions") : nullptr;
            conditions != nullptr && conditions->is_array()) {
            for (const auto& c : conditions->as_array()) {
                if (string_at(c, "type") == "Ready") ready = string_at(c, "status") == "True";
            }
        }
        const auto* metadata = object_at(pod, "metadata");
        result.push_back({ip, 0, ready, metadata != nullptr ? string_at(*metadata, "name") : std::string()});
    }
    return result;
}

std::vector<std::string> service_names(const std::string& service_list_body) {
    const auto list = parse(service_list_body, "ServiceList");
    std::vector<std::string> names;
    for (const auto& service : items(list, "ServiceList")) {
        const auto* metadata = object_at(service, "metadata");
        const std::string name = metadata != nullptr ? string_at(*metadata, "name") : std::string();
        if (name.empty()) throw ObjectError("ServiceList: an item has no metadata.name");
        names.push_back(name);
    }
    return names;
}

std::string pod_node_name(const std::string& pod_body) {
    const auto pod = parse(pod_body, "Pod");
    const auto* spec = object_at(pod, "spec");
    return spec != nullptr ? string_at(*spec, "nodeName") : std::string();
}

std::optional<std::string> node_zone(const std::string& node_body) {
    const auto node = parse(node_body, "Node");
    const auto* metadata = object_at(node, "metadata");
    const auto* labels = metadata != nullptr ? metadata->if_contains("labels") : nullptr;
    if (labels == nullptr || !labels->is_object()) return std::nullopt;
    for (const char* key : {"topology.kubernetes.io/zone", "failure-domain.kubernetes.io/zone",
                            "failure-domain.beta.kubernetes.io/zone"}) {
        const std::string zone = string_at(*labels, key);
        if (!zone.empty()) return zone;
    }
    return std::nullopt;
}

std::string status_message(const std::string& body) {
    boost::system::error_code ec;
    const json::value v = json::parse(body, ec);
    if (!ec) {
        const std::string message = string_at(v, "message");
        if (!message.empty()) return message;
    }
    return body.size() > 200 ? body.substr(0, 200) + "..." : body;
}

namespace {

int int_at(const json::value& v, std::string_view key, int otherwise) {
    if (!v.is_object()) return otherwise;
    const auto* found = v.as_object().if_contains(key);
    return found != nullptr && found->is_int64() ? static_cast<int>(found->as_int64()) : otherwise;
}

StatefulSetState statefulset_state(const json::value& sts) {
    StatefulSetState state;
    const auto* spec = object_at(sts, "spec");
    const auto* status = object_at(sts, "status");
    state.replicas = spec != nullptr ? int_at(*spec, "replicas", 1) : 1;
    state.ready_replicas = status != nullptr ? int_at(*status, "readyReplicas", 0) : 0;
    if (const auto* metadata = object_at(sts, "metadata")) state.resource_version = string_at(*metadata, "resourceVersion");
    return state;
}

}  // namespace

std::optional<StatefulSetState> statefulset_of_list(const std::string& list_body) {
    const auto list = parse(list_body, "StatefulSetList");
    const auto& found = items(list, "StatefulSetList");
    if (found.empty()) return std::nullopt;
    StatefulSetState state = statefulset_state(found.front());
    const auto* metadata = object_at(list, "metadata");
    state.resource_version = metadata != nullptr ? string_at(*metadata, "resourceVersion") : std::string();
    return state;
}

StatefulSetEvent statefulset_event(const std::string& line) {
    const auto event = parse(line, "StatefulSet watch event");
    StatefulSetEvent out;
    out.type = string_at(event, "type");
    if (out.type.empty()) throw ObjectError("StatefulSet watch event: no 'type'");
    const auto* object = event.as_object().if_contains("object");
    if (object == nullptr || !object->is_object()) throw ObjectError("StatefulSet watch event: no 'object'");
    if (out.type == "ERROR") {
        out.error_code = int_at(*object, "code", 0);
    } else {
        out.statefulset = statefulset_state(*object);
    }
    return out;
}

}  // namespace shoal::kube
