#include "latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace shoal::bench {

void LatencyHistogram::merge(const LatencyHistogram& other) {
    for (std::size_t i = 0; i < kBucketCount; ++i) buckets_[i] += other.buckets_[i];
    count_ += other.count_;
    sum_ += other.sum_;
    max_ = std::max(max_, other.max_);
    min_ = std::min(min_, other.min_);
}

std::uint64_t LatencyHistogram::lowest_of(std::size_t i) {
    if (i < kSubCount) return i;
    const std::size_t group = i / kSubCount;  // >= 1
    const std::uint64_t sub = i % kSubCount;
    const int e = static_cast<int>(group) + kSubBits - 1;
    return (std::uint64_t{1} << e) + (sub << (e - kSubBits));
}

std::uint64_t LatencyHistogram::width_of(std::size_t i) {
    if (i < kSubCount) return 1;
    const int e = static_cast<int>(i / kSubCount) + kSubBits - 1;
    return std::uint64_t{1} << (e - kSubBits);
}

std::uint64_t LatencyHistogram::quantile(double q) const {
    if (count_ == 0) return 0;
    if (q >= 1.0) return max_;
    q = std::max(q, 0.0);
    // The rank of the wanted value, 1-based: the smallest rank whose share reaches q.
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBucketCount; ++i) {
        seen += buckets_[i];
        if (seen >= rank) {
            const std::uint64_t mid = lowest_of(i) + (width_of(i) - 1) / 2;
            return std::clamp(mid, min_, max_);
        }
    }
    return max_;
}

}  // namespace shoal::bench
