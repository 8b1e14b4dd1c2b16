#include "partition/replica_messages.h"

namespace shoal::partition {
namespace {

void encode_change(util::ByteWriter& out, const EntryChange& c) {
    out.u8(static_cast<std::uint8_t>(c.kind));
    out.str(c.map);
    if (c.kind == EntryChange::Kind::kClearMap) return;
    out.str(c.key);
    if (c.kind == EntryChange::Kind::kRemove) return;
    if (c.kind == EntryChange::Kind::kLock) {
        out.str(c.value);
        out.i64(c.lock_count);
        out.i64(c.times.expire_at_ms);
        return;
    }
    out.str(c.value);
    out.i64(c.times.expire_at_ms);
    out.i64(c.times.max_idle_ms);
    out.i64(c.times.now_ms);
}

EntryChange decode_change(util::ByteReader& in) {
    EntryChange c;
    const std::uint8_t kind = in.u8("change kind");
    if (kind > 3) throw util::DecodeError("unknown entry change kind " + std::to_string(kind));
    c.kind = static_cast<EntryChange::Kind>(kind);
    c.map = in.str("map name");
    if (c.kind == EntryChange::Kind::kClearMap) return c;
    c.key = in.str("key");
    if (c.kind == EntryChange::Kind::kRemove) return c;
    if (c.kind == EntryChange::Kind::kLock) {
        c.value = in.str("lock owner");
        c.lock_count = in.i64("lock count");
        c.times.expire_at_ms = in.i64("lock lease end");
        return c;
    }
    c.value = in.str("value");
    c.times.expire_at_ms = in.i64("expire at");
    c.times.max_idle_ms = in.i64("max idle");
    c.times.now_ms = in.i64("last access");
    return c;
}

void encode_changes(util::ByteWriter& out, const std::vector<EntryChange>& changes) {
    out.u32(static_cast<std::uint32_t>(changes.size()));
    for (const auto& c : changes) encode_change(out, c);
}

std::vector<EntryChange> decode_changes(util::ByteReader& in) {
    const std::uint32_t n = in.count("change count", 5);
    std::vector<EntryChange> changes;
    changes.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) changes.push_back(decode_change(in));
    return changes;
}

int decode_partition(util::ByteReader& in) {
    const std::int32_t p = in.i32("partition");
    if (p < 0 || p > 100'000) throw util::DecodeError("partition id " + std::to_string(p) + " out of range");
    return p;
}

}  // namespace

EntryChange EntryChange::of_lock(const map::LockState& lock) {
    EntryChange c;
    c.kind = Kind::kLock;
    c.map = lock.map;
    c.key = lock.key;
    c.value = lock.owner;
    c.lock_count = lock.count;
    c.times.expire_at_ms = lock.expires_at_ms;
    return c;
}

map::LockState EntryChange::lock_state() const {
    return map::LockState{map, key, value, lock_count, times.expire_at_ms};
}

void encode(util::ByteWriter& out, const BackupMessage& m) {
    out.i32(m.partition);
    out.u64(m.version);
    encode_changes(out, m.changes);
}

BackupMessage decode_backup(util::ByteReader& in) {
    BackupMessage m;
    m.partition = decode_partition(in);
    m.version = in.u64("version");
    m.changes = decode_changes(in);
    in.expect_done("backup");
    return m;
}

void encode(util::ByteWriter& out, const ChunkMessage& m) {
    out.i32(m.partition);
    out.u64(m.transfer);
    const bool differential = m.first && m.digest_buckets > 0;
    out.u8(static_cast<std::uint8_t>((m.first ? 1 : 0) | (m.last ? 2 : 0) | (differential ? 4 : 0)));
    out.u64(m.version);
    encode_changes(out, m.entries);
    if (!differential) return;
    out.u32(m.digest_buckets);
    out.u32(static_cast<std::uint32_t>(m.replaced_buckets.size()));
    for (const std::uint32_t b : m.replaced_buckets) out.u32(b);
}

ChunkMessage decode_chunk(util::ByteReader& in) {
    ChunkMessage m;
    m.partition = decode_partition(in);
    m.transfer = in.u64("transfer");
    const std::uint8_t flags = in.u8("chunk flags");
    m.first = (flags & 1) != 0;
    m.last = (flags & 2) != 0;
    m.version = in.u64("version");
    m.entries = decode_changes(in);
    if ((flags & 4) != 0) {
        if (!m.first) throw util::DecodeError("chunk: only a first chunk can be differential");
        m.digest_buckets = in.u32("digest buckets");
        if (m.digest_buckets == 0 || (m.digest_buckets & (m.digest_buckets - 1)) != 0) {
            throw util::DecodeError("chunk: digest bucket count " + std::to_string(m.digest_buckets) + " is not a power of two");
        }
        const std::uint32_t n = in.count("replaced bucket count", 4);
        m.replaced_buckets.reserve(n);
        for (std::uint32_t i = 0; i < n; ++i) {
            const std::uint32_t b = in.u32("replaced bucket");
            if (b >= m.digest_buckets) throw util::DecodeError("chunk: replaced bucket " + std::to_string(b) + " out of range");
            m.replaced_buckets.push_back(b);
        }
    }
    in.expect_done("chunk");
    return m;
}

void encode(util::ByteWriter& out, const std::vector<PartitionVersion>& versions) {
    out.u32(static_cast<std::uint32_t>(versions.size()));
    for (const auto& v : versions) {
        out.i32(v.partition);
        out.u64(v.version);
    }
}

std::vector<PartitionVersion> decode_versions(util::ByteReader& in) {
    const std::uint32_t n = in.count("version count", 12);
    std::vector<PartitionVersion> versions(n);
    for (auto& v : versions) {
        v.partition = decode_partition(in);
        v.version = in.u64("version");
    }
    return versions;
}

void encode(util::ByteWriter& out, const DigestRequest& m) {
    out.i32(m.partition);
    out.u32(m.bucket_count);
}

DigestRequest decode_digest_request(util::ByteReader& in) {
    DigestRequest m;
    m.partition = decode_partition(in);
    m.bucket_count = in.u32("digest bucket count");
    if (m.bucket_count == 0 || m.bucket_count > (1u << 16) || (m.bucket_count & (m.bucket_count - 1)) != 0) {
        throw util::DecodeError("digest request: bucket count " + std::to_string(m.bucket_count) + " is not a power of two from 1 to 65536");
    }
    in.expect_done("digest request");
    return m;
}

std::size_t encoded_size(const EntryChange& change) {
    return 1 + 4 + change.map.size() + 4 + change.key.size() + 4 + change.value.size() + 24;
}

}  // namespace shoal::partition
