// Runner: drives connections of a Driver, closed loop or open loop, and measures.
//
// Closed loop: every connection keeps `pipeline` requests in flight and sends the next as soon
// as an answer comes (maximum throughput). Open loop: each connection has a fixed schedule
// (rate / connections per second, staggered); request k is due at t0 + k * interval and its
// latency counts from that intended time, so a stalled server is charged for the requests it
// kept waiting (no coordinated omission). At most `pipeline` requests are in flight per
// connection; later ones wait, their clock already running. Preload SETs every key once.
// Connections are spread over `threads` threads, each with its own io_context, histograms
// merged at the end.
#pragma once

#include <cstdint>
#include <string>

#include "driver.h"
#include "latency_histogram.h"
#include "options.h"

namespace shoal::bench {

struct RunResult {
    std::string label;
    std::string driver;
    std::string mode;  // closed | open | preload
    Options options;
    double seconds = 0;  // measured
    std::uint64_t gets = 0;
    std::uint64_t sets = 0;
    std::uint64_t misses = 0;
    std::uint64_t errors = 0;
    LatencyHistogram all;
    LatencyHistogram get;
    LatencyHistogram set;
    std::string failure;  // a connection failed: the run is void
    // The load generator's own CPU (user + system, getrusage) from the start to the end of the
    // run, per answer it handled in that time (warmup included): what one operation costs the
    // tool, so a driver that bounds the throughput shows.
    double load_cpu_us_per_op = 0;

    std::uint64_t ops() const { return gets + sets; }
    double throughput() const { return seconds > 0 ? static_cast<double>(ops()) / seconds : 0; }
};

// Preload: SET keys 0..keys-1 once, `preload_pipeline` in flight per connection.
RunResult run_preload(Driver& driver, const Options& options);
// The measured run (closed loop when options.rate is 0, else open loop).
RunResult run_load(Driver& driver, const Options& options);

}  // namespace shoal::bench
