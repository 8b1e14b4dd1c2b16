// Partition ids must equal what Hazelcast clients compute, or smart clients would route keys
// to the wrong member. The vectors in data/partition_vectors.csv were produced by the official
// Hazelcast Node.js client's own serializer and partition hashing (member/tools/partition-vectors).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "map/data.h"
#include "util/murmur3.h"

namespace shoal::map {
namespace {

std::int32_t raw_murmur(std::string_view s) {
    return util::murmur3_x86_32(s.data(), s.size(), kPartitionHashSeed);
}

// Raw-byte vectors from the Node.js client's MurmurHash test (see reference/client-protocol.md).
TEST(Murmur3, MatchesHazelcastClientVectors) {
    EXPECT_EQ(raw_murmur("key-1"), 1228513025);
    EXPECT_EQ(raw_murmur(""), -1585187909);
    EXPECT_EQ(raw_murmur("a"), -1686100800);
    EXPECT_EQ(raw_murmur("abcd"), -973615161);
}

// Published vectors of MurmurHash3_x86_32 (seed 0), to check the algorithm apart from Hazelcast.
TEST(Murmur3, MatchesReferenceAlgorithmVectors) {
    EXPECT_EQ(util::murmur3_x86_32("", 0, 0), 0);
    EXPECT_EQ(util::murmur3_x86_32("", 0, 1), 0x514E28B7);
    EXPECT_EQ(static_cast<std::uint32_t>(util::murmur3_x86_32("\xff\xff\xff\xff", 4, 0)), 0x76293B50u);
    EXPECT_EQ(static_cast<std::uint32_t>(util::murmur3_x86_32("\x21\x43\x65\x87", 4, 0)), 0xF55B516Bu);
    EXPECT_EQ(static_cast<std::uint32_t>(util::murmur3_x86_32("\x21\x43\x65", 3, 0)), 0x7E4A8634u);
    EXPECT_EQ(static_cast<std::uint32_t>(util::murmur3_x86_32("\x21\x43", 2, 0)), 0xA0F7B07Au);
    EXPECT_EQ(static_cast<std::uint32_t>(util::murmur3_x86_32("\x21", 1, 0)), 0x72661CF4u);
}

TEST(PartitionId, StringKeyAsNodeClientSerializesIt) {
    const std::string data = string_data("key");
    EXPECT_EQ(data, std::string("\x00\x00\x00\x00\xff\xff\xff\xf5\x00\x00\x00\x03key", 15));
    EXPECT_EQ(partition_hash(data), 1476017569);
    EXPECT_EQ(partition_id(data, 271), 80);
}

TEST(PartitionId, HeaderHashWinsWhenNonZero) {
    std::string data = string_data("key");
    data[3] = 7;  // partition hash 7 given by a PartitionAware key
    EXPECT_EQ(partition_hash(data), 7);
    EXPECT_EQ(partition_id(data, 271), 7);
}

TEST(PartitionId, Int32MinMapsToZeroAndNegativesUseAbs) {
    EXPECT_EQ(partition_id_of_hash(INT32_MIN, 271), 0);
    EXPECT_EQ(partition_id_of_hash(-272, 271), 1);
    EXPECT_EQ(partition_id_of_hash(272, 271), 1);
}

std::string from_hex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
}

struct Vector {
    std::string kind, key, data;
    std::int32_t hash;
    int partition;
};

std::vector<Vector> load_vectors() {
    std::ifstream in(std::string(SHOAL_TEST_DATA_DIR) + "/partition_vectors.csv");
    std::vector<Vector> vectors;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        // kind,key,data_hex,partition_hash,partition_id; the key may hold commas, so split from
        // both ends.
        const auto first = line.find(',');
        const auto last = line.rfind(',');
        const auto before_last = line.rfind(',', last - 1);
        const auto data_start = line.rfind(',', before_last - 1);
        Vector v;
        v.kind = line.substr(0, first);
        v.key = line.substr(first + 1, data_start - first - 1);
        v.data = from_hex(line.substr(data_start + 1, before_last - data_start - 1));
        v.hash = static_cast<std::int32_t>(std::stoll(line.substr(before_last + 1, last - before_last - 1)));
        v.partition = std::stoi(line.substr(last + 1));
        vectors.push_back(std::move(v));
    }
    return vectors;
}

TEST(PartitionId, EqualsOfficialClientForEveryVector) {
    const auto vectors = load_vectors();
    ASSERT_GE(vectors.size(), 40u) << "partition_vectors.csv missing or short";
    int strings = 0;
    for (const auto& v : vectors) {
        EXPECT_EQ(partition_hash(v.data), v.hash) << v.kind << " " << v.key;
        EXPECT_EQ(partition_id(v.data, 271), v.partition) << v.kind << " " << v.key;
        if (v.kind == "string") {
            ++strings;
            EXPECT_EQ(read_string_payload(v.data).value_or("<not a string>"), v.key);
        }
    }
    EXPECT_GT(strings, 0);
}

}  // namespace
}  // namespace shoal::map
