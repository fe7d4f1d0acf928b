#include "analysis/result.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "analysis/read_limits.hpp"

namespace shardsim {

using nlohmann::ordered_json;

Quantiles Quantiles::of(const Histogram& h) {
  return {h.mean(), h.quantile(0.5), h.quantile(0.9), h.quantile(0.99), h.quantile(0.999), h.max()};
}

LatencyCauses latency_causes_of(const std::array<Histogram, kLatencyCauseCount>& by_cause) {
  LatencyCauses causes;
  for (std::size_t c = 0; c < kLatencyCauseCount; ++c) causes[c] = {by_cause[c].mean(), by_cause[c].quantile(0.99)};
  return causes;
}

const std::vector<std::pair<std::string, std::string>>& limit_names() {
  static const std::vector<std::pair<std::string, std::string>> names{
      {"write_records", "a shard's records written per second"},
      {"write_bytes", "a shard's bytes written per second"},
      {"read_calls", "a shard's GetRecords calls per second, shared by its polling consumers"},
      {"read_bytes", "a shard's bytes read per second by its polling consumers"},
      {"readers_per_shard", "a DynamoDB stream shard's polling readers against its reader slots"},
      {"event_pollers", "bytes a Kafka mapping's event pollers fetched per second against their 5 MB/s each"},
      {"lanes", "Lambda invocations in flight against shards × ParallelizationFactor (capped by the functions' limits)"},
      {"lambda_concurrency", "Lambda invocations in flight against the account's concurrency"},
      {"reserved_concurrency", "a function's Lambda invocations in flight against its reserved concurrency"},
      {"scaling_rate", "new Lambda execution environments per 10 s against the scaling rate"}};
  return names;
}

namespace {

ordered_json bounds_json(const std::vector<LimitUse>& bounds) {
  ordered_json j = ordered_json::object();
  for (const LimitUse& b : bounds)
    j[b.name] = {{"capacity", b.capacity},
                 {"unit", b.unit},
                 {"mean_utilization", b.mean_utilization},
                 {"peak_utilization", b.peak_utilization},
                 {"binding_share", b.binding_share}};
  return j;
}

ordered_json quantiles_json(const Quantiles& q) {
  return {{"mean", q.mean}, {"p50", q.p50}, {"p90", q.p90}, {"p99", q.p99}, {"p999", q.p999}, {"max", q.max}};
}

// Latency percentiles with the share of records they leave out (unfinished at the end) and the
// lower bound that counts those at their age.
ordered_json latency_json(const Quantiles& q, double unfinished_share, const Quantiles& with_unfinished) {
  ordered_json j = quantiles_json(q);
  j["unfinished_share"] = unfinished_share;
  j["lower_bound_with_unfinished"] = quantiles_json(with_unfinished);
  return j;
}

// Tumbling windows: closed, of which at their shard's end; final invocations run; and from a
// window's end to its final invocation's end.
ordered_json windows_json(const ConsumerCounts& c, const Quantiles& final_s) {
  return {{"closed", c.windows_closed},
          {"closed_at_shard_end", c.windows_closed_at_shard_end},
          {"final_invocations", c.final_invocations},
          {"final_latency_s", quantiles_json(final_s)}};
}

ordered_json ordering_json(const OrderingReport& o, const std::string& order_key) {
  ordered_json examples = ordered_json::array();
  for (const auto& e : o.examples)
    examples.push_back({{"kind", e.kind}, {"cause", e.cause}, {"key", e.key}, {"sequence", e.sequence},
                        {"other_sequence", e.other_sequence}, {"time_s", e.time_s}});
  ordered_json causes = ordered_json::object();
  for (const auto& [cause, n] : o.causes) causes[cause] = n;
  return {{"order_key", order_key},
          {"overlaps", o.overlaps},
          {"out_of_order", o.out_of_order},
          {"duplicates", o.duplicates},
          {"lost", o.lost},
          {"keys_affected", o.keys_affected},
          {"safe", o.safe()},
          {"causes", causes},
          {"examples", examples}};
}

ordered_json invocations_json(const ConsumerCounts& c, double mean_batch_size) {
  return {{"count", c.invocations},
          {"errors", c.errors},
          {"retries", c.retries},
          {"timeouts", c.timeouts},
          {"partial_failures", c.partial_failures},
          {"bisections", c.bisections},
          {"throttled", c.throttled},
          {"throttled_scaling", c.throttled_scaling},
          {"cold_starts", c.cold_starts},
          {"on_failure_batches", c.on_failure_batches},
          {"mean_batch_size", mean_batch_size}};
}

ordered_json lanes_json(const std::optional<LanesWithWork>& lanes) {
  if (!lanes) return nullptr;
  return {{"peak", lanes->peak}, {"mean", lanes->mean}};
}

ordered_json causes_json(const std::optional<LatencyCauses>& causes) {
  if (!causes) return nullptr;
  ordered_json j = ordered_json::object();
  for (std::size_t c = 0; c < kLatencyCauseCount; ++c)
    j[latency_cause_names()[c]] = {{"mean", (*causes)[c].mean}, {"p99", (*causes)[c].p99}};
  return j;
}

std::string fixed(double x, int decimals = 3) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, x);
  return buffer;
}

// Per read limit: the calls it held back and the seconds they waited.
ordered_json read_held_json(const ConsumerCounts& k) {
  ordered_json j = ordered_json::object();
  for (ReadLimit limit : kReadLimits) {
    const auto i = static_cast<std::size_t>(limit);
    j[read_limit_name(limit)] = {{"calls", k.read_waits[i]}, {"wait_s", k.read_wait_s[i]}, {"calls_wanted", calls_wanted(k, limit)}};
  }
  return j;
}

std::string count(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void line(std::ostringstream& out, const std::string& label, const std::string& value) {
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, "  %-26s %s\n", label.c_str(), value.c_str());
  out << buffer;
}

}  // namespace

ordered_json to_json(const RunResult& r) {
  ordered_json j;
  j["schema_version"] = RunResult::kSchemaVersion;
  j["scenario"] = {{"name", r.scenario_name}, {"seed", r.seed}, {"replication", r.replication}};
  const ConsumerCounts& t = r.totals;
  j["records"] = {{"produced", r.produced},       {"written", r.written},     {"write_throttled", r.write_throttled},
                  {"put_retries", r.put_retries},     {"dropped", r.dropped},         {"processed", t.processed}, {"duplicates", t.duplicates},
                  {"expired", t.expired},         {"discarded", t.discarded}, {"skipped", t.skipped},
                  {"filtered", t.filtered},
                  {"lost", r.lost},
                  {"in_flight_at_end", r.in_flight_at_end}};
  j["latency_s"] = latency_json(r.latency_s, r.unfinished_share, r.latency_with_unfinished_s);
  j["iterator_age_s"] = {{"max", r.iterator_age_s.max}, {"p99", r.iterator_age_s.p99}};
  j["iterator_age_at_invoke_s"] = {{"max", r.iterator_age_at_invoke_s.max}, {"p99", r.iterator_age_at_invoke_s.p99}};
  j["queue_s"] = quantiles_json(r.queue_s);
  j["latency_causes_s"] = causes_json(r.latency_causes_s);
  j["bounds"] = bounds_json(r.bounds);
  j["diagnosis"] = r.diagnosis ? ordered_json{{"bound", r.diagnosis->bound},
                                              {"cause", r.diagnosis->cause},
                                              {"share", r.diagnosis->share},
                                              {"sentence", r.diagnosis->sentence}}
                               : ordered_json(nullptr);
  j["concurrency"] = {{"peak", r.concurrency_peak}, {"p99", r.concurrency_p99}, {"mean", r.concurrency_mean},
                      {"limit", r.concurrency_limit}, {"lanes_with_work", lanes_json(r.lanes_with_work)}};
  j["invocations"] = invocations_json(t, r.mean_batch_size);
  j["windows"] = windows_json(t, r.window_final_s);
  j["ordering"] = ordering_json(r.ordering, r.order_key);
  j["throttles"] = {{"write", r.write_throttled},
                    {"read", t.read_throttles},
                    {"read_call_rate", t.read_throttles - t.read_throttles_bytes},
                    {"read_byte_rate", t.read_throttles_bytes},
                    {"read_readers", calls_wanted(t, ReadLimit::readers)},
                    {"read_held", read_held_json(t)},
                    {"lambda", t.throttled},
                    {"lambda_scaling_rate", t.throttled_scaling}};
  ordered_json consumers = ordered_json::array();
  for (const auto& c : r.consumers) {
    consumers.push_back({{"name", c.name},
                         {"function", c.function},
                         {"records", {{"processed", c.counts.processed}, {"duplicates", c.counts.duplicates},
                                      {"expired", c.counts.expired}, {"discarded", c.counts.discarded},
                                      {"skipped", c.counts.skipped},
                                      {"filtered", c.counts.filtered},
                                      {"in_flight_at_end", c.in_flight_at_end}}},
                         {"latency_s", latency_json(c.latency_s, c.unfinished_share, c.latency_with_unfinished_s)},
                         {"iterator_age_s", quantiles_json(c.iterator_age_s)},
                         {"iterator_age_at_invoke_s", quantiles_json(c.iterator_age_at_invoke_s)},
                         {"queue_s", quantiles_json(c.queue_s)},
                         {"latency_causes_s", causes_json(c.latency_causes_s)},
                         {"batch_size", quantiles_json(c.batch_size)},
                         {"handler_duration_s", quantiles_json(c.handler_s)},
                         {"invocations", invocations_json(c.counts, c.mean_batch_size)},
                         {"windows", windows_json(c.counts, c.window_final_s)},
                         {"read_throttles", c.counts.read_throttles},
                         {"read_held", read_held_json(c.counts)},
                         {"ordering", ordering_json(c.ordering, r.order_key)},
                         {"concurrency_limit", c.concurrency_limit},
                         {"lanes_with_work", lanes_json(c.lanes_with_work)},
                         {"type", c.type},
                         {"read_calls", c.read_calls},
                         {"leases", {{"taken", c.leases_taken},
                                     {"moves", c.lease_moves},
                                     {"failovers", c.lease_failovers},
                                     {"redelivered", c.ordering.causes.count("duplicate/failover_redelivery")
                                                         ? c.ordering.causes.at("duplicate/failover_redelivery")
                                                         : 0}}},
                         {"worker_threads", {{"waits", c.thread_waits}, {"wait_s", c.thread_wait_s}}}});
  }
  j["consumers"] = consumers;
  ordered_json shards = ordered_json::array();
  for (const auto& s : r.stream.shards)
    shards.push_back({{"id", s.id},
                      {"parent", s.parent.empty() ? ordered_json(nullptr) : ordered_json(s.parent)},
                      {"adjacent_parent", s.adjacent_parent.empty() ? ordered_json(nullptr) : ordered_json(s.adjacent_parent)},
                      {"starting_hash_key", s.starting_hash_key},
                      {"ending_hash_key", s.ending_hash_key},
                      {"opened_s", s.opened_s},
                      {"closed_s", s.closed_s ? ordered_json(*s.closed_s) : ordered_json(nullptr)},
                      {"read_from_s", s.read_from_s ? ordered_json(*s.read_from_s) : ordered_json(nullptr)},
                      {"read_until_s", s.read_until_s ? ordered_json(*s.read_until_s) : ordered_json(nullptr)},
                      {"records", s.records}});
  j["stream"] = {{"type", r.stream.type},
                 {"splits", r.stream.splits},
                 {"merges", r.stream.merges},
                 {"partition_splits", r.stream.partition_splits},
                 {"rollovers", r.stream.rollovers},
                 {"partitions_at_end", r.stream.partitions_at_end},
                 {"open_shards_at_end", r.stream.open_shards_at_end},
                 {"max_open_shards", r.stream.max_open_shards},
                 {"shards", shards}};
  j["queue"] = {{"receives", r.queue.receives},
                {"returned", r.queue.returned},
                {"dead_lettered", r.queue.dead_lettered},
                {"duplicates_delivered", r.queue.duplicates_delivered},
                {"visibility_overruns", r.queue.visibility_overruns},
                {"peak_pollers", r.queue.peak_pollers}};
  j["topic"] = {{"repartitions", r.topic.repartitions},
                {"partitions_at_end", r.topic.partitions_at_end},
                {"peak_pollers", r.topic.peak_pollers},
                {"pollers_at_end", r.topic.pollers_at_end},
                {"poller_changes", r.topic.poller_changes}};
  ordered_json functions = ordered_json::object();
  for (const auto& f : r.functions)
    functions[f.name] = {{"concurrency", {{"peak", f.concurrency_peak}, {"p99", f.concurrency_p99}, {"mean", f.concurrency_mean},
                                          {"limit", f.concurrency_limit}}}};
  j["functions"] = functions;
  j["cost_usd"] = {{"lambda", r.cost.lambda_usd},
                   {"stream", r.cost.stream_usd},
                   {"consumers", r.cost.consumers_usd},
                   {"total", r.cost.total_usd()},
                   {"per_hour", r.cost.per_hour_usd},
                   {"unpriced", r.unpriced}};
  j["billing"] = {{"lambda_requests", r.cost.lambda_requests},
                  {"lambda_gb_s", r.cost.gb_seconds},
                  {"lambda_gb_s_waiting", r.cost.gb_seconds_waiting},
                  {"lambda_gb_s_provisioned", r.cost.provisioned_gb_seconds},
                  {"provisioned_concurrency_gb_s", r.cost.provisioned_configured_gb_s},
                  {"shard_hours", r.cost.shard_hours},
                  {"put_payload_units", r.cost.put_payload_units},
                  {"stream_hours", r.cost.stream_hours},
                  {"gb_written", r.cost.gb_written},
                  {"gb_read", r.cost.gb_read},
                  {"write_request_units", r.cost.write_request_units},
                  {"stream_read_requests", r.cost.stream_read_requests},
                  {"sqs_requests", r.cost.sqs_requests},
                  {"efo_consumer_shard_hours", r.cost.efo_consumer_shard_hours},
                  {"efo_gb", r.cost.efo_gb},
                  {"worker_hours", r.cost.worker_hours},
                  {"lease_write_units", r.cost.lease_write_units},
                  {"lease_read_units", r.cost.lease_read_units}};
  j["locks"] = {{"acquired", r.locks.acquired},
                {"contended", r.locks.contended},
                {"wait_s_total", r.locks.wait_s_total},
                {"expired", r.locks.expired},
                {"gave_up", r.locks.gave_up}};
  j["completion"] = r.completion;
  j["warnings"] = r.warnings;
  j["sim"] = {{"simulated_s", r.simulated_s},
              {"drain_s", r.drain_s},
              {"actor_wakeups", r.wakeups},
              {"wall_s", r.wall_s ? ordered_json(*r.wall_s) : ordered_json(nullptr)}};
  j["configuration"] = r.configuration;
  return j;
}

namespace {
void numeric_leaves(const ordered_json& node, const std::string& prefix, std::vector<std::string>& out) {
  if (node.is_number() || node.is_boolean()) {
    out.push_back(prefix);
  } else if (node.is_object()) {
    for (const auto& [key, value] : node.items()) numeric_leaves(value, prefix.empty() ? key : prefix + "." + key, out);
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) numeric_leaves(node[i], prefix + "." + std::to_string(i), out);
  }
}
}  // namespace

std::vector<std::string> result_paths(const std::vector<std::string>& consumers, const std::vector<std::string>& functions) {
  RunResult shape;
  for (const auto& name : consumers) {
    shape.consumers.emplace_back().name = name;
    shape.consumers.back().lanes_with_work = LanesWithWork{};
    shape.consumers.back().latency_causes_s = LatencyCauses{};
  }
  for (const auto& name : functions) shape.functions.emplace_back().name = name;
  shape.wall_s = 0;
  shape.lanes_with_work = LanesWithWork{};
  shape.latency_causes_s = LatencyCauses{};
  shape.diagnosis = Diagnosis{};
  for (const auto& [name, what] : limit_names()) shape.bounds.emplace_back().name = name;
  ordered_json j = to_json(shape);
  j.erase("configuration");
  j.erase("scenario");
  std::vector<std::string> paths;
  numeric_leaves(j, "", paths);
  return paths;
}

namespace {
// Each shard's life, parents before children (in index order), as far as a dozen lines go.
void shard_lifetimes_text(std::ostream& out, const std::vector<ShardResult>& shards) {
  constexpr std::size_t kLines = 12;
  const auto time = [](const std::optional<double>& t) { return t ? fixed(*t, 1) : std::string("…"); };
  out << "  shard lifetimes (open: taking writes; read: first reader start to last reader done)\n";
  for (std::size_t i = 0; i < std::min(kLines, shards.size()); ++i) {
    const ShardResult& s = shards[i];
    std::string parents = s.parent.empty() ? "" : ", parent " + s.parent;
    if (!s.adjacent_parent.empty()) parents += " and " + s.adjacent_parent;
    char text[256];
    std::snprintf(text, sizeof text, "    %s  open %s–%s s, read %s–%s s, %s records%s\n", s.id.c_str(),
                  fixed(s.opened_s, 1).c_str(), time(s.closed_s).c_str(), time(s.read_from_s).c_str(),
                  time(s.read_until_s).c_str(), count(s.records).c_str(), parents.c_str());
    out << text;
  }
  if (shards.size() > kLines)
    out << "    … " << count(shards.size() - kLines) << " more (stream.shards in the result JSON)\n";
}
// `text` in lines of at most `width` characters (words kept whole), each indented by `indent`.
std::string wrapped(const std::string& text, std::size_t indent, std::size_t width) {
  std::istringstream words(text);
  std::string out, line, word;
  while (words >> word) {
    if (!line.empty() && indent + line.size() + 1 + word.size() > width) {
      out += std::string(indent, ' ') + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += std::string(indent, ' ') + line + "\n";
  return out;
}

// Where the latency went: the causes that took at least 0.1 % of the mean, largest first.
void latency_causes_text(std::ostream& out, const LatencyCauses& causes, double mean_latency) {
  std::vector<std::size_t> order;
  for (std::size_t c = 0; c < kLatencyCauseCount; ++c)
    if (causes[c].mean > 0.001 * mean_latency) order.push_back(c);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return causes[a].mean > causes[b].mean; });
  out << "  where it went: cause, mean / p99 s (share of the mean)\n";
  for (std::size_t c : order) {
    char text[160];
    std::snprintf(text, sizeof text, "    %-16s %10s / %-10s (%.1f %%)\n", latency_cause_names()[c], fixed(causes[c].mean).c_str(),
                  fixed(causes[c].p99).c_str(), 100 * causes[c].mean / mean_latency);
    out << text;
  }
}
}  // namespace

std::string summary_text(const RunResult& r) {
  std::ostringstream out;
  out << "shardsim: " << r.scenario_name << " (seed " << r.seed << ")\n";
  if (!r.description.empty()) out << "  " << r.description << "\n";
  out << "configuration\n";
  for (const auto& l : r.configuration_lines) out << "  " << l << "\n";
  if (r.diagnosis) out << "diagnosis\n" << wrapped(r.diagnosis->sentence, 2, 100);
  if (!r.bounds.empty()) {
    std::string uses;
    for (const LimitUse& b : r.bounds)
      uses += (uses.empty() ? "" : ", ") + b.name + " " + fixed(100 * b.peak_utilization, 1) + " %" +
              (b.name == "scaling_rate" ? " (busiest 10 s)" : "");
    out << (r.diagnosis ? "" : "limits\n") << wrapped("busiest second: " + uses, 2, 100);
  }
  out << "records\n";
  line(out, "produced", count(r.produced));
  line(out, "written", count(r.written) + (r.write_throttled ? "   (" + count(r.write_throttled) + " puts rejected by the write limit, " +
                                                                 count(r.put_retries) + " retries, " + count(r.dropped) + " dropped)"
                                                           : ""));
  const ConsumerCounts& t = r.totals;
  const std::string balance = r.conservation_errors.empty() ? "balanced" : "DO NOT BALANCE: " + r.conservation_errors.front();
  if (r.consumers.empty()) {
    line(out, "processed", "none: no consumer reads this stream");
    line(out, "books", r.conservation_errors.empty() ? "balanced (produced = written + dropped)" : balance);
  } else if (r.consumers.size() == 1) {
    line(out, "processed", count(t.processed) + (t.duplicates ? "   (+" + count(t.duplicates) + " duplicate deliveries)" : ""));
    line(out, "lost", count(r.lost) + (r.lost ? "   (dropped " + count(r.dropped) + ", expired " + count(t.expired) +
                                                    ", discarded " + count(t.discarded) + ")"
                                              : ""));
    if (t.filtered) line(out, "filtered", count(t.filtered) + "   (read, discarded by the filter criteria, never invoked)");
    line(out, "in flight at end", count(r.in_flight_at_end));
    line(out, "books", r.conservation_errors.empty()
                           ? (t.filtered ? "balanced (produced = processed + filtered + lost + in flight)"
                                         : "balanced (produced = processed + lost + in flight)")
                           : balance);
  } else {
    // Each consumer reads every written record: its books are its own.
    for (const ConsumerResult& c : r.consumers) {
      const ConsumerCounts& k = c.counts;
      line(out, c.name, count(k.processed) + " processed, " + count(k.expired + k.discarded) + " lost (expired " +
                            count(k.expired) + ", discarded " + count(k.discarded) + ")" +
                            (k.skipped ? ", " + count(k.skipped) + " skipped" : "") +
                            (k.filtered ? ", " + count(k.filtered) + " filtered" : "") + ", " + count(c.in_flight_at_end) +
                            " in flight" + (k.duplicates ? ", +" + count(k.duplicates) + " duplicates" : ""));
    }
    line(out, "books", r.conservation_errors.empty()
                           ? std::string("balanced (produced = written + dropped; for each consumer, written = processed + "
                                         "lost + skipped + ") +
                                 (t.filtered ? "filtered + in flight)" : "in flight)")
                           : balance);
  }
  out << "end-to-end latency, s\n";
  line(out, "mean / p50", fixed(r.latency_s.mean) + " / " + fixed(r.latency_s.p50));
  line(out, "p90 / p99 / p99.9", fixed(r.latency_s.p90) + " / " + fixed(r.latency_s.p99) + " / " + fixed(r.latency_s.p999));
  line(out, "max", fixed(r.latency_s.max));
  if (r.in_flight_at_end > 0) {
    char share[160];
    std::snprintf(share, sizeof share, "%.2f %% of written; with them at their age: p99 ≥ %.3f", 100 * r.unfinished_share,
                  r.latency_with_unfinished_s.p99);
    line(out, "unfinished at end", share);
  }
  line(out, "iterator age max", fixed(r.iterator_age_s.max) + " s (p99 " + fixed(r.iterator_age_s.p99) +
                                     " s) at the end of each invocation, " + fixed(r.iterator_age_at_invoke_s.max) +
                                     " s at its start");
  line(out, "time in queue p50 / p99", fixed(r.queue_s.p50) + " / " + fixed(r.queue_s.p99) + " s");
  if (r.latency_causes_s) latency_causes_text(out, *r.latency_causes_s, r.latency_s.mean);
  const OrderingReport& o = r.ordering;
  out << "ordering per " << (r.order_key == "partition_key" ? "partition key" : r.order_key == "item" ? "item (partition key + sort key)" : r.order_key) << "\n";
  line(out, "verdict", o.safe() ? "safe: no overlaps, no out-of-order records" : "NOT SAFE");
  line(out, "overlaps / out of order", count(o.overlaps) + " / " + count(o.out_of_order));
  line(out, "duplicates / lost", count(o.duplicates) + " / " + count(o.lost) + " (" + count(o.keys_affected) + " keys affected)");
  for (const auto& [cause, n] : o.causes) line(out, "  " + cause, count(n));
  for (const auto& e : o.examples)
    out << "    e.g. " << e.kind << (e.cause.empty() ? "" : " (" + e.cause + ")") << ": key " << e.key << ", "
        << (e.sequence ? "record #" + std::to_string(e.sequence) : std::string("a record never written"))
        << (e.other_sequence ? " vs #" + std::to_string(e.other_sequence) : "") << " at " << fixed(e.time_s) << " s\n";
  out << "concurrency (Lambda)\n";
  line(out, "peak / limit", std::to_string(r.concurrency_peak) + " / " + std::to_string(r.concurrency_limit) +
                                (r.lambda_mappings == 0
                                     ? "   (no Lambda mapping: the consumers run in their own processes)"
                                     : ""));
  if (r.lanes_with_work && r.lanes_with_work->peak < r.concurrency_limit)
    line(out, "lanes with records, peak", std::to_string(r.lanes_with_work->peak) + " (mean " + fixed(r.lanes_with_work->mean) +
                                              "): no more lanes than this had records to run at once");
  line(out, "mean / p99 of time", fixed(r.concurrency_mean) + " / " + std::to_string(r.concurrency_p99));
  out << "invocations\n";
  line(out, "count", count(t.invocations) + " (mean batch " + fixed(r.mean_batch_size, 1) + " records)");
  if (t.errors || t.partial_failures)
    line(out, "failed", count(t.errors) + " errors (" + count(t.timeouts) + " timeouts), " + count(t.retries) + " retries, " + count(t.partial_failures) +
                            " partial, " + count(t.bisections) + " bisections, " + count(t.on_failure_batches) +
                            " batches to on-failure");
  if (t.final_invocations)
    line(out, "tumbling windows", count(t.windows_closed) + " closed" +
                                      (t.windows_closed_at_shard_end ? " (" + count(t.windows_closed_at_shard_end) + " at a shard's end)" : "") +
                                      ", " + count(t.final_invocations) + " final invocations; window end → final done p50 " +
                                      fixed(r.window_final_s.p50) + " s, max " + fixed(r.window_final_s.max) + " s");
  line(out, "cold starts", count(t.cold_starts));
  line(out, "throttled (Lambda)", count(t.throttled) + (t.throttled_scaling ? " (" + count(t.throttled_scaling) + " by the scaling rate)" : ""));
  line(out, "read throttles", count(t.read_throttles));
  const std::string held = read_waits_text(t);
  if (!held.empty()) line(out, "read limits waited", held);
  if (calls_wanted(t, ReadLimit::readers))
    line(out, "beyond readers' share", count(calls_wanted(t, ReadLimit::readers)) + " calls (more readers per shard than DynamoDB Streams serves)");
  if (calls_wanted(t, ReadLimit::call_rate))
    line(out, "beyond 5 calls/s", count(calls_wanted(t, ReadLimit::call_rate)) + " calls wanted (the shards' GetRecords rate)");
  for (const auto& [label, value] : r.consumer_summary) line(out, label, value);
  if (!r.kind_summary.title.empty()) {
    out << r.kind_summary.title << "\n";
    for (const auto& [label, value] : r.kind_summary.lines) line(out, label, value);
  }
  if (r.stream.splits + r.stream.merges + r.stream.rollovers > 0) {
    out << "shards\n";
    line(out, r.shard_changes_summary.first, r.shard_changes_summary.second);
    line(out, "open at end / most open", count(r.stream.open_shards_at_end) + " / " + count(r.stream.max_open_shards));
    shard_lifetimes_text(out, r.stream.shards);
  }
  if (r.locks.acquired + r.locks.gave_up > 0) {
    out << "distributed locks\n";
    line(out, "acquired / contended", count(r.locks.acquired) + " / " + count(r.locks.contended) + " (waited " +
                                          fixed(r.locks.wait_s_total) + " s in all, " + fixed(r.cost.gb_seconds_waiting) +
                                          " GB-s billed waiting)");
    line(out, "expired / gave up", count(r.locks.expired) + " / " + count(r.locks.gave_up));
  }
  out << "cost (USD, at the scenario's prices)\n";
  char cost[160];
  if (r.cost.consumers_usd > 0)
    std::snprintf(cost, sizeof cost, "%.4f (Lambda %.4f, stream %.4f, readers %.4f)", r.cost.total_usd(), r.cost.lambda_usd,
                  r.cost.stream_usd, r.cost.consumers_usd);
  else
    std::snprintf(cost, sizeof cost, "%.4f (Lambda %.4f, stream %.4f)", r.cost.total_usd(), r.cost.lambda_usd, r.cost.stream_usd);
  line(out, "total", cost);
  if (!r.unpriced.empty()) {
    std::string list;
    for (const auto& u : r.unpriced) list += (list.empty() ? "" : ", ") + u;
    line(out, "not priced (price 0)", list);
  }
  std::snprintf(cost, sizeof cost, "%.4f", r.cost.per_hour_usd);
  line(out, "per hour of production", cost);
  out << "run\n";
  line(out, "simulated", fixed(r.simulated_s) + " s, " + r.completion + " (" + fixed(r.drain_s) + " s after production ended)");
  for (const auto& w : r.warnings) out << "warning: " << w << "\n";
  return out.str();
}

}  // namespace shardsim
