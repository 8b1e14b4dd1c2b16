#include "config/env_overrides.h"

#include <algorithm>
#include <vector>

#include "config/config_loader.h"
#include "config/config_schema.h"
#include "config/properties.h"

namespace shoal::config {
namespace {

// Names with our prefixes that are not config overrides: read elsewhere (SHOAL_CONFIG by the
// member, SHOAL_ADDRESS by shoalctl) or set by Hazelcast images and charts (the HZ_ ones
// Hazelcast itself skips).
const char* const kReserved[] = {"SHOAL_CONFIG", "SHOAL_ADDRESS",         "HZ_LICENSEKEY", "HZ_LICENSE_KEY",
                                 "HZ_HOME",      "HZ_PHONE_HOME_ENABLED", "HZ_CP_MOUNT"};

bool ends_with(const std::string& text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "_PORT_5701_TCP", optionally followed by "_PROTO", "_PORT" or "_ADDR".
bool is_port_link_tail(std::string_view tail) {
    const auto digits_end = tail.find('_');
    if (digits_end == 0 || digits_end == std::string_view::npos) return false;
    if (tail.substr(0, digits_end).find_first_not_of("0123456789") != std::string_view::npos) return false;
    std::string_view rest = tail.substr(digits_end + 1);
    for (std::string_view proto : {"TCP", "UDP", "SCTP"}) {
        if (starts_with(rest, proto)) {
            const std::string_view after = rest.substr(proto.size());
            return after.empty() || after == "_PROTO" || after == "_PORT" || after == "_ADDR";
        }
    }
    return false;
}

// Kubernetes gives every pod <SERVICE>_SERVICE_HOST, <SERVICE>_SERVICE_PORT[_<NAME>],
// <SERVICE>_PORT=tcp://... and <SERVICE>_PORT_<n>_<PROTO>[_...] for each service in the namespace;
// a service named "shoal" or "hz" must not stop members from starting. Only variables that match
// no key are excused this way, so a real key is never skipped.
bool is_service_link(const std::string& name, const std::string& value) {
    if (ends_with(name, "_SERVICE_HOST")) return true;
    const auto service_port = name.find("_SERVICE_PORT");
    if (service_port != std::string::npos) {
        const auto after = service_port + std::string_view("_SERVICE_PORT").size();
        if (after == name.size() || name[after] == '_') return true;
    }
    const bool link_url = starts_with(value, "tcp://") || starts_with(value, "udp://") || starts_with(value, "sctp://");
    if (ends_with(name, "_PORT") && link_url) return true;
    for (auto pos = name.find("_PORT_"); pos != std::string::npos; pos = name.find("_PORT_", pos + 1)) {
        if (is_port_link_tail(std::string_view(name).substr(pos + 6))) return true;
    }
    return false;
}

// One path part as a variable writes it: upper case, without dashes and underscores.
std::string env_part(std::string_view part) {
    std::string out;
    for (char c : to_upper(part)) {
        if (c != '-' && c != '_') out.push_back(c);
    }
    return out;
}

std::string env_form(const std::string& path) {
    std::string out;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto dot = std::min(path.find('.', start), path.size());
        if (!out.empty()) out += '_';
        out += env_part(std::string_view(path).substr(start, dot - start));
        start = dot + 1;
    }
    return out;
}

// "HZ_" + the form of every key, for "did you mean".
std::vector<std::string> env_names(const std::string& prefix) {
    std::vector<std::string> names;
    for (const std::string& path : all_paths()) names.push_back(prefix + env_form(path));
    return names;
}

// HZ_MAP_<NAME>_<KEY>: DEFAULT, or a block the file names (variable names lose case, dots and
// dashes, so a map cannot be created from one; -Dhz.map.<name>.<key> can).
bool apply_map_variable(ConfigState& state, const std::string& rest, const RawValue& value) {
    if (!starts_with(rest, "MAP_")) return false;
    const auto last = rest.rfind('_');
    if (last <= 4) return false;
    const std::string key_form = rest.substr(last + 1);
    const std::string name_form = env_part(rest.substr(4, last - 4));
    const Field* field = nullptr;
    for (const Field& f : config_fields()) {
        if (starts_with(f.path, "map.*.") && env_part(f.path.substr(6)) == key_form) field = &f;
    }
    if (field == nullptr) return false;
    std::vector<std::string> names;
    if (name_form == "DEFAULT") names.push_back("default");
    for (const auto& [name, map] : state.config.maps) {
        if (env_part(name) == name_form || env_part(name) == name_form + "*") names.push_back(name);
    }
    if (names.size() != 1) {
        fail_where(value, names.empty() ? "names no map block in the file; a variable can set map.default or a map "
                                          "the file names (use -Dhz.map.<name>.<key> for any other map)"
                                        : "matches more than one map block: " + join(names, ", "));
    }
    const std::string path = "map." + names.front() + "." + field->path.substr(6);
    RawValue keyed = value;
    keyed.key = path;
    apply_field(state, {field, names.front(), path}, keyed);
    return true;
}

bool apply_path_variable(ConfigState& state, const std::string& rest, const RawValue& value) {
    for (const std::string& path : all_paths()) {
        if (starts_with(path, "map.") || env_form(path) != rest) continue;
        RawValue keyed = value;
        keyed.key = path;
        apply_field(state, *resolve_path(path), keyed);
        return true;
    }
    return apply_map_variable(state, rest, value);
}

// HAZELCAST_KUBERNETES_SERVICE_NAME -> "service-name".
std::string kubernetes_key(const std::string& name) {
    std::string key = to_lower(name.substr(std::string_view("HAZELCAST_KUBERNETES_").size()));
    std::replace(key.begin(), key.end(), '_', '-');
    return key;
}

std::vector<std::string> kubernetes_variable_names() {
    std::vector<std::string> names;
    for (const std::string& known : all_paths()) {
        if (!starts_with(known, "network.join.kubernetes.")) continue;
        std::string form = to_upper(known.substr(24));
        std::replace(form.begin(), form.end(), '-', '_');
        names.push_back("HAZELCAST_KUBERNETES_" + form);
    }
    return names;
}

bool apply_kubernetes_variable(ConfigState& state, const std::string& name, const RawValue& value) {
    const std::string path = "network.join.kubernetes." + kubernetes_key(name);
    const auto match = resolve_path(path);
    if (!match) return false;
    RawValue keyed = value;
    keyed.key = path;
    apply_field(state, *match, keyed);
    return true;
}

void apply_variable(ConfigState& state, const std::string& name, const std::string& text) {
    const RawValue value = RawValue::of(text, "environment variable " + name);
    if (name == "SHOAL_LOG_LEVEL") {
        apply_property(state, "shoal.log.level", value, PropertySource::kEnvironment);
    } else if (starts_with(name, "HAZELCAST_KUBERNETES_")) {
        if (!apply_kubernetes_variable(state, name, value) && !is_service_link(name, text)) {
            fail_where(value, "unknown Kubernetes discovery setting '" + kubernetes_key(name) + "'" +
                                  did_you_mean(name, kubernetes_variable_names()));
        }
    } else {
        const std::string prefix = starts_with(name, "HZ_") ? "HZ_" : "SHOAL_";
        if (!apply_path_variable(state, name.substr(prefix.size()), value) && !is_service_link(name, text)) {
            fail_where(value, "matches no configuration key" + did_you_mean(name, env_names(prefix)));
        }
    }
}

}  // namespace

void apply_environment(ConfigState& state, const std::map<std::string, std::string>& environment) {
    for (const auto& [name, text] : environment) {
        if (!starts_with(name, "HZ_") && !starts_with(name, "SHOAL_") && !starts_with(name, "HAZELCAST_KUBERNETES_")) {
            continue;
        }
        if (std::find(std::begin(kReserved), std::end(kReserved), name) != std::end(kReserved)) continue;
        apply_variable(state, name, text);
    }
}

}  // namespace shoal::config
