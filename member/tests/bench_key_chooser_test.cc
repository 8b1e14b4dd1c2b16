// shoal-bench's key chooser: uniform and Zipf(0.99) draws stay in range and follow their laws.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "key_chooser.h"
#include "value_source.h"

namespace shoal::bench {
namespace {

TEST(BenchKeyChooser, UniformCoversTheRangeEvenly) {
    KeyChooser keys(Distribution::kUniform, 10);
    Random random(7);
    std::vector<int> counts(10);
    for (int i = 0; i < 100'000; ++i) {
        const auto k = keys.next(random);
        ASSERT_LT(k, 10u);
        ++counts[k];
    }
    for (int c : counts) EXPECT_NEAR(c, 10'000, 500);
}

// P(rank r) = r^-theta / H(n, theta).
TEST(BenchKeyChooser, ZipfFollowsItsLaw) {
    const std::uint64_t n = 1000;
    const double theta = 0.99;
    KeyChooser keys(Distribution::kZipf, n, theta);
    Random random(3);
    std::vector<int> counts(n);
    const int draws = 1'000'000;
    for (int i = 0; i < draws; ++i) {
        const auto k = keys.next(random);
        ASSERT_LT(k, n);
        ++counts[k];
    }
    double harmonic = 0;
    for (std::uint64_t r = 1; r <= n; ++r) harmonic += std::pow(static_cast<double>(r), -theta);
    for (std::uint64_t r : {1u, 2u, 3u, 10u, 100u}) {
        const double expected = draws * std::pow(static_cast<double>(r), -theta) / harmonic;
        EXPECT_NEAR(counts[r - 1], expected, 5 * std::sqrt(expected) + expected * 0.02) << "rank " << r;
    }
    // The hottest key of a million-key Zipf(0.99) set gets 6.5% of the draws (1 / H(10^6, 0.99)).
    KeyChooser big(Distribution::kZipf, 1'000'000, theta);
    int first = 0;
    for (int i = 0; i < 200'000; ++i) first += big.next(random) == 0;
    EXPECT_NEAR(first / 200'000.0, 0.06497, 0.003);
}

TEST(BenchKeyChooser, ZipfOfOneKeyAlwaysDrawsIt) {
    KeyChooser keys(Distribution::kZipf, 1);
    Random random(1);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(keys.next(random), 0u);
}

TEST(BenchKeyChooser, RejectsAnEmptyKeySet) {
    EXPECT_THROW(KeyChooser(Distribution::kUniform, 0), std::invalid_argument);
}

TEST(BenchValueSource, KeysAndValuesHaveTheirSizes) {
    EXPECT_EQ(key_name(42), "key:0000000042");
    EXPECT_EQ(key_name(9'999'999'999ULL), "key:9999999999");
    ValueSource values(100);
    EXPECT_EQ(values.value_for(0).size(), 100u);
    EXPECT_NE(values.value_for(0), values.value_for(1));
}

}  // namespace
}  // namespace shoal::bench
