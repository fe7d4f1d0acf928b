#include "sim/run/run_parts.hpp"

#include <algorithm>

#include "sim/run/consumer_kind.hpp"
#include "sim/run/consumers.hpp"
#include "sim/run/stream_kind.hpp"

namespace shardsim {
namespace {

std::vector<std::string> names_of(const std::map<std::string, FunctionConfig>& functions) {
  std::vector<std::string> names;
  for (const auto& [name, f] : functions) names.push_back(name);
  return names;
}

std::vector<FunctionLimits> limits_of(const std::map<std::string, FunctionConfig>& functions) {
  std::vector<FunctionLimits> limits;
  for (const auto& [name, f] : functions)
    limits.push_back({f.reserved_concurrency, f.cold_start.keep_warm_s, static_cast<double>(f.memory_mb) / 1024,
                      f.provisioned_concurrency});
  return limits;
}

}  // namespace

RunParts::RunParts(Scenario scenario_in, std::uint64_t replication_in, const StreamKind& kind_in)
    : scenario(std::move(scenario_in)),
      kind(kind_in),
      replication(replication_in),
      function_names(names_of(scenario.functions)),
      metrics(scenario.consumers.size(), scenario.functions.size(), keys),
      stream(static_cast<std::size_t>(scenario.stream.shards), kind_in.shard_limits(scenario.stream),
             scenario.stream.retention_hours * 3600, keys, metrics),
      lambda(scenario.lambda.account_concurrency, scenario.lambda.scaling_limit_per_10s, limits_of(scenario.functions),
             metrics) {}

std::size_t RunParts::function_index(const std::string& name) const {
  const auto it = std::find(function_names.begin(), function_names.end(), name);
  if (it == function_names.end()) throw std::logic_error("a consumer names function '" + name + "', which does not exist");
  return static_cast<std::size_t>(it - function_names.begin());
}

void RunParts::start_reader(simgrid::s4u::Host* host, std::size_t c, std::size_t shard) {
  const Shard& s = stream.shard(shard);
  const ConsumerConfig& consumer = scenario.consumers[c];
  const std::size_t f = function_index(consumer.function);
  const ReaderSetting setting{scenario, kind, c, f, handlers[c], leases[c].get(), threads[c].get(), locks[f].get(), failures[c].get(), filters[c].get(),
                              replication, stream, keys, *executors[c], metrics, control};
  auto& shard_readers = readers[c];
  shard_readers.resize(std::max(shard_readers.size(), shard + 1));
  auto reader = consumer_kind(consumer.type).shard_reader(setting, shard);
  if (reads_parents_first(consumer)) {
    std::vector<simgrid::s4u::ActorPtr> parents;
    for (const auto& parent : {s.parent(), s.adjacent_parent()})
      if (parent && shard_readers[*parent].actor) parents.push_back(shard_readers[*parent].actor);
    reader->wait_for(std::move(parents));
  }
  shard_readers[shard].reader = std::move(reader);
  shard_readers[shard].actor = simgrid::s4u::Actor::create(consumer.name + "/" + s.id(), host,
                                                          [reader = shard_readers[shard].reader.get()] { (*reader)(); });
}

}  // namespace shardsim
