// Fuzzes the config parser: any text must load or fail with ConfigError, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    shoal::config::ConfigSources sources;
    sources.yaml_text.assign(reinterpret_cast<const char*>(data), size);
    sources.yaml_name = "fuzz.yaml";
    try {
        const auto config = shoal::config::load_config(sources);
        // Whatever loads must print and load again.
        sources.yaml_text = shoal::config::print_config(config);
        shoal::config::load_config(sources);
    } catch (const shoal::config::ConfigError&) {
    }
    return 0;
}
