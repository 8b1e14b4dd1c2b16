// Clocks: one place that reads time, so expiry logic can be tested with a fake clock.
#pragma once

#include <chrono>
#include <cstdint>

namespace shoal::util {

// Milliseconds since the Unix epoch (wall clock): what TTL and max-idle deadlines are kept in,
// because Hazelcast reports entry times in these units.
inline std::int64_t now_millis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Nanoseconds of a monotonic clock, for latency measurements.
inline std::int64_t monotonic_nanos() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace shoal::util
