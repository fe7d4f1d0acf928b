#include "analysis/read_limits.hpp"

#include <cmath>
#include <cstdio>

#include "models/base/number_format.hpp"

namespace shardsim {
namespace {
std::size_t index(ReadLimit limit) { return static_cast<std::size_t>(limit); }

// Kinesis developer guide, "Quotas and limits"; DynamoDB developer guide, "DynamoDB Streams".
const char* what_it_is(ReadLimit limit) {
  switch (limit) {
    case ReadLimit::call_rate: return "the shard's GetRecords call rate (5 calls/s, shared by its polling consumers)";
    case ReadLimit::byte_rate:
      return "the shard's read byte rate (2 MiB/s, shared by its polling consumers; an enhanced fan-out consumer's own)";
    case ReadLimit::readers: return "DynamoDB Streams' readers per shard (their calls shared by every trigger of the shard)";
  }
  return "";
}

const char* what_helps(ReadLimit limit) {
  switch (limit) {
    case ReadLimit::call_rate: return "fewer polling consumers per shard, enhanced fan-out, or more shards";
    case ReadLimit::byte_rate: return "enhanced fan-out (2 MiB/s per consumer and shard) or more shards";
    case ReadLimit::readers: return "fewer triggers on the table, or one that fans the records out";
  }
  return "";
}
}  // namespace

const char* read_limit_name(ReadLimit limit) {
  switch (limit) {
    case ReadLimit::call_rate: return "call_rate";
    case ReadLimit::byte_rate: return "byte_rate";
    case ReadLimit::readers: return "readers";
  }
  return "";
}

std::uint64_t calls_wanted(const ConsumerCounts& counts, ReadLimit limit) {
  return static_cast<std::uint64_t>(std::floor(counts.read_calls_wanted[index(limit)] + 1e-6));
}

std::string read_waits_text(const ConsumerCounts& counts) {
  std::string text;
  for (ReadLimit limit : kReadLimits) {
    const std::size_t i = index(limit);
    if (counts.read_waits[i] == 0) continue;
    static const char* const shown[] = {"call rate", "byte rate", "readers' share"};
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, "%s%.1f s on the %s (%s calls)", text.empty() ? "" : "; ", counts.read_wait_s[i],
                  shown[i], format_number(static_cast<double>(counts.read_waits[i])).c_str());
    text += buffer;
  }
  return text;
}

std::string read_limit_warning(const std::string& consumer, const ConsumerCounts& counts, double reading_s) {
  if (reading_s <= 0) return "";
  for (ReadLimit limit : kReadLimits) {
    const double wait = counts.read_wait_s[index(limit)];
    if (wait < kBindingShare * reading_s) continue;
    char buffer[512];
    std::snprintf(buffer, sizeof buffer,
                  "%s: its readers waited %.1f s (%.0f %% of their reading time) on %s: that limit bound the run "
                  "(throttles.read_held; what helps: %s)",
                  consumer.c_str(), wait, 100 * wait / reading_s, what_it_is(limit), what_helps(limit));
    return buffer;
  }
  return "";
}

}  // namespace shardsim
