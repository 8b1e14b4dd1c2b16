// MemberMetadata: who this member was when it last ran, kept beside its data so a restarted
// member rejoins with its identity and knows how current its data is.
//
// Written atomically (temporary file, sync, rename, sync the directory) and checksummed, so a
// crash leaves the previous version or the new one, and a damaged file is reported, never
// half-read. The partition table is an opaque blob here: the partition layer encodes it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "util/uuid.h"

namespace shoal::persistence {

struct MemberMetadata {
    util::Uuid member_uuid;
    util::Uuid cluster_id;
    std::string cluster_name;
    std::string cluster_state;  // ACTIVE, NO_MIGRATION, FROZEN, PASSIVE
    std::int32_t member_list_version = 0;
    std::vector<std::string> members;  // "uuid host:port", the master first
    std::string partition_table;       // as the partition layer encodes it
    std::vector<std::uint64_t> replica_versions;  // per partition, of the replicas held here
    std::int32_t partition_count = 0;
    std::int32_t partition_thread_count = 0;  // the data's layout: one log per partition thread

    bool operator==(const MemberMetadata&) const = default;
};

class MetadataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

inline constexpr const char* kMetadataFileName = "member.meta";

void save_metadata(const std::filesystem::path& dir, const MemberMetadata& metadata);
// nullopt when the directory holds none (a first start); MetadataError when it is damaged.
std::optional<MemberMetadata> load_metadata(const std::filesystem::path& dir);

}  // namespace shoal::persistence
