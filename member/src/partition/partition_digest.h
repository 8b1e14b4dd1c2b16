// PartitionDigest: a partition's entries summarised per bucket, so an owner and a replica that
// already holds most of a partition (a member back from a restart with its data, a backup that
// missed some writes) exchange only the buckets that differ instead of the whole partition.
//
// Each entry (map, key, value, expiry, max-idle) hashes to 64 bits; a bucket's digest is the sum
// of its entries' hashes, so it does not depend on the order entries are visited in and two
// replicas agree exactly when they hold the same entries (but for a 2^-64 collision per bucket).
// Which bucket a key falls in depends only on map and key, so both sides cut the same way.
// The last access time is left out: reads move it on the owner alone.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "map/partition_store.h"
#include "util/bytes.h"

namespace shoal::partition {

struct PartitionDigest {
    std::uint32_t bucket_count = 1;
    std::uint64_t entries = 0;          // live entries summarised
    std::vector<std::uint64_t> sums;    // one per bucket
};

// About four entries per bucket, a power of two between 1 and 65536: one changed entry costs
// resending a few, and a digest costs about two bytes per entry (2% of 100-byte entries).
std::uint32_t digest_bucket_count(std::uint64_t entries);

std::uint32_t digest_bucket_of(std::string_view map, std::string_view key, std::uint32_t bucket_count);

PartitionDigest digest_partition(map::PartitionStore& store, std::uint32_t bucket_count, std::int64_t now_ms);

// The buckets whose sums differ (both digests cut into the same number of buckets).
std::vector<std::uint32_t> differing_buckets(const PartitionDigest& mine, const PartitionDigest& theirs);

void encode(util::ByteWriter& out, const PartitionDigest& digest);
// Throws util::DecodeError naming what is wrong (a bucket count that is not a power of two
// in range, a sum count that does not match it).
PartitionDigest decode_digest(util::ByteReader& in);

}  // namespace shoal::partition
