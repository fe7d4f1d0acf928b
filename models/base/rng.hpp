#pragma once
// Portable random streams. Every random entity of a run (a producer, a handler, an error model)
// draws from its own stream, derived from (scenario seed, replication, entity name), so adding
// an entity never shifts the numbers another one sees. The generator is xoshiro256** seeded
// through splitmix64; the transforms to uniform/exponential/normal are ours, so results are
// the same with any standard library (std::*_distribution is not: its algorithms are
// implementation-defined).
#include <cmath>
#include <cstdint>
#include <string_view>

namespace shardsim {

class Rng {
public:
  Rng(std::uint64_t seed, std::uint64_t replication, std::string_view entity);
  explicit Rng(std::uint64_t state_seed);

  std::uint64_t next_u64() {
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
  // Uniform in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe to take the logarithm of.
  double uniform01_open_low() { return 1.0 - uniform01(); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform01(); }
  // Uniform integer in [0, n) without modulo bias (Lemire's method). n > 0. Inline: the
  // producers draw one or two per record; the rare rejection loop stays out of line.
  std::uint64_t below(std::uint64_t n) {
    const unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * n;
    if (static_cast<std::uint64_t>(m) < n) return below_rejecting(n, m);
    return static_cast<std::uint64_t>(m >> 64);
  }
  double exponential(double mean) { return -mean * std::log(uniform01_open_low()); }
  // Standard normal (Box–Muller, one value per call).
  double standard_normal();

private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t below_rejecting(std::uint64_t n, unsigned __int128 m);
  std::uint64_t s_[4];
};

// A hash of one 64-bit value (splitmix64's step): draws tied to an identity rather than to a
// stream, such as whether a stored record carries an attribute.
inline std::uint64_t mix64(std::uint64_t x) {
  std::uint64_t z = x + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// 64-bit FNV-1a, used to fold entity names into seeds.
std::uint64_t fnv1a64(std::string_view text);

}  // namespace shardsim
