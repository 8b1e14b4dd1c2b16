#include "persistence/member_metadata.h"

#include "persistence/append_file.h"
#include "util/bytes.h"
#include "util/crc32c.h"

namespace shoal::persistence {
namespace {

constexpr std::string_view kMagic = "SHOALMETA";
constexpr std::uint8_t kFormatVersion = 1;


}  // namespace

void save_metadata(const std::filesystem::path& dir, const MemberMetadata& m) {
    util::ByteWriter body;
    body.u8(kFormatVersion);
    body.uuid(m.member_uuid);
    body.uuid(m.cluster_id);
    body.str(m.cluster_name);
    body.str(m.cluster_state);
    body.i32(m.member_list_version);
    body.u32(static_cast<std::uint32_t>(m.members.size()));
    for (const auto& member : m.members) body.str(member);
    body.str(m.partition_table);
    body.u32(static_cast<std::uint32_t>(m.replica_versions.size()));
    for (std::uint64_t v : m.replica_versions) body.u64(v);
    body.i32(m.partition_count);
    body.i32(m.partition_thread_count);

    util::ByteWriter file;
    file.raw(kMagic);
    file.u32(util::crc32c(body.buffer()));
    file.str(body.buffer());
    std::filesystem::create_directories(dir);
    write_file_atomically(dir / kMetadataFileName, file.buffer());
}

std::optional<MemberMetadata> load_metadata(const std::filesystem::path& dir) {
    const auto path = dir / kMetadataFileName;
    if (!std::filesystem::exists(path)) return std::nullopt;
    const std::string bytes = read_file(path);
    const auto damaged = [&](const std::string& why) { return MetadataError(path.string() + " is damaged: " + why); };
    if (!std::string_view(bytes).starts_with(kMagic)) throw damaged("it does not start with " + std::string(kMagic));
    try {
        util::ByteReader file(std::string_view(bytes).substr(kMagic.size()));
        const std::uint32_t crc = file.u32("checksum");
        const std::string_view body_bytes = file.view("metadata");
        file.expect_done("metadata file");
        if (util::crc32c(body_bytes) != crc) throw damaged("checksum mismatch");
        util::ByteReader in(body_bytes);
        if (const auto version = in.u8("format version"); version != kFormatVersion) {
            throw damaged("format version " + std::to_string(version) + " is not " + std::to_string(kFormatVersion));
        }
        MemberMetadata m;
        m.member_uuid = in.uuid("member uuid");
        m.cluster_id = in.uuid("cluster id");
        m.cluster_name = in.str("cluster name");
        m.cluster_state = in.str("cluster state");
        m.member_list_version = in.i32("member list version");
        for (std::uint32_t n = in.count("members", 4); n > 0; --n) m.members.push_back(in.str("member"));
        m.partition_table = in.str("partition table");
        for (std::uint32_t n = in.count("replica versions", 8); n > 0; --n) m.replica_versions.push_back(in.u64("replica version"));
        m.partition_count = in.i32("partition count");
        m.partition_thread_count = in.i32("partition thread count");
        in.expect_done("metadata");
        return m;
    } catch (const util::DecodeError& e) {
        throw damaged(e.what());
    }
}

}  // namespace shoal::persistence
