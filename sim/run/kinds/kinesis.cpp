#include "sim/run/kinds/kinesis.hpp"

#include <cstdio>

#include "models/base/number_format.hpp"
#include "models/kinesis/kinesis_limits.hpp"
#include "models/kinesis/on_demand_scaler.hpp"

namespace shardsim {

ShardLimits KinesisKind::shard_limits(const StreamConfig& stream) const { return kinesis::shard_limits(stream.write_burst_s); }

namespace {
bool on_demand(const StreamConfig& stream) { return stream.kinesis.capacity_mode == StreamConfig::CapacityMode::on_demand; }
}  // namespace

void KinesisKind::prepare(RunParts& parts) {
  if (on_demand(parts.scenario.stream))
    parts.stream.drive_with(std::make_unique<OnDemandScaler>(parts.scenario.stream.kinesis.on_demand, parts.stream.limits()));
}

std::size_t KinesisKind::shards_ever(const RunParts& parts) const {
  // On demand, up to twice the stream's ceiling (the shards split on the way there).
  const StreamConfig& s = parts.scenario.stream;
  return on_demand(s) ? 2 * static_cast<std::size_t>(s.kinesis.on_demand.max_shards) : StreamKind::shards_ever(parts);
}

void KinesisKind::bill(const RunParts& parts, CostResult& cost) const {
  StreamKind::bill(parts, cost);
  cost.on_demand = on_demand(parts.scenario.stream);
}

std::string KinesisKind::follows_traffic(const StreamConfig& stream) const {
  return on_demand(stream) ? "scaled the stream's" : "";
}

std::string KinesisKind::configuration_line(const Scenario& s) const {
  std::string shards = std::to_string(s.stream.shards) + " shards";
  if (s.stream.kinesis.capacity_mode == StreamConfig::CapacityMode::on_demand)
    shards = "on-demand from " + shards + " (new peaks served after " + format_number(s.stream.kinesis.on_demand.scale_delay_s) +
             " s, at most " + std::to_string(s.stream.kinesis.on_demand.max_shards) + ")";
  else if (!s.stream.reshard.empty())
    shards += " (" + std::to_string(s.stream.reshard.size()) + " reshard operation" + (s.stream.reshard.size() > 1 ? "s)" : ")");
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, "stream       %s, %g s of production, retention %g h, seed %lld", shards.c_str(),
                s.duration_s, s.stream.retention_hours, static_cast<long long>(s.seed));
  return buffer;
}

}  // namespace shardsim
