#include "partition/key_operation.h"

#include "map/data.h"

namespace shoal::partition {
namespace {

using Value = std::optional<std::string>;

KeyOutcome with_value(Value value) { return KeyOutcome{std::move(value), false}; }
KeyOutcome with_flag(bool flag) { return KeyOutcome{std::nullopt, flag}; }

// Reads leave a never-written map uncreated; writes create it.
KeyOutcome read(const KeyOperation& op, map::PartitionStore& partition, std::string_view key,
                std::int64_t now) {
    map::RecordStore* store = partition.find(op.map);
    if (op.type == KeyOpType::kGet) return with_value(store ? store->get(key, now) : std::nullopt);
    return with_flag(store != nullptr && store->contains_key(key, now));
}

KeyOutcome write_existing(const KeyOperation& op, map::RecordStore* store, std::string_view key,
                          std::int64_t now) {
    switch (op.type) {
        case KeyOpType::kReplace: return with_value(store ? store->replace(key, op.value, now) : std::nullopt);
        case KeyOpType::kReplaceIfSame:
            return with_flag(store && store->replace_if_same(key, op.expected, op.value, now));
        case KeyOpType::kRemove: return with_value(store ? store->remove(key, now) : std::nullopt);
        case KeyOpType::kRemoveIfSame: return with_flag(store && store->remove_if_same(key, op.expected, now));
        case KeyOpType::kDelete: return with_flag(store && store->erase(key, now));
        case KeyOpType::kSetTtl: return with_flag(store && store->set_ttl(key, op.ttl_ms, now));
        default: return {};
    }
}

KeyOutcome lock_call(const KeyOperation& op, map::LockTable& locks, std::string_view key, std::int64_t now) {
    switch (op.type) {
        case KeyOpType::kLock: return with_flag(locks.try_lock(op.map, key, op.lock_owner, op.ttl_ms, now));
        case KeyOpType::kUnlock:
            return with_flag(locks.unlock(op.map, key, op.lock_owner, now) != map::LockTable::Unlock::kNotOwner);
        case KeyOpType::kIsLocked: return with_flag(locks.is_locked(op.map, key, now));
        case KeyOpType::kForceUnlock: return with_flag(locks.force_unlock(op.map, key, now));
        default: return {};
    }
}

}  // namespace

OpType KeyOperation::stats_type() const {
    switch (type) {
        case KeyOpType::kGet: return OpType::kGet;
        case KeyOpType::kContainsKey: return OpType::kContainsKey;
        case KeyOpType::kPut: return OpType::kPut;
        case KeyOpType::kSet: return OpType::kSet;
        case KeyOpType::kPutIfAbsent: return OpType::kPutIfAbsent;
        case KeyOpType::kReplace: return OpType::kReplace;
        case KeyOpType::kReplaceIfSame: return OpType::kReplaceIfSame;
        case KeyOpType::kRemove: return OpType::kRemove;
        case KeyOpType::kRemoveIfSame: return OpType::kRemoveIfSame;
        case KeyOpType::kDelete: return OpType::kDelete;
        case KeyOpType::kSetTtl: return OpType::kSetTtl;
        case KeyOpType::kLock:
        case KeyOpType::kUnlock:
        case KeyOpType::kIsLocked:
        case KeyOpType::kForceUnlock: return OpType::kLock;
        case KeyOpType::kCount: break;
    }
    return OpType::kGet;
}

KeyOutcome execute(const KeyOperation& op, map::PartitionStore& partition, std::int64_t now) {
    const std::string_view key = map::key_identity(op.key);
    if (op.is_lock()) return lock_call(op, partition.locks(), key, now);
    switch (op.type) {
        case KeyOpType::kGet:
        case KeyOpType::kContainsKey: return read(op, partition, key, now);
        case KeyOpType::kPut: return with_value(partition.get_or_create(op.map).put(key, op.value, op.limits, now));
        case KeyOpType::kSet:
            partition.get_or_create(op.map).set(key, op.value, op.limits, now);
            return with_flag(true);
        case KeyOpType::kPutIfAbsent:
            return with_value(partition.get_or_create(op.map).put_if_absent(key, op.value, op.limits, now));
        default: return write_existing(op, partition.find(op.map), key, now);
    }
}

void encode(util::ByteWriter& out, const KeyOperation& op) {
    out.u8(static_cast<std::uint8_t>(op.type));
    out.str(op.map);
    out.str(op.key);
    out.str(op.value);
    out.str(op.expected);
    out.i64(op.limits.ttl_ms);
    out.i64(op.limits.max_idle_ms);
    out.i64(op.ttl_ms);
    out.str(op.lock_owner);
    out.u8(static_cast<std::uint8_t>((op.lock_aware ? 1 : 0) | (op.eviction ? 2 : 0)));
}

KeyOperation decode_key_operation(util::ByteReader& in) {
    KeyOperation op;
    const std::uint8_t type = in.u8("operation type");
    if (type >= static_cast<std::uint8_t>(KeyOpType::kCount)) {
        throw util::DecodeError("unknown key operation type " + std::to_string(type));
    }
    op.type = static_cast<KeyOpType>(type);
    op.map = in.str("map name");
    op.key = in.str("key");
    if (!map::is_valid_data(op.key)) throw util::DecodeError("key is not a Data (shorter than its header)");
    op.value = in.str("value");
    op.expected = in.str("expected value");
    op.limits.ttl_ms = in.i64("ttl");
    op.limits.max_idle_ms = in.i64("max idle");
    op.ttl_ms = in.i64("set-ttl");
    op.lock_owner = in.str("lock owner");
    const std::uint8_t flags = in.u8("operation flags");
    op.lock_aware = (flags & 1) != 0;
    op.eviction = (flags & 2) != 0;
    return op;
}

void encode(util::ByteWriter& out, const KeyOutcome& outcome) {
    out.boolean(outcome.value.has_value());
    if (outcome.value) out.str(*outcome.value);
    out.boolean(outcome.flag);
}

KeyOutcome decode_key_outcome(util::ByteReader& in) {
    KeyOutcome outcome;
    if (in.boolean("has value")) outcome.value = in.str("value");
    outcome.flag = in.boolean("flag");
    return outcome;
}

}  // namespace shoal::partition
