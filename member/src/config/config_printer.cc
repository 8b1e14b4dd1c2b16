#include <yaml-cpp/yaml.h>

#include "config/config_loader.h"
#include "config/config_schema.h"
#include "config/properties.h"

namespace shoal::config {
namespace {

// Sets tree[a][b][c] = value for the dotted path "a.b.c".
void set_path(YAML::Node tree, const std::vector<std::string>& parts, const RawValue& value) {
    YAML::Node node = tree;
    std::vector<YAML::Node> chain{tree};
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        chain.push_back(chain.back()[parts[i]]);
    }
    if (value.is_list) {
        YAML::Node list(YAML::NodeType::Sequence);
        for (const auto& item : value.list) list.push_back(item);
        chain.back()[parts.back()] = list;
    } else {
        chain.back()[parts.back()] = value.scalar;
    }
}

std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> parts;
    std::string part;
    for (char c : path + ".") {
        if (c == '.') {
            parts.push_back(part);
            part.clear();
        } else {
            part.push_back(c);
        }
    }
    return parts;
}

}  // namespace

std::string print_config(const MemberConfig& config) {
    YAML::Node root;
    YAML::Node shoal = root["shoal"];
    std::vector<std::string> map_names = {"default"};
    for (const auto& [name, map] : config.maps) map_names.push_back(name);
    for (const Field& field : config_fields()) {
        if (!field.read) continue;
        if (field.path.rfind("map.*.", 0) == 0) {
            for (const auto& name : map_names) {
                // A map name may hold dots: keep it as one key.
                shoal["map"][name][field.path.substr(6)] = field.read(config, name).scalar;
            }
            continue;
        }
        set_path(shoal, split(field.path), field.read(config, ""));
    }
    MemberConfig with_properties = config;
    record_typed_properties(with_properties);
    for (const auto& [name, value] : with_properties.properties) shoal["properties"][name] = value;
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

}  // namespace shoal::config
