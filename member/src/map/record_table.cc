#include "map/record_table.h"

namespace shoal::map {
namespace {

constexpr std::size_t kGrowPrefetchDistance = 8;

}  // namespace

RecordTable::~RecordTable() { clear(); }

std::size_t RecordTable::find(std::uint32_t hash, std::string_view key) const {
    if (size_ == 0) return kNotFound;
    const std::size_t mask = slots_.size() - 1;
    const std::uintptr_t tag = tag_of(hash);
    for (std::size_t i = home_of(hash);; i = (i + 1) & mask) {
        const std::uintptr_t slot = slots_[i];
        if (slot == 0) return kNotFound;
        if ((slot & ~kPointerMask) == tag) {
            const Record* r = pointer_of(slot);
            if (r->hash() == hash && r->key_equals(key)) return i;
        }
    }
}

void RecordTable::insert(Record* record) {
    // Keep the load factor at or below 3/4 so probe runs stay short.
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = home_of(record->hash());
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = encode(record);
    ++size_;
}

void RecordTable::erase(std::size_t slot) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t hole = slot;
    // Move back every later entry of the run that would otherwise become unreachable.
    for (std::size_t i = (hole + 1) & mask; slots_[i] != 0; i = (i + 1) & mask) {
        const std::size_t home = home_of(pointer_of(slots_[i])->hash());
        // The entry at i may fill the hole when its home is not cyclically within (hole, i].
        const bool home_after_hole = ((i - home) & mask) < ((i - hole) & mask);
        if (!home_after_hole) {
            slots_[hole] = slots_[i];
            hole = i;
        }
    }
    slots_[hole] = 0;
    --size_;
}

void RecordTable::clear() {
    for (std::uintptr_t& slot : slots_) {
        if (slot != 0) Record::destroy(pointer_of(slot));
        slot = 0;
    }
    size_ = 0;
}

void RecordTable::grow() {
    const std::size_t new_capacity = slots_.empty() ? 8 : slots_.size() * 2;
    std::vector<std::uintptr_t> old = std::move(slots_);
    slots_.assign(new_capacity, 0);
    shift_ = 64 - __builtin_ctzll(new_capacity);
    const std::size_t mask = new_capacity - 1;
    for (std::size_t k = 0; k < old.size(); ++k) {
        // Rehashing reads every record's hash: records lie anywhere in the heap (a replay or a
        // migration interleaves many tables' inserts), so ask for the record a few slots ahead
        // while this one is placed, instead of waiting for each cache miss in turn.
        if (k + kGrowPrefetchDistance < old.size() && old[k + kGrowPrefetchDistance] != 0) {
            __builtin_prefetch(pointer_of(old[k + kGrowPrefetchDistance]));
        }
        const std::uintptr_t slot = old[k];
        if (slot == 0) continue;
        std::size_t i = home_of(pointer_of(slot)->hash());
        while (slots_[i] != 0) i = (i + 1) & mask;
        slots_[i] = slot;
    }
}

}  // namespace shoal::map
