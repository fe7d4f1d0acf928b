#include "models/base/rng.hpp"

#include <cmath>

namespace shardsim {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  const std::uint64_t z = mix64(x);
  x += 0x9e3779b97f4a7c15ULL;
  return z;
}

}  // namespace

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

Rng::Rng(std::uint64_t state_seed) {
  std::uint64_t x = state_seed;
  for (auto& word : s_) word = splitmix64(x);
}

Rng::Rng(std::uint64_t seed, std::uint64_t replication, std::string_view entity)
    : Rng(seed ^ rotl(replication * 0xd1b54a32d192ed03ULL, 17) ^ rotl(fnv1a64(entity), 31)) {}

std::uint64_t Rng::below_rejecting(std::uint64_t n, unsigned __int128 m) {
  auto low = static_cast<std::uint64_t>(m);
  const std::uint64_t threshold = (0 - n) % n;
  while (low < threshold) {
    m = static_cast<unsigned __int128>(next_u64()) * n;
    low = static_cast<std::uint64_t>(m);
  }
  return static_cast<std::uint64_t>(m >> 64);
}

double Rng::standard_normal() {
  const double u1 = uniform01_open_low();
  const double u2 = uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

}  // namespace shardsim
