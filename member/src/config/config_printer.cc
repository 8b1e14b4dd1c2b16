// --print-config: the effective configuration as YAML under the root key `shoal`, every key
// with its value (defaults included), written so that loading it gives the same config.
#include <yaml-cpp/yaml.h>

#include "config/config_loader.h"
#include "config/config_schema.h"
#include "config/properties.h"

namespace shoal::config {
namespace {

YAML::Node yaml_value(const RawValue& value) {
    if (!value.is_list) return YAML::Node(value.text);
    YAML::Node list(YAML::NodeType::Sequence);
    for (const auto& item : value.list) list.push_back(item);
    if (value.list.empty()) list.SetStyle(YAML::EmitterStyle::Flow);  // "key: []" on one line
    return list;
}

// Sets tree[a][b][c] for the schema path "a.b.c"; the parts are plain key names.
void set_path(YAML::Node tree, const std::string& path, const YAML::Node& value) {
    YAML::Node node = tree;
    std::size_t start = 0;
    for (auto dot = path.find('.'); dot != std::string::npos; dot = path.find('.', start)) {
        node.reset(node[path.substr(start, dot - start)]);
        start = dot + 1;
    }
    node[path.substr(start)] = value;
}

void print_maps(YAML::Node shoal, const MemberConfig& config) {
    std::vector<std::string> names = {"default"};
    for (const auto& [name, map] : config.maps) names.push_back(name);
    for (const std::string& name : names) {
        YAML::Node block = shoal["map"][name];  // one key, even when the name holds dots
        block = YAML::Node(YAML::NodeType::Map);
        for (const Field& field : config_fields()) {
            if (field.read && starts_with(field.path, "map.*.")) {
                block[field.path.substr(6)] = yaml_value(field.read(config, name));
            }
        }
    }
}

}  // namespace

std::string print_config(const MemberConfig& config) {
    YAML::Node root;
    YAML::Node shoal = root["shoal"];
    bool maps_printed = false;
    for (const Field& field : config_fields()) {
        if (!field.read) continue;
        if (!starts_with(field.path, "map.")) {
            set_path(shoal, field.path, yaml_value(field.read(config, "")));
        } else if (!maps_printed) {
            print_maps(shoal, config);  // where the map keys stand in the table
            maps_printed = true;
        }
    }
    MemberConfig with_properties = config;
    record_typed_properties(with_properties);
    YAML::Node properties = shoal["properties"];
    properties = YAML::Node(YAML::NodeType::Map);
    for (const auto& [name, value] : with_properties.properties) properties[name] = value;
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

}  // namespace shoal::config
