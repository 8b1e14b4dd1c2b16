// ConfigLoader: YAML file + environment + -D properties -> one validated MemberConfig.
//
// Precedence, lowest first: built-in defaults, the YAML file (root key `shoal` or `hazelcast`),
// environment variables (`SHOAL_*` / `HZ_*` overrides, `HAZELCAST_KUBERNETES_*`), then
// `-Dname=value` properties (from JAVA_OPTS first, then the command line). Any unknown key or bad
// value raises ConfigError naming the file, line and key; the app turns that into exit code 2.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/member_config.h"

namespace shoal::config {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ConfigSources {
    std::string yaml_text;   // the file's content; empty = no file
    std::string yaml_name;   // the file's name for messages ("shoal.yaml")
    std::map<std::string, std::string> environment;  // only the variables that matter may be passed
    std::vector<std::string> properties;  // "name=value" items, in order; later ones win
};

// Parses and validates; throws ConfigError with a message like
// "shoal.yaml:12:5: unknown key 'netwrok' under 'hazelcast' (did you mean 'network'?)".
MemberConfig load_config(const ConfigSources& sources);

// Renders the effective config as YAML (root key `shoal`), for `--print-config`.
std::string print_config(const MemberConfig& config);

// Splits JAVA_OPTS-style text into the `-Dname=value` items it holds ("name=value" each);
// other JVM flags (-Xmx..., -XX:...) are ignored.
std::vector<std::string> properties_from_java_opts(std::string_view java_opts);

}  // namespace shoal::config
