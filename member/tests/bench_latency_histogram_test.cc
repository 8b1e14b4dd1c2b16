// shoal-bench's latency histogram: bucket precision, quantiles, merging.
#include <gtest/gtest.h>

#include <cstdint>

#include "latency_histogram.h"

namespace shoal::bench {
namespace {

TEST(BenchLatencyHistogram, SmallValuesAreExact) {
    LatencyHistogram h;
    for (std::uint64_t v = 0; v < 100; ++v) h.record(v);
    EXPECT_EQ(h.count(), 100u);
    EXPECT_EQ(h.quantile(0.5), 49u);
    EXPECT_EQ(h.quantile(1.0), 99u);
    EXPECT_EQ(h.min(), 0u);
    EXPECT_EQ(h.max(), 99u);
}

TEST(BenchLatencyHistogram, BucketsAreWithinOnePercentOfTheirValues) {
    for (std::uint64_t v : {128ULL, 1000ULL, 12345ULL, 999'999ULL, 1ULL << 40, (1ULL << 63) + 12345}) {
        const std::size_t i = LatencyHistogram::index_of(v);
        ASSERT_LT(i, LatencyHistogram::kBucketCount);
        const std::uint64_t low = LatencyHistogram::lowest_of(i);
        EXPECT_LE(low, v);
        EXPECT_LT(v - low, LatencyHistogram::width_of(i));
        EXPECT_LE(static_cast<double>(LatencyHistogram::width_of(i)) / static_cast<double>(low), 1.0 / 128 + 1e-12) << v;
    }
    EXPECT_LT(LatencyHistogram::index_of(UINT64_MAX), LatencyHistogram::kBucketCount);
}

TEST(BenchLatencyHistogram, BucketsTileTheRange) {
    for (std::size_t i = 1; i < LatencyHistogram::kBucketCount; ++i) {
        EXPECT_EQ(LatencyHistogram::lowest_of(i), LatencyHistogram::lowest_of(i - 1) + LatencyHistogram::width_of(i - 1)) << i;
        EXPECT_EQ(LatencyHistogram::index_of(LatencyHistogram::lowest_of(i)), i);
        if (i == 3000) break;  // far past where widths start doubling
    }
}

TEST(BenchLatencyHistogram, QuantilesOfAUniformSpreadAreWithinOnePercent) {
    LatencyHistogram h;
    for (std::uint64_t v = 1; v <= 100'000; ++v) h.record(v * 1000);  // 1 us .. 100 ms
    for (double q : {0.5, 0.9, 0.99, 0.999}) {
        const double expected = q * 100'000 * 1000;
        EXPECT_NEAR(static_cast<double>(h.quantile(q)), expected, expected * 0.01) << q;
    }
    EXPECT_EQ(h.quantile(1.0), 100'000'000u);
    EXPECT_NEAR(h.mean(), 50'000'500.0, 1.0);
}

TEST(BenchLatencyHistogram, MergeEqualsRecordingEverythingInOne) {
    LatencyHistogram a;
    LatencyHistogram b;
    LatencyHistogram both;
    for (std::uint64_t v = 0; v < 5000; ++v) {
        const std::uint64_t x = v * v * 37 + 11;
        (v % 3 ? a : b).record(x);
        both.record(x);
    }
    a.merge(b);
    EXPECT_EQ(a.count(), both.count());
    EXPECT_EQ(a.max(), both.max());
    EXPECT_EQ(a.min(), both.min());
    for (double q : {0.1, 0.5, 0.99, 0.999}) EXPECT_EQ(a.quantile(q), both.quantile(q));
}

TEST(BenchLatencyHistogram, EmptyAndNegative) {
    LatencyHistogram h;
    EXPECT_EQ(h.quantile(0.99), 0u);
    EXPECT_EQ(h.max(), 0u);
    h.record_signed(-5);
    EXPECT_EQ(h.count(), 1u);
    EXPECT_EQ(h.max(), 0u);
}

}  // namespace
}  // namespace shoal::bench
