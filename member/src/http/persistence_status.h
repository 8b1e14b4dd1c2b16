// PersistenceStatus: what GET /hazelcast/rest/persistence reports about this member's data on
// disk. The app fills it from its persistence; HTTP only formats it.
#pragma once

#include <cstdint>
#include <string>

namespace shoal::http {

// What /hazelcast/rest/persistence reports (the app fills it; `enabled` false without persistence).
struct PersistenceStatus {
    bool enabled = false;
    std::string phase;  // LOADING, DONE, FAILED
    std::string dir;
    std::uint64_t entries = 0;
    std::uint64_t records = 0;
    std::uint64_t bytes = 0;
    std::uint64_t cut_bytes = 0;
    std::int64_t load_ms = 0;
    std::int64_t saved_table_version = -1;  // the partition table version in the metadata on disk
};

}  // namespace shoal::http
