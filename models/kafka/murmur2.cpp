#include "models/kafka/murmur2.hpp"

namespace shardsim::kafka {

std::int32_t murmur2(std::string_view bytes) {
  // MurmurHash2 (Austin Appleby), 32 bits, over little-endian 4-byte words, as Kafka's client
  // computes it; unsigned arithmetic wraps as Java's int does.
  constexpr std::uint32_t seed = 0x9747b28cu, m = 0x5bd1e995u;
  constexpr int r = 24;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t length = bytes.size();
  std::uint32_t h = seed ^ static_cast<std::uint32_t>(length);
  const std::size_t words = length / 4;
  for (std::size_t i = 0; i < words; ++i) {
    const unsigned char* w = data + 4 * i;
    std::uint32_t k = w[0] | (std::uint32_t{w[1]} << 8) | (std::uint32_t{w[2]} << 16) | (std::uint32_t{w[3]} << 24);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  const unsigned char* tail = data + 4 * words;
  switch (length % 4) {
    case 3: h ^= std::uint32_t{tail[2]} << 16; [[fallthrough]];
    case 2: h ^= std::uint32_t{tail[1]} << 8; [[fallthrough]];
    case 1:
      h ^= tail[0];
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<std::int32_t>(h);
}

}  // namespace shardsim::kafka
