// RecordTable: an open-addressing hash table of Record pointers (linear probing, no tombstones).
//
// Each slot is 8 bytes: the pointer in the low 48 bits and 16 bits of the key's hash above it,
// so a probe rarely touches a record that cannot match. Deletion shifts later entries back
// (backward-shift deletion), keeping probe runs short without tombstones. Tables are per map and
// per partition, so they stay small and a resize never stalls for long.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "map/record.h"

namespace shoal::map {

class RecordTable {
public:
    static constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

    RecordTable() = default;
    RecordTable(const RecordTable&) = delete;
    RecordTable& operator=(const RecordTable&) = delete;
    ~RecordTable();

    std::size_t size() const { return size_; }
    std::size_t capacity() const { return slots_.size(); }
    // Bytes of the slot array itself (records are counted by their owner).
    std::size_t table_bytes() const { return slots_.capacity() * sizeof(std::uintptr_t); }

    // The slot holding `key`, or kNotFound.
    std::size_t find(std::uint32_t hash, std::string_view key) const;
    // Starts loading the slots where find(hash, ...) begins, so a caller with several keys in
    // hand (a replay's batch of records) overlaps their cache misses instead of taking each in turn.
    void prefetch(std::uint32_t hash) const {
        if (!slots_.empty()) __builtin_prefetch(&slots_[home_of(hash)]);
    }
    // After prefetch(hash) has had time to land: starts loading the record in the home slot when
    // its tag matches (the usual place of a key present in the table).
    void prefetch_record(std::uint32_t hash) const {
        if (slots_.empty()) return;
        const std::uintptr_t slot = slots_[home_of(hash)];
        if (slot != 0 && (slot & ~kPointerMask) == tag_of(hash)) __builtin_prefetch(pointer_of(slot));
    }
    Record* at(std::size_t slot) const { return pointer_of(slots_[slot]); }

    // Inserts a record whose key is not present.
    void insert(Record* record);
    // Puts `record` into `slot` in place of the record there (same key).
    void replace(std::size_t slot, Record* record) { slots_[slot] = encode(record); }
    // Removes the record at `slot` without freeing it; later records may move into `slot`.
    void erase(std::size_t slot);
    // Frees every record.
    void clear();

    // Slots are iterated by index; empty slots return null. Erasing at index i while iterating
    // may move a later record into i, so callers re-check i after an erase.
    std::size_t slot_count() const { return slots_.size(); }

private:
    static constexpr std::uintptr_t kPointerMask = (std::uintptr_t{1} << 48) - 1;

    static std::uintptr_t tag_of(std::uint32_t hash) { return std::uintptr_t(hash >> 16) << 48; }
    static std::uintptr_t encode(Record* r) {
        return reinterpret_cast<std::uintptr_t>(r) | tag_of(r->hash());
    }
    static Record* pointer_of(std::uintptr_t slot) {
        return reinterpret_cast<Record*>(slot & kPointerMask);
    }
    std::size_t home_of(std::uint32_t hash) const {
        // Fibonacci hashing spreads hashes that differ only in high bits.
        return static_cast<std::size_t>((std::uint64_t(hash) * 0x9E3779B97F4A7C15ull) >> shift_);
    }
    void grow();

    std::vector<std::uintptr_t> slots_;
    std::size_t size_ = 0;
    int shift_ = 64;
};

}  // namespace shoal::map
