#include "partition/partition_digest.h"

#include <bit>
#include <cstring>
#include <string>

namespace shoal::partition {
namespace {

constexpr std::uint32_t kMaxBuckets = 1u << 16;
constexpr std::uint64_t kEntriesPerBucket = 4;

// A 64-bit avalanche step (the MurmurHash3 finaliser's constants).
std::uint64_t mix(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

// Folds `bytes` into `h`, eight bytes a step; the length goes in too, so adjacent fields
// ("ab","c" and "a","bc") hash differently.
std::uint64_t fold(std::uint64_t h, std::string_view bytes) {
    std::size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, bytes.data() + i, 8);
        h = mix(h ^ word) * 0x9e3779b97f4a7c15ULL;
    }
    std::uint64_t tail = 0;
    if (i < bytes.size()) std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
    return mix(h ^ tail ^ (static_cast<std::uint64_t>(bytes.size()) << 56));
}

std::uint64_t fold(std::uint64_t h, std::int64_t number) { return mix(h ^ static_cast<std::uint64_t>(number)) * 0x9e3779b97f4a7c15ULL; }

std::uint64_t key_hash(std::string_view map, std::string_view key) { return fold(fold(0x5bd1e995, map), key); }

std::uint64_t entry_hash(std::uint64_t key_hash, std::string_view value, const map::Record::Times& times) {
    return mix(fold(fold(fold(key_hash, value), times.expire_at_ms), times.max_idle_ms));
}

}  // namespace

std::uint32_t digest_bucket_count(std::uint64_t entries) {
    const std::uint64_t wanted = entries / kEntriesPerBucket;
    if (wanted <= 1) return 1;
    if (wanted >= kMaxBuckets) return kMaxBuckets;
    return static_cast<std::uint32_t>(std::bit_ceil(wanted));
}

std::uint32_t digest_bucket_of(std::string_view map, std::string_view key, std::uint32_t bucket_count) {
    return static_cast<std::uint32_t>(key_hash(map, key) >> 32) & (bucket_count - 1);
}

PartitionDigest digest_partition(map::PartitionStore& store, std::uint32_t bucket_count, std::int64_t now_ms) {
    PartitionDigest digest;
    digest.bucket_count = bucket_count;
    digest.sums.assign(bucket_count, 0);
    store.for_each_map([&](std::string_view map_name, map::RecordStore& records) {
        records.for_each_image([&](std::string_view key, std::string_view value, const map::Record::Times& times) {
            const std::uint64_t k = key_hash(map_name, key);
            digest.sums[static_cast<std::uint32_t>(k >> 32) & (bucket_count - 1)] += entry_hash(k, value, times);
            ++digest.entries;
        }, now_ms);
    });
    return digest;
}

std::vector<std::uint32_t> differing_buckets(const PartitionDigest& mine, const PartitionDigest& theirs) {
    std::vector<std::uint32_t> differ;
    for (std::uint32_t b = 0; b < mine.bucket_count; ++b) {
        if (b >= theirs.sums.size() || mine.sums[b] != theirs.sums[b]) differ.push_back(b);
    }
    return differ;
}

void encode(util::ByteWriter& out, const PartitionDigest& digest) {
    out.u32(digest.bucket_count);
    out.u64(digest.entries);
    for (const std::uint64_t sum : digest.sums) out.u64(sum);
}

PartitionDigest decode_digest(util::ByteReader& in) {
    PartitionDigest digest;
    digest.bucket_count = in.u32("digest bucket count");
    if (digest.bucket_count == 0 || digest.bucket_count > kMaxBuckets || !std::has_single_bit(digest.bucket_count)) {
        throw util::DecodeError("digest bucket count " + std::to_string(digest.bucket_count) +
                                " is not a power of two from 1 to " + std::to_string(kMaxBuckets));
    }
    digest.entries = in.u64("digest entries");
    if (in.remaining() < static_cast<std::size_t>(digest.bucket_count) * 8) {
        throw util::DecodeError("digest of " + std::to_string(digest.bucket_count) + " buckets carries " +
                                std::to_string(in.remaining()) + " bytes of sums");
    }
    digest.sums.resize(digest.bucket_count);
    for (auto& sum : digest.sums) sum = in.u64("digest sum");
    return digest;
}

}  // namespace shoal::partition
