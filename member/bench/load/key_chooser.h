// KeyChooser: which key index (0..count-1) the next operation uses.
//
// Uniform, or Zipf with exponent theta (0.99 by default, as YCSB): rank r (1-based) has
// probability proportional to 1/r^theta and maps to key r-1. Zipf sampling is O(1) per draw with
// no table: Hörmann and Derflinger's rejection-inversion (as Apache Commons' ZipfSampler), which
// accepts more than 90% of candidates for these parameters.
#pragma once

#include <cstdint>

namespace shoal::bench {

// xoshiro256** seeded by splitmix64: fast, good enough for load generation.
class Random {
public:
    explicit Random(std::uint64_t seed);
    std::uint64_t next();
    // Uniform in [0, 1).
    double next_double() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform in [0, bound).
    std::uint64_t below(std::uint64_t bound) {
        return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * bound) >> 64);
    }

private:
    std::uint64_t s_[4];
};

enum class Distribution { kUniform, kZipf };

class KeyChooser {
public:
    KeyChooser(Distribution distribution, std::uint64_t count, double theta = 0.99);
    std::uint64_t next(Random& random) const;
    std::uint64_t count() const { return count_; }
    Distribution distribution() const { return distribution_; }

private:
    double h(double x) const;
    double h_integral(double x) const;
    double h_integral_inverse(double x) const;

    Distribution distribution_;
    std::uint64_t count_;
    double theta_;
    double h_integral_x1_ = 0;
    double h_integral_n_ = 0;
    double s_ = 0;
};

}  // namespace shoal::bench
