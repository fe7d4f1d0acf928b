#include "sim/run/stream_kind.hpp"

#include <cstdio>

#include "models/base/number_format.hpp"
#include "models/kinesis/kinesis_limits.hpp"

namespace shardsim {

ReadLimits StreamKind::get_records_limits() const {
  return {kinesis::kMaxRecordsPerGetRecords, kinesis::kMaxBytesPerGetRecords};
}

CallShare StreamKind::call_share(const Scenario& s) const {
  const auto polling = static_cast<double>(polling_consumers(s));
  if (polling > kinesis::kGetRecordsCallsPerShardPerS) return {kinesis::kGetRecordsCallsPerShardPerS / polling, ReadLimit::call_rate};
  return {};
}

std::size_t StreamKind::shards_ever(const RunParts& parts) const {
  // Those the scheduled changes open.
  return parts.stream.shard_count_after_changes();
}

void StreamKind::start_consumers(RunParts& parts, simgrid::s4u::Host* host) {
  for (std::size_t c = 0; c < parts.scenario.consumers.size(); ++c)
    for (std::size_t s = 0; s < parts.stream.shard_count(); ++s) parts.start_reader(host, c, s);
}

void StreamKind::report(const RunParts&, RunResult& r) const {
  r.shard_changes_summary = {"reshards", format_number(static_cast<double>(r.stream.splits)) + " splits, " +
                                             format_number(static_cast<double>(r.stream.merges)) + " merges"};
}

std::string StreamKind::growing_age_warning(double early_s, double late_s, const RunResult&) const {
  char text[320];
  std::snprintf(text, sizeof text,
                "iterator age grew from %.1f s to %.1f s while records were produced: the consumers fall behind "
                "(under-provisioned: more shards, a larger PF or batch, or a faster handler)",
                early_s, late_s);
  return text;
}

}  // namespace shardsim
