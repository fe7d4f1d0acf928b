#include "sim/scenario/static_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "models/base/number_format.hpp"
#include "models/kinesis/kinesis_limits.hpp"
#include "models/sqs/sqs.hpp"
#include "sim/scenario/scenario_kind.hpp"

namespace shardsim {

// The arrival rate's factor over [0, duration): its time-average and its highest value.
std::pair<double, double> rate_factor(const ArrivalSpec& a, double duration) {
  switch (a.type) {
    case ArrivalSpec::Type::on_off: return {a.on_s / (a.on_s + a.off_s), 1.0};
    case ArrivalSpec::Type::schedule: {
      double area = 0, peak = 0;
      for (std::size_t i = 0; i < a.points.size(); ++i) {
        const double from = std::min(a.points[i].at_s, duration);
        const double to = i + 1 < a.points.size() ? std::min(a.points[i + 1].at_s, duration) : duration;
        const double next = i + 1 < a.points.size() ? a.points[i + 1].factor : a.points[i].factor;
        const double mean = a.shape == ArrivalSpec::Shape::linear ? (a.points[i].factor + next) / 2 : a.points[i].factor;
        area += mean * std::max(0.0, to - from);
        if (from < duration) peak = std::max(peak, a.points[i].factor);
      }
      return {duration > 0 ? area / duration : 0, peak};
    }
    default: return {1.0, 1.0};
  }
}

std::int64_t whole_count(double x) {
  constexpr double kMax = 9.2e18;
  return x < kMax ? static_cast<std::int64_t>(std::max(0.0, x)) : static_cast<std::int64_t>(kMax);
}

StaticEstimate static_estimate(const Scenario& s) {
  StaticEstimate e;
  for (const auto& p : s.producers) {
    if (p.arrival.type == ArrivalSpec::Type::trace) {
      e.from_trace = true;
      continue;
    }
    const auto [mean, peak] = rate_factor(p.arrival, s.duration_s);
    e.records_per_s_mean += p.rate_per_s * mean;
    e.records_per_s_peak += p.rate_per_s * peak;
    e.bytes_per_s_peak += p.rate_per_s * peak * (p.record_bytes.expected() + 10);
  }
  e.shards_for_writes = whole_count(std::max(std::ceil(e.records_per_s_peak / kinesis::kWriteRecordsPerShardPerS - 1e-9),
                                      std::ceil(e.bytes_per_s_peak / kinesis::kWriteBytesPerShardPerS - 1e-9)));
  e.shards = s.stream.shards;
  if (!s.consumers.empty()) {
    const ConsumerConfig& c = s.consumers.front();
    e.parallelization_factor = c.mapping.parallelization_factor;
    e.batch_size = c.mapping.batch_size;
    const auto f = s.functions.find(c.function);
    if (f != s.functions.end())
      e.littles_law_concurrency =
          e.records_per_s_mean * (f->second.duration.per_invocation.expected() / static_cast<double>(c.mapping.batch_size) +
                                  f->second.duration.per_record.expected());
  }
  e.concurrency_bound = e.shards * e.parallelization_factor;
  scenario_stream_kind(s.stream.type).estimate(s, e);
  return e;
}

nlohmann::ordered_json StaticEstimate::json() const {
  return {{"records_per_s_mean", records_per_s_mean},
          {"records_per_s_peak", records_per_s_peak},
          {"bytes_per_s_peak", bytes_per_s_peak},
          {"shards_for_writes", shards_for_writes},
          {"shards", shards},
          {"parallelization_factor", parallelization_factor},
          {"concurrency_bound", concurrency_bound},
          {"littles_law_concurrency", littles_law_concurrency},
          {"from_trace", from_trace}};
}

std::string StaticEstimate::text() const {
  char buffer[640];
  if (queue) {
    const std::string sends = queue_send_limit > 0 ? "the FIFO queue takes " + format_number(queue_send_limit) + " messages/s"
                                                   : "a standard queue takes any rate";
    std::snprintf(buffer, sizeof buffer,
                  "  sends: %.0f messages/s at peak (%.0f on average); %s\n"
                  "  concurrency: bound %lld batches (the mapping's maximum concurrency); Little's law %.1f on average "
                  "(%.0f messages/s × the handler's mean time per message with full batches of %lld)\n",
                  records_per_s_peak, records_per_s_mean, sends.c_str(), static_cast<long long>(concurrency_bound),
                  littles_law_concurrency, records_per_s_mean, static_cast<long long>(batch_size));
    return std::string(buffer) + (from_trace ? "  (a producer replays a trace: its records are not in these figures)\n" : "");
  }
  std::snprintf(buffer, sizeof buffer,
                table ? "  writes: %.0f items/s at peak (%.0f on average), %.2f MB/s → at least %lld partitions (1,000 "
                        "write units/s each)\n"
                      : "  writes: %.0f records/s at peak (%.0f on average), %.2f MB/s → at least %lld shards (1,000 "
                        "records/s, 1 MiB/s each)\n"
                "  concurrency: bound %lld shards × PF %lld = %lld; Little's law %.1f on average (%.0f records/s × "
                "the handler's mean time per record with full batches of %lld)\n",
                records_per_s_peak, records_per_s_mean, bytes_per_s_peak / 1e6, static_cast<long long>(shards_for_writes),
                static_cast<long long>(shards), static_cast<long long>(parallelization_factor),
                static_cast<long long>(concurrency_bound), littles_law_concurrency, records_per_s_mean,
                static_cast<long long>(batch_size));
  std::string out = buffer;
  if (from_trace) out += "  (a producer replays a trace: its records are not in these figures)\n";
  return out;
}

std::int64_t queue_batches(const ConsumerConfig& c) {
  if (c.mapping.pollers.mode == ConsumerConfig::Mapping::Pollers::Mode::provisioned)
    return std::min(c.mapping.pollers.maximum * sqs::kProvisionedBatchesPerPoller, sqs::kProvisionedMaxBatches);
  return c.mapping.maximum_concurrency > 0 ? c.mapping.maximum_concurrency : sqs::kLambdaMaxBatches;
}

}  // namespace shardsim
