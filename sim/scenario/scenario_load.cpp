#include "sim/scenario/scenario_load.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/expectations.hpp"
#include "analysis/ordering.hpp"
#include "analysis/result.hpp"
#include "models/base/number_format.hpp"
#include "models/core/hash_key.hpp"
#include "models/dynamodb/dynamodb.hpp"
#include "sim/scenario/json_source.hpp"
#include "sim/scenario/overrides.hpp"
#include "sim/scenario/reshard.hpp"
#include "sim/scenario/scenario_kind.hpp"
#include "sim/scenario/scenario_reader.hpp"
#include "sim/scenario/static_estimate.hpp"
#include "sim/scenario/trace_file.hpp"

namespace shardsim {
namespace {

std::string stem_of(const std::string& file) {
  std::string name = file.substr(file.find_last_of('/') == std::string::npos ? 0 : file.find_last_of('/') + 1);
  if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0) name.resize(name.size() - 5);
  return name;
}

// Names that were left out get their documented defaults.
void fill_defaults(Scenario& s, const nlohmann::json& document, const std::string& file) {
  if (s.name.empty()) s.name = stem_of(file);
  const ScenarioStreamKind& kind = scenario_stream_kind(s.stream.type);
  const auto named = [](const nlohmann::json* object, const char* field) {
    return object && object->is_object() && object->contains(field);
  };
  const auto stream = document.find("stream");
  kind.stream_defaults(s.stream, [&](const char* field) { return named(stream != document.end() ? &*stream : nullptr, field); });
  for (std::size_t i = 0; i < s.producers.size(); ++i) {
    auto& p = s.producers[i];
    if (p.name.empty()) p.name = "producer-" + std::to_string(i);
    using OrderBy = ProducerConfig::OrderBy;
    if (p.order_by == OrderBy::automatic) p.order_by = p.entity ? OrderBy::entity : kind.default_order();
  }
  const std::size_t polling = polling_consumers(s);
  const auto consumers = document.find("consumers");
  for (std::size_t i = 0; i < s.consumers.size(); ++i) {
    auto& c = s.consumers[i];
    const GivenField given = [&](const char* field) {
      return consumers != document.end() && consumers->is_array() && i < consumers->size() && named(&(*consumers)[i], field);
    };
    const ScenarioConsumerKind& consumer_kind = scenario_consumer_kind(c.type);
    kind.consumer_defaults(c, given);
    consumer_kind.defaults(c, given, kind);
    if (c.function.empty() && s.functions.size() == 1) c.function = s.functions.begin()->first;
    if (c.name.empty()) c.name = c.function + consumer_kind.name_suffix();
    // Kinesis developer guide: ~200 ms average put-to-get delay with one polling consumer,
    // ~1 s with five; ~70 ms with enhanced fan-out.
    if (c.propagation_delay_s < 0)
      c.propagation_delay_s = c.delivery == ConsumerConfig::Delivery::efo ? 0.07 : 0.2 * static_cast<double>(polling);
  }
}

// A name left out gets its default; a name given as "" is a mistake, not a request for it.
void check_explicit_names(const nlohmann::json& document, const JsonSource& source, Diagnostics& d) {
  const auto empty = [](const nlohmann::json& object, const char* key) {
    return object.is_object() && object.contains(key) && object[key].is_string() && object[key].get<std::string>().empty();
  };
  if (empty(document, "name")) d.error(source.locate("/name"), "name", "empty; leave it out to use the file's name");
  for (const char* list : {"producers", "consumers"}) {
    if (!document.contains(list) || !document[list].is_array()) continue;
    for (std::size_t i = 0; i < document[list].size(); ++i)
      for (const char* key : {"name", "function"}) {
        if (std::string(list) == "producers" && std::string(key) == "function") continue;
        if (!empty(document[list][i], key)) continue;
        const std::string pointer = "/" + std::string(list) + "/" + std::to_string(i) + "/" + key;
        d.error(source.locate(pointer), std::string(list) + "[" + std::to_string(i) + "]." + key,
                "empty; leave it out for the default" +
                    std::string(std::string(key) == "function" ? " (the only function, when there is one)" : ""));
      }
  }
}

// Trace files are read with the scenario, so a bad row is an input error like a bad field.
void read_traces(Scenario& s, const std::string& scenario_file, Diagnostics& d) {
  const auto slash = scenario_file.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "" : scenario_file.substr(0, slash + 1);
  for (std::size_t i = 0; i < s.producers.size(); ++i) {
    ArrivalSpec& a = s.producers[i].arrival;
    if (a.type != ArrivalSpec::Type::trace) continue;
    const std::string field = "producers[" + std::to_string(i) + "].arrival.file";
    if (a.file.empty()) {
      d.error({scenario_file, 0, 0}, field, "a trace needs a file");
      continue;
    }
    a.rows = read_trace(a.file.front() == '/' ? a.file : dir + a.file, field, d);
  }
}

// A mapping's filter criteria: a Lambda mapping's, at most 5 (10 on request), each naming
// something to match, attributes among record_attributes.
void check_filters(const Scenario& s, const ConsumerConfig& c, const std::string& base, const JsonSource& source, Diagnostics& d) {
  const auto& filters = c.mapping.filters;
  if (filters.empty()) return;
  const auto at = [&](const std::string& pointer) { return source.locate(pointer); };
  const std::string pointer = base + "/filters";
  if (c.type != ConsumerConfig::Type::lambda_esm) {
    d.error(at(pointer), display_path(pointer), "FilterCriteria is a Lambda mapping's; a KCL application or reader filters in its code");
    return;
  }
  const std::string count = std::to_string(filters.size()) + " filters";
  if (filters.size() > 10) d.error(at(pointer), display_path(pointer), count + ": a mapping takes at most 10 (5, or 10 on request)");
  else if (filters.size() > 5 && s.what_if) d.warning(at(pointer), display_path(pointer), count + ": AWS allows 5, or 10 on request; allowed because what_if is true");
  else if (filters.size() > 5)
    d.error(at(pointer), display_path(pointer), count + ": AWS allows 5 (10 on request); set \"what_if\": true to explore beyond AWS's limits");
  for (std::size_t k = 0; k < filters.size(); ++k) {
    const FilterConfig& f = filters[k];
    const std::string one = pointer + "/" + std::to_string(k);
    if (f.partition_keys.empty() && f.entities.empty() && f.attribute.empty())
      d.error(at(one), display_path(one), "a filter names partition_keys, entities or an attribute (an empty one would match every record)");
    if (f.attribute.empty()) continue;
    std::vector<std::string> names;
    for (const auto& a : s.record_attributes) names.push_back(a.name);
    if (std::find(names.begin(), names.end(), f.attribute) == names.end()) {
      const std::string hint = did_you_mean(f.attribute, names);
      d.error(at(one + "/attribute"), display_path(one + "/attribute"),
              "\"" + f.attribute + "\" is not among record_attributes" + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    }
  }
}

// A tumbling window: a Kinesis or DynamoDB stream's mapping with ParallelizationFactor 1 (the
// window's state is its shard's; AWS refuses a larger factor beside a window).
void check_tumbling_window(const Scenario& s, const ConsumerConfig& c, const std::string& base, const JsonSource& source,
                           Diagnostics& d) {
  if (c.type != ConsumerConfig::Type::lambda_esm) return;
  if (c.mapping.tumbling_window_s <= 0) {
    if (c.mapping.tumbling_window_quiet_s != ConsumerConfig::Mapping{}.tumbling_window_quiet_s)
      d.error(source.locate(base + "/tumbling_window_quiet_s"), display_path(base + "/tumbling_window_quiet_s"),
              "the wait after a tumbling window's end needs a tumbling window (tumbling_window_s)");
    return;
  }
  const std::string pointer = base + "/tumbling_window_s";
  const auto type = s.stream.type;
  if (type != StreamConfig::Type::kinesis && type != StreamConfig::Type::dynamodb)
    d.error(source.locate(pointer), display_path(pointer),
            "TumblingWindowInSeconds is a Kinesis or DynamoDB Streams mapping's; this stream is " +
                std::string(s.stream.is_queue() ? "a queue" : "a Kafka topic"));
  else if (c.mapping.parallelization_factor > 1)
    d.error(source.locate(pointer), display_path(pointer),
            "a tumbling window needs ParallelizationFactor 1 (its state is the shard's); this mapping has " +
                std::to_string(c.mapping.parallelization_factor));
}

// Rules that involve more than one field.
// Every objective names a number of the result (a typo would make every point fail silently).
// Every objective and expectation names a number of the result (a typo would make every point
// fail, or every check pass, silently).
void check_result_paths(const Scenario& s, const JsonSource& source, Diagnostics& d) {
  std::vector<std::string> consumers, functions;
  for (const auto& c : s.consumers) consumers.push_back(c.name);
  for (const auto& [name, f] : s.functions) functions.push_back(name);
  const auto paths = result_paths(consumers, functions);
  const auto check = [&](const nlohmann::json& block, const std::string& name, bool causes) {
    if (!block.is_object()) return;
    for (const auto& [metric, bound] : block.items()) {
      if (std::find(paths.begin(), paths.end(), metric) != paths.end() || (causes && is_ordering_cause_path(metric)) ||
          (causes && is_text_path(metric)))
        continue;
      std::vector<std::string> candidates = paths;
      if (causes)
        for (const auto& cause : ordering_cause_names()) candidates.push_back("ordering.causes." + cause);
      const std::string hint = did_you_mean(metric, candidates);
      d.error(source.locate("/" + name), name + "." + metric,
              "\"" + metric + "\" is not a number in the result" +
                  (hint.empty() ? " (analysis/README.md lists the result's fields)" : "; did you mean \"" + hint + "\"?"));
    }
  };
  check(s.objectives, "objectives", false);
  if (s.objectives.is_object())
    for (const auto& [metric, bound] : s.objectives.items()) {
      bool fine = bound.is_object() && !bound.empty();
      if (fine)
        for (const auto& [key, value] : bound.items()) fine = fine && (key == "min" || key == "max") && value.is_number();
      if (!fine)
        d.error(source.locate("/objectives/" + metric), "objectives." + metric,
                "expected {\"max\": x} and/or {\"min\": y}, got " + quote(bound));
      else if (bound.contains("min") && bound.contains("max") && bound["min"].get<double>() > bound["max"].get<double>())
        d.error(source.locate("/objectives/" + metric), "objectives." + metric,
                "min " + quote(bound["min"]) + " is above max " + quote(bound["max"]) + ": no result can meet it");
    }
  check(s.expect, "expect", true);
  std::vector<std::pair<std::string, std::string>> problems;
  read_expectations(s.expect, problems);
  for (const auto& [path, message] : problems) d.error(source.locate("/expect"), path, message);
}

void check_across_fields(const Scenario& s, const JsonSource& source, Diagnostics& d) {
  auto at = [&](const std::string& pointer) { return source.locate(pointer); };
  // The work the producers ask for, before any of it is done: a run must end.
  const StaticEstimate estimate = static_estimate(s);
  double records = estimate.records_per_s_mean * s.duration_s;
  for (const auto& p : s.producers) records += static_cast<double>(p.arrival.rows.size());
  if (!(records <= s.limits.max_records)) {
    char text[400];
    std::snprintf(text, sizeof text,
                  "the producers would make about %.3g records (%.3g records/s on average × %.3g s), beyond "
                  "limits.max_records = %.3g; shorten duration_s, lower the rates, or raise limits.max_records",
                  records, estimate.records_per_s_mean, s.duration_s, s.limits.max_records);
    d.error(at("/duration_s"), "duration_s", text);
  }
  // The memory the tables would take, before any of it is allocated: per key, its name and hash
  // and each consumer's ordering and lane state; per shard and consumer, a reader (its actor's
  // stack and buffers).
  const double consumers = static_cast<double>(std::max<std::size_t>(1, s.consumers.size()));
  double keys = 0;
  std::string widest;  // the field with the most keys
  double most = 0;
  for (std::size_t i = 0; i < s.producers.size(); ++i) {
    const ProducerConfig& p = s.producers[i];
    for (const auto* spec : {&p.keys, p.entity ? &*p.entity : nullptr}) {
      if (!spec) continue;
      const double n = spec->type == KeySpec::Type::unique     ? p.rate_per_s * s.duration_s
                       : spec->type == KeySpec::Type::sequence ? static_cast<double>(spec->values.size())
                       : spec->type == KeySpec::Type::none     ? 1.0
                                                               : static_cast<double>(spec->count);
      keys += n;
      if (n > most) {
        most = n;
        widest = "producers[" + std::to_string(i) + "]." + (spec == &p.keys ? "keys" : "entity");
      }
    }
  }
  const double shards = static_cast<double>(std::max<std::int64_t>(s.stream.shards, 1)) *
                        (s.stream.kinesis.capacity_mode == StreamConfig::CapacityMode::on_demand ? 2.0 * static_cast<double>(s.stream.kinesis.on_demand.max_shards) / 4 : 2.0);
  const double memory_mb = (keys * (64 + 64 * consumers) + shards * consumers * 256 * 1024) / (1024 * 1024);
  const double ceiling_mb = s.limits.max_memory_mb > 0
                                ? s.limits.max_memory_mb
                                : 0.8 * static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE)) / (1024 * 1024);
  if (memory_mb > ceiling_mb) {
    const bool by_keys = keys * (64 + 64 * consumers) > shards * consumers * 256 * 1024;
    char text[400];
    std::snprintf(text, sizeof text,
                  "the run would need about %.0f MB (%.3g keys, %.3g shards, %.0f consumer(s)), beyond "
                  "limits.max_memory_mb = %.0f MB%s",
                  memory_mb, keys, shards / 2, consumers, ceiling_mb, s.limits.max_memory_mb > 0 ? "" : " (80 % of this machine's memory)");
    if (by_keys) d.error(at("/producers"), widest, text);
    else d.error(at("/stream/shards"), "stream.shards", text);
    return;  // the checks below lay out the shards: not for a run that cannot be held
  }
  check_result_paths(s, source, d);
  if (s.stream.kinesis.capacity_mode == StreamConfig::CapacityMode::on_demand && !s.stream.reshard.empty())
    d.error(at("/stream/reshard"), "stream.reshard",
            "an on-demand stream adds its shards itself; SplitShard, MergeShards and UpdateShardCount are for "
            "provisioned streams (set capacity_mode to provisioned, or remove reshard)");
  const ReshardSchedule reshards = schedule_reshards(s.stream, s.what_if);
  for (const auto& [i, message] : reshards.errors)
    d.error(at("/stream/reshard/" + std::to_string(i)), "stream.reshard[" + std::to_string(i) + "]", message);
  for (const auto& [i, message] : reshards.warnings)
    d.warning(at("/stream/reshard/" + std::to_string(i)), "stream.reshard[" + std::to_string(i) + "]", message);
  std::set<std::string> producer_names, consumer_names;
  for (std::size_t i = 0; i < s.producers.size(); ++i) {
    const auto& p = s.producers[i];
    const std::string base = "/producers/" + std::to_string(i);
    const std::string shown = "producers[" + std::to_string(i) + "]";
    if (!producer_names.insert(p.name).second)
      d.error(at(base + "/name"), shown + ".name", "\"" + p.name + "\" names two producers; names must be unique");
    if (!p.explicit_hash_key.empty() && !parse_decimal_hash_key(p.explicit_hash_key))
      d.error(at(base + "/explicit_hash_key"), shown + ".explicit_hash_key",
              "\"" + p.explicit_hash_key + "\" is not a decimal integer from 0 to 340282366920938463463374607431768211455");
    const auto& pts = p.arrival.points;
    for (std::size_t j = 1; j < pts.size(); ++j)
      if (pts[j].at_s < pts[j - 1].at_s)
        d.error(at(base + "/arrival/points/" + std::to_string(j)), shown + ".arrival.points[" + std::to_string(j) + "].at_s",
                "points must be in increasing at_s");
    const auto& k = p.keys;
    if (k.type == KeySpec::Type::hot && k.hot_keys > k.count)
      d.error(at(base + "/keys/hot_keys"), shown + ".keys.hot_keys",
              std::to_string(k.hot_keys) + " hot keys but only " + std::to_string(k.count) + " keys; need hot_keys ≤ count");
    if (k.type == KeySpec::Type::none && s.stream.type != StreamConfig::Type::kafka)
      d.error(at(base + "/keys/type"), shown + ".keys.type",
              "records without a key are a Kafka producer's; a Kinesis record, a DynamoDB item and an SQS message "
              "in this model have one");
    for (const auto& [name, spec] : {std::pair<const char*, const KeySpec*>{"entity", p.entity ? &*p.entity : nullptr},
                                     {"sort_keys", p.sort_keys ? &*p.sort_keys : nullptr}})
      if (spec && spec->type == KeySpec::Type::none)
        d.error(at(base + "/" + name + "/type"), shown + "." + name + ".type", "none is for partition keys (keys.type) only");
    // Every key distribution that is a sequence needs a value to repeat.
    for (const auto& [name, spec] : {std::pair<const char*, const KeySpec*>{"keys", &k},
                                     {"entity", p.entity ? &*p.entity : nullptr},
                                     {"sort_keys", p.sort_keys ? &*p.sort_keys : nullptr}})
      if (spec && spec->type == KeySpec::Type::sequence && spec->values.empty())
        d.error(at(base + "/" + name), shown + "." + name + ".values", "a sequence needs at least one value");
    for (const auto& key : k.values)
      if (key.empty() || key.size() > 256)
        d.error(at(base + "/keys/values"), shown + ".keys.values",
                "partition keys are 1 … 256 characters (Kinesis PutRecord); got \"" + key + "\"");
    using OrderBy = ProducerConfig::OrderBy;
    if (p.order_by == OrderBy::entity && !p.entity &&
        !std::any_of(p.arrival.rows.begin(), p.arrival.rows.end(), [](const TraceRow& row) { return !row.entity.empty(); }))
      d.error(at(base + "/order_by"), shown + ".order_by", "entity needs the producer's entity (a key distribution)");
    if (p.entity && p.order_by != OrderBy::entity)
      d.error(at(base + "/entity"), shown + ".entity",
              "an entity is only an ordering key, and order_by is \"" + order_by_names()[static_cast<std::size_t>(p.order_by)] +
                  "\": leave one of them out");
  }
  for (std::size_t i = 0; i < s.consumers.size(); ++i)
    for (std::size_t k = 0; k < s.consumers[i].kcl.worker_failures.size(); ++k)
      if (s.consumers[i].kcl.worker_failures[k].worker >= s.consumers[i].kcl.workers) {
        const std::string field = "consumers[" + std::to_string(i) + "].worker_failures[" + std::to_string(k) + "].worker";
        d.error(at("/consumers/" + std::to_string(i) + "/worker_failures/" + std::to_string(k) + "/worker"), field,
                std::to_string(s.consumers[i].kcl.worker_failures[k].worker) + " is not a worker: there are " +
                    std::to_string(s.consumers[i].kcl.workers) + " (0 … " + std::to_string(s.consumers[i].kcl.workers - 1) + ")");
      }
  for (std::size_t i = 0; i < s.consumers.size(); ++i) {
    const auto& off = s.consumers[i].mapping.disabled;
    for (std::size_t k = 0; k < off.size(); ++k) {
      const std::string path = "/consumers/" + std::to_string(i) + "/disabled/" + std::to_string(k);
      const std::string field = "consumers[" + std::to_string(i) + "].disabled[" + std::to_string(k) + "]";
      if (off[k].to_s >= 0 && off[k].to_s <= off[k].from_s)
        d.error(at(path + "/to_s"), field + ".to_s",
                format_number(off[k].to_s) + " must be later than from_s (" + format_number(off[k].from_s) +
                    "), or -1 for the rest of the run");
      else if (k > 0 && (off[k - 1].to_s < 0 || off[k].from_s < off[k - 1].to_s))
        d.error(at(path + "/from_s"), field + ".from_s",
                format_number(off[k].from_s) + " is before the end of the previous period: periods go in time order, "
                "without overlapping");
    }
  }
  for (std::size_t i = 0; i < s.consumers.size(); ++i) {
    const auto& c = s.consumers[i];
    const std::string base = "/consumers/" + std::to_string(i);
    const std::string shown = "consumers[" + std::to_string(i) + "]";
    if (c.function.empty()) {
      std::string names;
      for (const auto& [name, f] : s.functions) names += (names.empty() ? "" : ", ") + name;
      d.error(at(base), shown + ".function",
              s.functions.empty() ? "no function to invoke: define one under \"functions\""
                                  : "required when there are several functions; one of " + names);
    } else if (!s.functions.count(c.function)) {
      std::vector<std::string> names;
      for (const auto& [name, f] : s.functions) names.push_back(name);
      const std::string hint = did_you_mean(c.function, names);
      d.error(at(base + "/function"), shown + ".function",
              "\"" + c.function + "\" is not defined under \"functions\"" +
                  (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    }
    if (!consumer_names.insert(c.name).second)
      d.error(at(base + "/name"), shown + ".name", "\"" + c.name + "\" names two consumers; names must be unique");
    check_filters(s, c, base, source, d);
    check_tumbling_window(s, c, base, source, d);
  }
  std::set<std::string> attribute_names;
  for (std::size_t a = 0; a < s.record_attributes.size(); ++a) {
    const std::string pointer = "/record_attributes/" + std::to_string(a) + "/name";
    if (s.record_attributes[a].name.empty()) d.error(at(pointer), display_path(pointer), "an attribute needs a name");
    else if (!attribute_names.insert(s.record_attributes[a].name).second)
      d.error(at(pointer), display_path(pointer), "\"" + s.record_attributes[a].name + "\" names two attributes; names must be unique");
  }
  // Defined but never invoked: its settings change nothing, unless it reserves concurrency (which
  // the account's unreserved pool then lacks).
  for (const auto& [name, f] : s.functions)
    if (!s.consumers.empty() && f.reserved_concurrency < 0 &&
        std::none_of(s.consumers.begin(), s.consumers.end(), [&name = name](const ConsumerConfig& c) { return c.function == name; }))
      d.warning(at("/functions/" + name), "functions." + name,
                "no consumer uses this function and it reserves no concurrency: its settings change nothing");
  auto check_distribution = [&](const Distribution& dist, const std::string& pointer) {
    if (dist.type == Distribution::Type::uniform && dist.min > dist.max)
      d.error(at(pointer), display_path(pointer), "uniform needs min ≤ max");
    if (dist.type == Distribution::Type::empirical && dist.values.empty())
      d.error(at(pointer), display_path(pointer), "empirical needs at least one value");
  };
  // Kinesis allows 20 registered enhanced fan-out consumers per stream.
  const auto efo = std::count_if(s.consumers.begin(), s.consumers.end(), [](const ConsumerConfig& c) {
    return c.delivery == ConsumerConfig::Delivery::efo;
  });
  if (efo > 20) {
    const std::string message = std::to_string(efo) + " enhanced fan-out consumers; Kinesis allows 20 per stream";
    if (s.what_if) d.warning(at("/consumers"), "consumers", message + "; allowed because what_if is true");
    else d.error(at("/consumers"), "consumers", message + "; set \"what_if\": true to explore beyond AWS's limits");
  }
  std::int64_t reserved = 0;
  for (const auto& [name, f] : s.functions) {
    if (f.reserved_concurrency > 0) reserved += f.reserved_concurrency;
    check_distribution(f.duration.per_record, "/functions/" + name + "/duration/per_record");
    check_distribution(f.duration.per_invocation, "/functions/" + name + "/duration/per_invocation");
    for (std::size_t k = 0; k < f.errors.failing_records.size(); ++k) {
      const FailingRecordSpec& rule = f.errors.failing_records[k];
      const std::string path = "/functions/" + name + "/errors/failing_records/" + std::to_string(k);
      const std::string field = "functions." + name + ".errors.failing_records[" + std::to_string(k) + "]";
      if (rule.key.empty() && rule.sequence == 0)
        d.error(at(path), field, "names no record: give a key, a sequence, or both");
      for (std::size_t a = 0; a < rule.attempts.size(); ++a)
        if (rule.attempts[a] != std::floor(rule.attempts[a]))
          d.error(at(path + "/attempts/" + std::to_string(a)), field + ".attempts[" + std::to_string(a) + "]",
                  format_number(rule.attempts[a]) + " is not a whole number: attempts are counted 1, 2, 3, …");
    }
  }
  for (std::size_t i = 0; i < s.producers.size(); ++i) {
    const std::string bytes = "/producers/" + std::to_string(i) + "/record_bytes";
    const Distribution& b = s.producers[i].record_bytes;
    check_distribution(b, bytes);
    // A record holds at least a byte of data (Kinesis refuses an empty Data blob).
    const bool empty = (b.type == Distribution::Type::constant && b.value < 1) || (b.type == Distribution::Type::uniform && b.min < 1) ||
                       (b.type == Distribution::Type::empirical &&
                        std::any_of(b.values.begin(), b.values.end(), [](double v) { return v < 1; }));
    if (empty) d.error(at(bytes), display_path(bytes), "a record has at least 1 byte of data; this distribution can give less");
    check_distribution(s.producers[i].put_latency_s, "/producers/" + std::to_string(i) + "/put_latency_s");
  }
  // Names go into reports, tables and file names: no line breaks or other control characters.
  const auto check_name = [&](const std::string& name, const std::string& pointer) {
    if (has_control_character(name))
      d.error(at(pointer), display_path(pointer), "a name cannot hold line breaks, escape sequences or other control characters");
  };
  check_name(s.name, "/name");
  for (std::size_t i = 0; i < s.producers.size(); ++i) check_name(s.producers[i].name, "/producers/" + std::to_string(i) + "/name");
  for (std::size_t i = 0; i < s.consumers.size(); ++i) check_name(s.consumers[i].name, "/consumers/" + std::to_string(i) + "/name");
  for (const auto& [name, f] : s.functions) check_name(name, "/functions/" + name);
  // Lambda keeps at least 100 of the account's concurrency unreserved (Lambda developer guide,
  // "Configuring reserved concurrency").
  const std::int64_t reservable = s.lambda.account_concurrency - 100;
  if (reserved > std::max<std::int64_t>(reservable, 0)) {
    const std::string message = "functions reserve " + std::to_string(reserved) + " of an account concurrency of " +
                                std::to_string(s.lambda.account_concurrency) +
                                "; AWS keeps at least 100 unreserved, so at most " +
                                std::to_string(std::max<std::int64_t>(reservable, 0)) + " can be reserved";
    if (s.what_if && reserved <= s.lambda.account_concurrency)
      d.warning(at("/functions"), "functions", message + "; allowed because what_if is true");
    else
      d.error(at("/functions"), "functions", message);
  }
  // Provisioned concurrency comes out of the function's reserved concurrency, and out of the
  // account's unreserved concurrency less 100 (Lambda developer guide, "Configuring provisioned
  // concurrency").
  for (const auto& [name, f] : s.functions) {
    const std::int64_t pc = f.provisioned_concurrency;
    const std::string pointer = "/functions/" + name + "/provisioned_concurrency";
    if (f.reserved_concurrency >= 0 && pc > f.reserved_concurrency)
      d.error(at(pointer), display_path(pointer),
              std::to_string(pc) + " is above the function's reserved concurrency (" + std::to_string(f.reserved_concurrency) + ")");
    else if (f.reserved_concurrency < 0 && pc > std::max<std::int64_t>(reservable - reserved, 0)) {
      const std::string message = std::to_string(pc) + " is above what the account can provision: its concurrency less 100 and "
                                  "the reserved concurrency (" + std::to_string(std::max<std::int64_t>(reservable - reserved, 0)) + ")";
      if (s.what_if && pc <= s.lambda.account_concurrency) d.warning(at(pointer), display_path(pointer), message + "; allowed because what_if is true");
      else d.error(at(pointer), display_path(pointer), message);
    }
  }
}

LoadedScenario load(JsonSource source, const std::vector<std::string>& overrides, LoadedScenario result) {
  Diagnostics& d = result.diagnostics;
  if (!source.parsed()) return result;
  apply_overrides(source, overrides, d);
  const auto& document = source.document();
  if (!document.is_object()) {
    d.error(source.locate(""), "", "a scenario is a JSON object {…}; got " + std::string(document.type_name()));
    return result;
  }
  Scenario scenario;
  ReadContext context{source, d, false};
  // what_if changes how every other field is checked, so it is read first.
  if (auto it = document.find("what_if"); it != document.end() && it->is_boolean()) context.what_if = it->get<bool>();
  ScenarioReader reader(&document, context, "", "");
  describe(reader, scenario);
  reader.finish();
  // Cross-field rules run even after field errors, so one run lists every problem; a field
  // that failed to parse keeps its default.
  check_explicit_names(document, source, d);
  fill_defaults(scenario, document, source.file());
  read_traces(scenario, source.file(), d);
  check_across_fields(scenario, source, d);
  scenario_stream_kind(scenario.stream.type).check(scenario, source, d);
  if (!d.has_errors()) result.scenario = std::move(scenario);
  return result;
}

}  // namespace

LoadedScenario load_scenario(const std::string& file, const std::vector<std::string>& overrides) {
  LoadedScenario result;
  JsonSource source = JsonSource::from_file(file, result.diagnostics);
  return load(std::move(source), overrides, std::move(result));
}

LoadedScenario load_scenario_text(const std::string& file, const std::string& text,
                                  const std::vector<std::string>& overrides) {
  LoadedScenario result;
  JsonSource source(file, text, result.diagnostics);
  return load(std::move(source), overrides, std::move(result));
}

}  // namespace shardsim
