// LatencyHistogram: fixed buckets for Prometheus, written by one thread, merged by a reader.
//
// Buckets are the upper bounds in kBoundsNanos plus +Inf. Not thread-safe: each partition thread
// owns its own and the metrics handler merges copies gathered on those threads.
#pragma once

#include <array>
#include <cstdint>

namespace shoal::util {

class LatencyHistogram {
public:
    static constexpr std::array<std::int64_t, 14> kBoundsNanos = {
        10'000,     25'000,     50'000,      100'000,     250'000,     500'000,     1'000'000,
        2'500'000,  5'000'000,  10'000'000,  25'000'000,  100'000'000, 500'000'000, 1'000'000'000};
    static constexpr std::size_t kBucketCount = kBoundsNanos.size() + 1;  // + Inf

    void record(std::int64_t nanos) {
        std::size_t i = 0;
        while (i < kBoundsNanos.size() && nanos > kBoundsNanos[i]) ++i;
        ++buckets_[i];
        ++count_;
        sum_nanos_ += nanos < 0 ? 0 : static_cast<std::uint64_t>(nanos);
    }

    void merge(const LatencyHistogram& other) {
        for (std::size_t i = 0; i < kBucketCount; ++i) buckets_[i] += other.buckets_[i];
        count_ += other.count_;
        sum_nanos_ += other.sum_nanos_;
    }

    std::uint64_t count() const { return count_; }
    std::uint64_t sum_nanos() const { return sum_nanos_; }
    // Non-cumulative count of bucket i (i == kBoundsNanos.size() is +Inf).
    std::uint64_t bucket(std::size_t i) const { return buckets_[i]; }

private:
    std::array<std::uint64_t, kBucketCount> buckets_{};
    std::uint64_t count_ = 0;
    std::uint64_t sum_nanos_ = 0;
};

}  // namespace shoal::util
