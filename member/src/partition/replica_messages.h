// Replica messages: what an owner sends its backups and migration destinations, and what they
// answer. Writes travel as the entry's resulting image (value and absolute expiry), never as
// the operation, so applying one is idempotent and a backup can never compute a different
// result than its owner did.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "map/lock_table.h"
#include "map/record.h"
#include "util/bytes.h"

namespace shoal::partition {

enum class ReplicaMessageType : std::uint8_t {
    kBackup = 1,     // owner -> backups/destinations: one write's effect, acked after applying
    kChunk = 2,      // owner -> destination: part of a partition snapshot; the last one is acked
    kBarrier = 3,    // owner -> replica: acked once everything sent before it is applied
    kSyncCheck = 4,  // owner -> backup: "my versions are ..."; one-way
    kSyncRequest = 5, // backup -> owner: "send me partition p whole"; one-way
    // owner -> replica about to be refilled: "summarise your copy of p in n buckets"; answered
    // with the PartitionDigest, after which only the differing buckets travel (a differential
    // snapshot). From then on the replica's copy counts as incomplete until the last chunk.
    kDigestRequest = 10,
    // owner -> backup: "my versions are ..." like kSyncCheck, answered with how many of these
    // partitions the backup holds behind them (u32); a cluster shutdown waits for 0.
    kSyncQuery = 11
};

// kLock: the key's lock state after a lock call (map/lock_table.h), not an entry change:
// `value` is the lock's owner, `times.expire_at_ms` its lease end (0: none) and `lock_count`
// how often it is held (0: unlocked). Locks are not journaled (a restarted cluster has none).
struct EntryChange {
    enum class Kind : std::uint8_t { kUpsert = 0, kRemove = 1, kClearMap = 2, kLock = 3 };
    Kind kind = Kind::kUpsert;
    std::string map;
    std::string key;  // key identity (see map/data.h); empty for kClearMap
    std::string value;
    map::Record::Times times;
    std::int64_t lock_count = 0;

    static EntryChange of_lock(const map::LockState& lock);
    map::LockState lock_state() const;
};

struct BackupMessage {
    int partition = 0;
    std::uint64_t version = 0;  // the partition's version after this write
    std::vector<EntryChange> changes;
};

struct ChunkMessage {
    int partition = 0;
    std::uint64_t transfer = 0;  // identifies one snapshot transfer
    bool first = false;          // the destination empties the partition before applying
    bool last = false;           // the destination adopts `version` and acks
    std::uint64_t version = 0;   // the partition version the snapshot was taken at
    std::vector<EntryChange> entries;
    // A differential snapshot (first chunk only): instead of emptying the whole partition, the
    // destination empties these buckets of a digest cut into `digest_buckets` and keeps the rest,
    // which its digest showed to be equal to the owner's. digest_buckets 0: a whole snapshot.
    std::uint32_t digest_buckets = 0;
    std::vector<std::uint32_t> replaced_buckets;
};

struct DigestRequest {
    int partition = 0;
    std::uint32_t bucket_count = 1;
};

struct PartitionVersion {
    int partition = 0;
    std::uint64_t version = 0;
};

void encode(util::ByteWriter& out, const BackupMessage& m);
BackupMessage decode_backup(util::ByteReader& in);
void encode(util::ByteWriter& out, const ChunkMessage& m);
ChunkMessage decode_chunk(util::ByteReader& in);
void encode(util::ByteWriter& out, const std::vector<PartitionVersion>& versions);
std::vector<PartitionVersion> decode_versions(util::ByteReader& in);
void encode(util::ByteWriter& out, const DigestRequest& m);
DigestRequest decode_digest_request(util::ByteReader& in);

// Bytes an entry change adds to a message, to cut snapshots into bounded chunks.
std::size_t encoded_size(const EntryChange& change);

}  // namespace shoal::partition
