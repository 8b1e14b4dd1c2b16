#include "config/config_loader.h"

#include "config/config_checks.h"
#include "config/config_state.h"
#include "config/env_overrides.h"
#include "config/properties.h"
#include "config/yaml_reader.h"

namespace shoal::config {
namespace {

std::pair<std::string, std::string> split_property(const std::string& item) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) return {item, "true"};  // "-Dflag" means flag=true, as in Java
    return {item.substr(0, eq), item.substr(eq + 1)};
}

// The -D properties by name, later ones winning, for ${name} placeholders in the file.
std::map<std::string, std::string> placeholder_values(const std::vector<std::string>& properties) {
    std::map<std::string, std::string> values;
    for (const std::string& item : properties) {
        auto [name, value] = split_property(item);
        values[name] = value;
    }
    return values;
}

}  // namespace

MemberConfig load_config(const ConfigSources& sources) {
    ConfigState state;
    read_yaml(state, sources.yaml_text, sources.yaml_name, placeholder_values(sources.properties));
    apply_environment(state, sources.environment);
    for (const std::string& item : sources.properties) {
        const auto [name, text] = split_property(item);
        apply_property(state, name, RawValue::of(text, "property " + name), PropertySource::kCommandLine);
    }
    check_consistency(state);
    warn_unsupported_properties(state.config);
    record_typed_properties(state.config);
    return std::move(state.config);
}

}  // namespace shoal::config
