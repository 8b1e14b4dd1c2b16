#include "key_chooser.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace shoal::bench {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// log(1+x)/x and (exp(x)-1)/x, accurate near 0.
double helper1(double x) { return std::abs(x) > 1e-8 ? std::log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x)); }
double helper2(double x) { return std::abs(x) > 1e-8 ? std::expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x)); }

}  // namespace

Random::Random(std::uint64_t seed) {
    for (auto& s : s_) s = splitmix64(seed);
}

std::uint64_t Random::next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

KeyChooser::KeyChooser(Distribution distribution, std::uint64_t count, double theta)
    : distribution_(distribution), count_(count), theta_(theta) {
    if (count == 0) throw std::invalid_argument("key count must be positive");
    if (distribution == Distribution::kZipf) {
        if (!(theta > 0)) throw std::invalid_argument("zipf exponent must be positive");
        h_integral_x1_ = h_integral(1.5) - 1.0;
        h_integral_n_ = h_integral(static_cast<double>(count) + 0.5);
        s_ = 2.0 - h_integral_inverse(h_integral(2.5) - h(2.0));
    }
}

// h(x) = x^-theta; H(x) = the integral of h from 1 to x (in a form stable for theta near 1).
double KeyChooser::h(double x) const { return std::exp(-theta_ * std::log(x)); }
double KeyChooser::h_integral(double x) const {
    const double log_x = std::log(x);
    return helper2((1.0 - theta_) * log_x) * log_x;
}
double KeyChooser::h_integral_inverse(double x) const {
    double t = x * (1.0 - theta_);
    if (t < -1.0) t = -1.0;  // rounding near the lower end
    return std::exp(helper1(t) * x);
}

std::uint64_t KeyChooser::next(Random& random) const {
    if (distribution_ == Distribution::kUniform) return random.below(count_);
    const double n = static_cast<double>(count_);
    for (;;) {
        const double u = h_integral_n_ + random.next_double() * (h_integral_x1_ - h_integral_n_);
        const double x = h_integral_inverse(u);
        double k = std::floor(x + 0.5);
        k = std::clamp(k, 1.0, n);
        if (k - x <= s_ || u >= h_integral(k + 0.5) - h(k)) return static_cast<std::uint64_t>(k) - 1;
    }
}

}  // namespace shoal::bench
