// OperationStats: counts and latencies of map operations, one set per partition thread.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "util/latency_histogram.h"

namespace shoal::partition {

enum class OpType : std::uint8_t {
    kGet, kPut, kSet, kRemove, kDelete, kPutIfAbsent, kReplace, kReplaceIfSame, kRemoveIfSame,
    kContainsKey, kContainsValue, kSize, kClear, kKeySet, kValues, kEntrySet, kGetAll, kPutAll,
    kSetTtl, kEvict, kLock,
    kCount  // number of types, not a type
};

constexpr std::size_t kOpTypeCount = static_cast<std::size_t>(OpType::kCount);

// The lower-case name used in metrics labels ("put_if_absent").
std::string_view op_type_name(OpType type);

struct OperationStats {
    std::array<util::LatencyHistogram, kOpTypeCount> latency{};

    void record(OpType type, std::int64_t nanos) { latency[static_cast<std::size_t>(type)].record(nanos); }
    void merge(const OperationStats& other) {
        for (std::size_t i = 0; i < kOpTypeCount; ++i) latency[i].merge(other.latency[i]);
    }
};

}  // namespace shoal::partition
