// PartitionTable: the committed owner and backups of every partition, as the master publishes
// it. Immutable once built; members share it through shared_ptr<const PartitionTable> and
// replace the pointer when a newer version arrives.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "partition/partition_assignment.h"
#include "util/bytes.h"

namespace shoal::partition {

struct PartitionTable {
    std::int64_t version = 0;
    ReplicaTable replicas;  // [partition][0] owner, [1..] backups; member UUID text

    int partition_count() const { return static_cast<int>(replicas.size()); }
    // Empty when the partition has no owner yet (before the first assignment).
    const std::string& owner(int partition) const;
    // 0 owner, 1.. backup index, -1 not a replica.
    int replica_index(int partition, const std::string& member) const;
    // How many partitions `member` owns / holds any replica of.
    int owned_by(const std::string& member) const;
    int replicas_on(const std::string& member) const;
};

using TablePtr = std::shared_ptr<const PartitionTable>;

// Members are written once and replicas as indexes into that list: a 271-partition table with
// two replicas each is about 600 bytes plus the UUIDs.
void encode(util::ByteWriter& out, const PartitionTable& table);
PartitionTable decode_partition_table(util::ByteReader& in);

}  // namespace shoal::partition
