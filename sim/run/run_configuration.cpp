#include "sim/run/run.hpp"

#include <cstdio>

#include "sim/run/consumers.hpp"
#include "sim/scenario/scenario_schema.hpp"

// The settings in force, one line per part of the pipeline, for the run's summary.
namespace shardsim {

std::string disabled_text(const ConsumerConfig& c) {
  std::string text;
  for (const DisabledPeriod& p : c.mapping.disabled)
    text += (text.empty() ? ", off " : ", ") +
            (p.to_s < 0 ? "from " + format_number(p.from_s) + " s" : format_number(p.from_s) + "–" + format_number(p.to_s) + " s");
  return text;
}

std::vector<std::string> Run::configuration_summary() const {
  const auto& s = parts_.scenario;
  const auto& names = [](const std::vector<std::string>& v, std::size_t i) { return v.at(i); };
  std::vector<std::string> lines;
  char buffer[512];
  lines.push_back(kind_->configuration_line(s));
  for (const auto& p : s.producers) {
    std::snprintf(buffer, sizeof buffer, "producer     %s: %s arrivals at %g/s, %s keys, up to %lld put attempts",
                  p.name.c_str(), names(arrival_type_names(), static_cast<std::size_t>(p.arrival.type)).c_str(),
                  p.rate_per_s, names(key_type_names(), static_cast<std::size_t>(p.keys.type)).c_str(),
                  static_cast<long long>(p.max_put_attempts));
    lines.emplace_back(buffer);
  }
  const bool reshapes = !s.stream.reshard.empty() || s.stream.kinesis.capacity_mode == StreamConfig::CapacityMode::on_demand;
  for (const auto& c : s.consumers) {
    if (std::string line = kind_->consumer_line(s, c); !line.empty()) {
      lines.push_back(std::move(line));
      continue;
    }
    const std::string lineage = reshapes ? ", lineage " + lineage_names().at(static_cast<std::size_t>(c.lineage)) : "";
    std::snprintf(buffer, sizeof buffer,
                  "mapping      %s → %s: %s, batch %lld, window %g s, PF %lld (%s lanes), delay %g s, retries %lld, "
                  "max age %s, on failure %s%s%s%s%s",
                  c.name.c_str(), c.function.c_str(), names(delivery_names(), static_cast<std::size_t>(c.delivery)).c_str(),
                  static_cast<long long>(c.mapping.batch_size), c.mapping.batching_window_s, static_cast<long long>(c.mapping.parallelization_factor),
                  names(lane_assignment_names(), static_cast<std::size_t>(c.mapping.lane_assignment)).c_str(), c.propagation_delay_s,
                  static_cast<long long>(c.mapping.max_retry_attempts),
                  c.mapping.max_record_age_s < 0 ? "none" : (format_number(c.mapping.max_record_age_s) + " s").c_str(),
                  names(on_failure_names(), static_cast<std::size_t>(c.mapping.on_failure)).c_str(), c.mapping.bisect_on_error ? ", bisect" : "",
                  c.mapping.report_batch_item_failures ? ", item failures" : "", lineage.c_str(), disabled_text(c).c_str());
    lines.emplace_back(buffer);
  }
  for (const auto& [name, f] : s.functions) {
    const std::string provisioned =
        f.provisioned_concurrency > 0 ? ", provisioned " + std::to_string(f.provisioned_concurrency) : "";
    std::snprintf(buffer, sizeof buffer, "function     %s: %s, %lld MB, timeout %g s, reserved %s%s, init ~%.3g s", name.c_str(),
                  names(strategy_names(), static_cast<std::size_t>(f.strategy)).c_str(), static_cast<long long>(f.memory_mb),
                  f.timeout_s, f.reserved_concurrency < 0 ? "none" : std::to_string(f.reserved_concurrency).c_str(),
                  provisioned.c_str(), f.cold_start.init_s.expected());
    lines.emplace_back(buffer);
  }
  std::snprintf(buffer, sizeof buffer, "lambda       account concurrency %lld, %g new environments / 10 s, retry backoff %g s ×%g ≤ %g s",
                static_cast<long long>(s.lambda.account_concurrency), s.lambda.scaling_limit_per_10s,
                s.lambda.retry_backoff.initial_s, s.lambda.retry_backoff.multiplier, s.lambda.retry_backoff.max_s);
  lines.emplace_back(buffer);
  return lines;
}

}  // namespace shardsim
