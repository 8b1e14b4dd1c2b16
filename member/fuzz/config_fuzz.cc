// Fuzzes the config loader with arbitrary YAML text: any input must load or fail with
// ConfigError, never crash, hang or throw anything else; and whatever loads must print as YAML
// that loads back to an equal config, printing the same again.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "config/config_loader.h"

namespace {

shoal::config::ConfigSources sources_for(std::string yaml) {
    shoal::config::ConfigSources sources;
    sources.yaml_text = std::move(yaml);
    sources.yaml_name = "fuzz.yaml";
    // Two placeholder values, so ${a} and ${b} in the input resolve and ${c} does not.
    sources.properties = {"a=1", "b=x y"};
    return sources;
}

[[noreturn]] void fail(const char* what, const std::string& printed) {
    std::fprintf(stderr, "%s\n--- printed config ---\n%s\n", what, printed.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    shoal::config::MemberConfig config;
    try {
        config = shoal::config::load_config(sources_for(std::string(reinterpret_cast<const char*>(data), size)));
    } catch (const shoal::config::ConfigError&) {
        return 0;  // refusing the input is fine; anything else escapes and is reported
    }
    const std::string printed = shoal::config::print_config(config);
    shoal::config::MemberConfig reloaded;
    try {
        reloaded = shoal::config::load_config(sources_for(printed));
    } catch (const shoal::config::ConfigError& e) {
        fail(e.what(), printed);
    }
    // Warnings about ignored file-only properties are not printed, so they may differ.
    reloaded.warnings = config.warnings;
    if (!(reloaded == config)) fail("printed config reloads to a different config", printed);
    if (shoal::config::print_config(reloaded) != printed) fail("printed config prints differently", printed);
    return 0;
}
