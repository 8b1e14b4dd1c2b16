// LatencyHistogram: an HDR-style log-linear histogram of latencies in nanoseconds.
//
// Values below 2^kSubBits are counted exactly; above, each power of two is split into
// 2^kSubBits equal buckets, so a bucket is at most 1/128 (< 1%) of its value wide. Fixed size,
// no allocation per record, mergeable (each runner thread keeps its own, the report merges).
#pragma once

#include <array>
#include <cstdint>

namespace shoal::bench {

class LatencyHistogram {
public:
    static constexpr int kSubBits = 7;
    static constexpr std::uint64_t kSubCount = 1u << kSubBits;              // 128
    static constexpr std::size_t kBucketCount = (64 - kSubBits + 1) * kSubCount;

    void record(std::uint64_t nanos) {
        ++buckets_[index_of(nanos)];
        ++count_;
        sum_ += nanos;
        if (nanos > max_) max_ = nanos;
        if (nanos < min_) min_ = nanos;
    }
    void record_signed(std::int64_t nanos) { record(nanos < 0 ? 0 : static_cast<std::uint64_t>(nanos)); }

    void merge(const LatencyHistogram& other);

    std::uint64_t count() const { return count_; }
    std::uint64_t max() const { return count_ ? max_ : 0; }
    std::uint64_t min() const { return count_ ? min_ : 0; }
    double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
    // The value at quantile q (0..1): the midpoint of the bucket holding the q-th value, clamped
    // to [min, max]; quantile(1) is the max. 0 when empty.
    std::uint64_t quantile(double q) const;

    static std::size_t index_of(std::uint64_t v) {
        if (v < kSubCount) return static_cast<std::size_t>(v);
        const int e = 63 - __builtin_clzll(v);  // >= kSubBits
        const std::uint64_t sub = (v >> (e - kSubBits)) & (kSubCount - 1);
        return static_cast<std::size_t>(e - kSubBits + 1) * kSubCount + static_cast<std::size_t>(sub);
    }
    // The smallest value of bucket i, and its width.
    static std::uint64_t lowest_of(std::size_t i);
    static std::uint64_t width_of(std::size_t i);

private:
    std::array<std::uint64_t, kBucketCount> buckets_{};
    std::uint64_t count_ = 0;
    std::uint64_t sum_ = 0;
    std::uint64_t max_ = 0;
    std::uint64_t min_ = UINT64_MAX;
};

}  // namespace shoal::bench
