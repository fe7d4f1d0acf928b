#pragma once
// Portable random streams. Every random entity of a run (a producer, a handler, an error model)
// draws from its own stream, derived from (scenario seed, replication, entity name), so adding
// an entity never shifts the numbers another one sees. The generator is xoshiro256** seeded
// through splitmix64; the transforms to uniform/exponential/normal are ours, so results are
// the same with any standard library (std::*_distribution is not: its algorithms are
// implementation-defined).
#include <cstdint>
#include <string_view>

namespace shardsim {

class Rng {
public:
  Rng(std::uint64_t seed, std::uint64_t replication, std::string_view entity);
  explicit Rng(std::uint64_t state_seed);

  std::uint64_t next_u64();
  // Uniform in [0, 1) with 53 random bits.
  double uniform01();
  // Uniform in (0, 1]: safe to take the logarithm of.
  double uniform01_open_low() { return 1.0 - uniform01(); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform01(); }
  // Uniform integer in [0, n) without modulo bias (Lemire's method). n > 0.
  std::uint64_t below(std::uint64_t n);
  double exponential(double mean);
  // Standard normal (Box–Muller, one value per call).
  double standard_normal();

private:
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
