// Member metadata on disk: saved and loaded whole, absent on a first start, and a damaged file
// is reported with its path instead of being half-read.
#include "persistence/member_metadata.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

#include "persistence/append_file.h"

namespace shoal::persistence {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const char* name) {
    const fs::path dir = fs::temp_directory_path() / (std::string("shoal-meta-") + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    return dir;
}

MemberMetadata sample() {
    MemberMetadata m;
    m.member_uuid = util::Uuid::random();
    m.cluster_id = util::Uuid::random();
    m.cluster_name = "dev";
    m.cluster_state = "FROZEN";
    m.member_list_version = 7;
    m.members = {m.member_uuid.to_string() + " 127.0.0.1:5701", util::Uuid::random().to_string() + " 127.0.0.2:5701"};
    m.partition_table = std::string("\0\1\2table", 8);
    m.replica_versions = {0, 5, ~0ull};
    m.partition_count = 271;
    m.partition_thread_count = 2;
    return m;
}

TEST(PersistenceMetadata, SavedMetadataLoadsBackWholeAndANewSaveReplacesIt) {
    const fs::path dir = fresh_dir("roundtrip");
    EXPECT_EQ(load_metadata(dir), std::nullopt) << "a first start has none";
    MemberMetadata m = sample();
    save_metadata(dir, m);
    EXPECT_EQ(load_metadata(dir), m);
    m.cluster_state = "ACTIVE";
    m.replica_versions.push_back(9);
    save_metadata(dir, m);
    EXPECT_EQ(load_metadata(dir), m);
    fs::remove_all(dir);
}

TEST(PersistenceMetadata, EveryDamagedByteAndEveryTruncationIsReported) {
    const fs::path dir = fresh_dir("damaged");
    save_metadata(dir, sample());
    const fs::path file = dir / kMetadataFileName;
    const std::string good = read_file(file);
    // Plain writes: a sync per damaged variant would only slow the test down.
    auto rewrite = [&](const std::string& bytes) { std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes; };
    for (std::size_t i = 0; i < good.size(); ++i) {
        std::string bad = good;
        bad[i] = static_cast<char>(bad[i] ^ 0x40);
        rewrite(bad);
        EXPECT_THROW(load_metadata(dir), MetadataError) << "byte " << i;
        rewrite(good.substr(0, i));
        EXPECT_THROW(load_metadata(dir), MetadataError) << "cut at " << i;
    }
    try {
        rewrite("garbage");
        load_metadata(dir);
        FAIL();
    } catch (const MetadataError& e) {
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << "names the file: " << e.what();
    }
    fs::remove_all(dir);
}

}  // namespace
}  // namespace shoal::persistence
