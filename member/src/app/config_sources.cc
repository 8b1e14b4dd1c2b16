// Config sources of a member process (see config_sources.h).
#include "app/config_sources.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "config/config_loader.h"

extern char** environ;

namespace shoal::app {
namespace {

// The config file: --config, then $SHOAL_CONFIG, then -Dhazelcast.config, then
// /etc/shoal/shoal.yaml when present. Empty: defaults only.
std::string config_path(const CommandLine& cl, const std::map<std::string, std::string>& env,
                        std::vector<std::string>& properties) {
    std::string from_property;
    std::erase_if(properties, [&](const std::string& p) {
        if (p.rfind("hazelcast.config=", 0) != 0) return false;
        from_property = p.substr(17);
        return true;
    });
    if (cl.config_file) return *cl.config_file;
    if (auto it = env.find("SHOAL_CONFIG"); it != env.end() && !it->second.empty()) return it->second;
    if (!from_property.empty()) return from_property;
    if (access("/etc/shoal/shoal.yaml", R_OK) == 0) return "/etc/shoal/shoal.yaml";
    return {};
}

}  // namespace

std::map<std::string, std::string> process_environment() {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string_view entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string_view::npos) env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
    return env;
}

config::MemberConfig load_member_config(const CommandLine& cl, const std::map<std::string, std::string>& environment) {
    config::ConfigSources sources;
    sources.environment = environment;
    std::vector<std::string> properties;
    if (auto it = sources.environment.find("JAVA_OPTS"); it != sources.environment.end()) {
        properties = config::properties_from_java_opts(it->second);
    }
    properties.insert(properties.end(), cl.properties.begin(), cl.properties.end());
    const std::string path = config_path(cl, sources.environment, properties);
    if (!path.empty()) {
        std::ifstream file(path);
        if (!file) throw config::ConfigError(path + ": cannot read the config file");
        std::stringstream text;
        text << file.rdbuf();
        sources.yaml_text = text.str();
        sources.yaml_name = path;
    }
    sources.properties = std::move(properties);
    auto config = config::load_config(sources);
    config.source = path.empty() ? "defaults" : path;
    return config;
}

}  // namespace shoal::app
