// Options: the command line of shoal-bench, parsed into one validated struct.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "key_chooser.h"

namespace shoal::bench {

struct Endpoint {
    std::string host;
    std::uint16_t port = 0;
    friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

struct Options {
    std::string driver = "resp";          // resp | hazelcast
    std::vector<Endpoint> endpoints;      // --host host:port, repeatable (hazelcast: every member)
    int connections = 50;
    int pipeline = 1;                     // requests in flight per connection
    int threads = 1;                      // load threads, connections spread over them
    std::uint64_t keys = 1'000'000;
    Distribution distribution = Distribution::kUniform;
    double zipf_theta = 0.99;
    std::size_t value_size = 100;
    double set_ratio = 0.2;               // share of SETs; the rest are GETs
    double seconds = 10;                  // measured duration
    double warmup_seconds = 1;            // run before measuring
    double rate = 0;                      // ops/s over all connections; 0 = closed loop (max)
    bool preload = false;                 // SET every key once before the run
    bool run = true;                      // false: preload only
    int preload_pipeline = 64;
    std::string map_name = "bench";       // hazelcast map
    std::string cluster_name = "dev";
    std::string label;                    // names the run in the report
    std::string json_path;                // append the result as one JSON line
    std::uint64_t seed = 1;
    bool help = false;
};

struct ParseResult {
    std::optional<Options> options;
    std::string error;  // set when options is empty
};

ParseResult parse_options(const std::vector<std::string_view>& args);
std::string usage();

}  // namespace shoal::bench
