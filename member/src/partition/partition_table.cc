#include "partition/partition_table.h"

#include <algorithm>
#include <map>

namespace shoal::partition {
namespace {
const std::string kNobody;
constexpr std::uint32_t kMaxReplicas = 7;  // owner + 6 backups, Hazelcast's limit
}  // namespace

const std::string& PartitionTable::owner(int partition) const {
    if (partition < 0 || partition >= partition_count()) return kNobody;
    const auto& row = replicas[static_cast<std::size_t>(partition)];
    return row.empty() ? kNobody : row.front();
}

int PartitionTable::replica_index(int partition, const std::string& member) const {
    if (partition < 0 || partition >= partition_count()) return -1;
    const auto& row = replicas[static_cast<std::size_t>(partition)];
    const auto it = std::find(row.begin(), row.end(), member);
    return it == row.end() ? -1 : static_cast<int>(it - row.begin());
}

int PartitionTable::owned_by(const std::string& member) const {
    return static_cast<int>(std::count_if(replicas.begin(), replicas.end(),
                                          [&](const auto& row) { return !row.empty() && row.front() == member; }));
}

int PartitionTable::replicas_on(const std::string& member) const {
    return static_cast<int>(std::count_if(replicas.begin(), replicas.end(), [&](const auto& row) {
        return std::find(row.begin(), row.end(), member) != row.end();
    }));
}

void encode(util::ByteWriter& out, const PartitionTable& table) {
    std::map<std::string, std::uint8_t> index;
    std::vector<const std::string*> members;
    for (const auto& row : table.replicas) {
        for (const auto& member : row) {
            if (index.emplace(member, static_cast<std::uint8_t>(members.size())).second) members.push_back(&member);
        }
    }
    out.i64(table.version);
    out.u32(static_cast<std::uint32_t>(members.size()));
    for (const auto* member : members) out.str(*member);
    out.u32(static_cast<std::uint32_t>(table.replicas.size()));
    for (const auto& row : table.replicas) {
        out.u8(static_cast<std::uint8_t>(row.size()));
        for (const auto& member : row) out.u8(index.at(member));
    }
}

PartitionTable decode_partition_table(util::ByteReader& in) {
    PartitionTable table;
    table.version = in.i64("table version");
    const std::uint32_t member_count = in.count("table members", 4);
    if (member_count > 255) throw util::DecodeError("partition table names more than 255 members");
    std::vector<std::string> members;
    for (std::uint32_t i = 0; i < member_count; ++i) members.push_back(in.str("table member"));
    const std::uint32_t partitions = in.count("partition count", 1);
    table.replicas.resize(partitions);
    for (auto& row : table.replicas) {
        const std::uint8_t n = in.u8("replica count");
        if (n > kMaxReplicas) throw util::DecodeError("a partition with " + std::to_string(n) + " replicas");
        for (std::uint8_t i = 0; i < n; ++i) {
            const std::uint8_t m = in.u8("replica");
            if (m >= members.size()) throw util::DecodeError("replica index " + std::to_string(m) + " out of range");
            row.push_back(members[m]);
        }
    }
    return table;
}

}  // namespace shoal::partition
