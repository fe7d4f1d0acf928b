#include "models/core/hash_key.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <stdexcept>

namespace shardsim {
namespace {

// The MD5 implementation is looked up once per process, not per key.
const EVP_MD* md5() {
  static const std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md(EVP_MD_fetch(nullptr, "MD5", nullptr),
                                                                  &EVP_MD_free);
  if (!md) throw std::runtime_error("OpenSSL does not provide MD5");
  return md.get();
}

// One digest context per thread, reset for each key (EVP_Digest would allocate a new one per call).
EVP_MD_CTX* md5_context() {
  static thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                                           &EVP_MD_CTX_free);
  if (!context) throw std::runtime_error("OpenSSL could not make a digest context");
  return context.get();
}

}  // namespace

HashKey md5_hash_key(std::string_view partition_key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_MD_CTX* context = md5_context();
  if (EVP_DigestInit_ex(context, md5(), nullptr) != 1 ||
      EVP_DigestUpdate(context, partition_key.data(), partition_key.size()) != 1 ||
      EVP_DigestFinal_ex(context, digest, &length) != 1 || length != 16)
    throw std::runtime_error("MD5 digest failed");
  HashKey value = 0;
  for (unsigned i = 0; i < 16; ++i) value = (value << 8) | digest[i];
  return value;
}

std::string to_decimal(HashKey value) {
  if (value == 0) return "0";
  std::string digits;
  while (value != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::optional<HashKey> parse_decimal_hash_key(std::string_view text) {
  if (text.empty() || text.size() > 39) return std::nullopt;
  HashKey value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<unsigned>(c - '0');
    if (value > (kMaxHashKey - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::vector<HashKeyRange> even_hash_key_layout(std::size_t shards) {
  std::vector<HashKeyRange> ranges(shards);
  if (shards == 0) return ranges;
  // floor(2^128 / n) computed without 2^128: floor((2^128 - 1) / n), plus one when n divides 2^128.
  HashKey width = kMaxHashKey / shards;
  if (kMaxHashKey % shards == shards - 1) width += 1;
  for (std::size_t i = 0; i < shards; ++i) {
    ranges[i].starting_hash_key = width * i;
    ranges[i].ending_hash_key = (i + 1 == shards) ? kMaxHashKey : width * (i + 1) - 1;
  }
  return ranges;
}

std::string shard_id(std::size_t index) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "shardId-%012zu", index);
  return buffer;
}

}  // namespace shardsim
