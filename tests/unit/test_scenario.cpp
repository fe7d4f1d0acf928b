#include <catch2/catch.hpp>

#include "sim/scenario/scenario_load.hpp"

using namespace shardsim;

namespace {

const char* kMinimal = R"({
  "producers": [ { "rate_per_s": 10 } ],
  "consumers": [ { "type": "lambda_esm" } ],
  "functions": { "f": {} }
})";

LoadedScenario load(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return load_scenario_text("test.json", text, overrides);
}

// All diagnostics as text, one per line, so a test can look for a path and a message.
std::string messages(const LoadedScenario& l) { return l.diagnostics.format(); }

}  // namespace

TEST_CASE("a minimal scenario gets AWS's defaults") {
  auto l = load(kMinimal);
  REQUIRE(l.scenario);
  const Scenario& s = *l.scenario;
  CHECK(s.name == "test");
  CHECK(s.stream.shards == 1);
  CHECK(s.stream.retention_hours == 24);
  CHECK(s.consumers[0].mapping.batch_size == 100);
  CHECK(s.consumers[0].mapping.batching_window_s == 0);
  CHECK(s.consumers[0].mapping.parallelization_factor == 1);
  CHECK(s.consumers[0].poll_interval_s == 1.0);
  CHECK(s.consumers[0].function == "f");  // the only function
  CHECK(s.consumers[0].name == "f-mapping");
  CHECK(s.producers[0].name == "producer-0");
  CHECK(s.lambda.account_concurrency == 1000);
  CHECK(s.functions.at("f").reserved_concurrency == -1);
}

TEST_CASE("type errors name the path, the line and the bad value") {
  auto l = load("{\n  \"duration_s\": \"long\",\n" + std::string(kMinimal).substr(1));
  CHECK_FALSE(l.scenario);
  CHECK_THAT(messages(l), Catch::Contains("test.json:2:3: error: duration_s: expected a number, got \"long\""));
}

TEST_CASE("out-of-range values are errors with the allowed range") {
  auto l = load(R"({"duration_s": 0, "stream": {"shards": 0}, "producers": [{"rate_per_s": -1}]})");
  CHECK_FALSE(l.scenario);
  const auto m = messages(l);
  CHECK_THAT(m, Catch::Contains("duration_s: 0 is not allowed; allowed: > 0"));
  CHECK_THAT(m, Catch::Contains("stream.shards: 0 is not allowed; allowed: ≥ 1"));
  CHECK_THAT(m, Catch::Contains("producers[0].rate_per_s: -1 is not allowed"));
}

TEST_CASE("AWS's limits need what_if, which turns them into warnings") {
  const std::string base = R"("producers": [{"rate_per_s": 10}], "functions": {"f": {}},
                              "consumers": [{"batch_size": 20000}])";
  auto strict = load("{" + base + "}");
  CHECK_FALSE(strict.scenario);
  CHECK_THAT(messages(strict), Catch::Contains("consumers[0].batch_size: 20,000 is beyond AWS's limit (1 … 10,000)"));
  CHECK_THAT(messages(strict), Catch::Contains("\"what_if\": true"));

  auto explore = load("{\"what_if\": true, " + base + "}");
  REQUIRE(explore.scenario);
  CHECK(explore.scenario->consumers[0].mapping.batch_size == 20000);
  REQUIRE(explore.diagnostics.warnings().size() == 1);
  CHECK_THAT(explore.diagnostics.warnings()[0].message, Catch::Contains("allowed because what_if is true"));
}

TEST_CASE("unknown keys are errors with a did-you-mean hint") {
  auto l = load(R"({"producers": [{"rate_per_s": 10, "keyz": {}, "rate": 5}], "functions": {"f": {}},
                   "consumers": [{"batch_sise": 5}]})");
  CHECK_FALSE(l.scenario);
  // A name the typo begins comes before one a couple of edits away ("name").
  CHECK_THAT(messages(l), Catch::Contains("producers[0].rate: unknown field (did you mean \"rate_per_s\"?)"));
  CHECK_THAT(messages(l), Catch::Contains("producers[0].keyz: unknown field (did you mean \"keys\"?)"));
  CHECK_THAT(messages(l), Catch::Contains("consumers[0].batch_sise: unknown field (did you mean \"batch_size\"?)"));
}

TEST_CASE("a field that does not apply to the chosen type is not silently ignored") {
  auto l = load(R"({"producers": [{"keys": {"type": "uniform", "exponent": 1.2}}]})");
  CHECK_FALSE(l.scenario);
  CHECK_THAT(messages(l), Catch::Contains("producers[0].keys.exponent: unknown field"));
}

TEST_CASE("bad choices list the allowed values") {
  auto l = load(R"({"producers": [{"keys": {"type": "zipff"}}]})");
  CHECK_THAT(messages(l), Catch::Contains("\"zipff\" is not one of uniform, zipf, hot, unique, sequence, none (did you mean \"zipf\"?)"));
}

TEST_CASE("every problem is reported, not just the first") {
  auto l = load(R"({"seed": -1, "duration_s": "x", "stream": {"type": "kinesys"},
                   "producers": [{"rate_per_s": 0}], "lambda": {"account_concurrency": 0}})");
  CHECK_FALSE(l.scenario);
  std::size_t errors = 0;
  for (const auto& d : l.diagnostics.all()) errors += d.severity == Diagnostic::Severity::error;
  CHECK(errors == 5);
}

TEST_CASE("syntax errors and duplicate keys point into the file") {
  auto syntax = load("{\n  \"seed\": 1,\n  \"duration_s\": ,\n}");
  CHECK_FALSE(syntax.scenario);
  CHECK_THAT(messages(syntax), Catch::Contains("test.json:3:") && Catch::Contains("invalid JSON"));
  auto duplicate = load("{\"seed\": 1,\n \"seed\": 2}");
  CHECK_THAT(messages(duplicate), Catch::Contains("test.json:2:2: error: seed: duplicate key"));
}

TEST_CASE("cross-field rules: function references, hot keys, reserved concurrency") {
  auto l = load(R"({"producers": [{"keys": {"type": "hot", "count": 5, "hot_keys": 6}}],
                   "consumers": [{"function": "procss"}],
                   "functions": {"process": {"reserved_concurrency": 950}}})");
  CHECK_FALSE(l.scenario);
  const auto m = messages(l);
  CHECK_THAT(m, Catch::Contains("consumers[0].function: \"procss\" is not defined under \"functions\" (did you mean \"process\"?)"));
  CHECK_THAT(m, Catch::Contains("producers[0].keys.hot_keys: 6 hot keys but only 5 keys"));
  CHECK_THAT(m, Catch::Contains("at most 900 can be reserved"));
}

TEST_CASE("producers are required") {
  auto l = load(R"({"functions": {}})");
  CHECK_THAT(messages(l), Catch::Contains("producers: is required"));
}

TEST_CASE("overrides reach nested fields and list elements") {
  auto l = load(kMinimal, {"stream.shards=8", "consumers.0.batch_size=500", "producers.0.keys.prefix=user-",
                           "functions.f.duration.per_record={\"type\":\"exponential\",\"mean\":0.01}"});
  REQUIRE(l.scenario);
  CHECK(l.scenario->stream.shards == 8);
  CHECK(l.scenario->consumers[0].mapping.batch_size == 500);
  CHECK(l.scenario->producers[0].keys.prefix == "user-");  // not JSON: taken as a string
  CHECK(l.scenario->functions.at("f").duration.per_record.type == Distribution::Type::exponential);
  CHECK(l.scenario->functions.at("f").duration.per_record.mean == 0.01);
}

TEST_CASE("bad overrides are reported with the override's own text") {
  auto l = load(kMinimal, {"consumers.3.batch_size=1", "stream.shards=2", "stream.shards.x=1", "noequals", "stream.shards=0"});
  CHECK_FALSE(l.scenario);
  const auto m = messages(l);
  CHECK_THAT(m, Catch::Contains("--set consumers.3.batch_size=1: error: consumers.3.batch_size: consumers is a list of 1 element(s)"));
  CHECK_THAT(m, Catch::Contains("stream.shards is a number, it has no field \"x\""));
  CHECK_THAT(m, Catch::Contains("--set noequals: error: expected PATH=VALUE"));
  CHECK_THAT(m, Catch::Contains("--set stream.shards=0: error: stream.shards: 0 is not allowed"));
}

TEST_CASE("an override that adds an unknown field is caught like one in the file") {
  auto l = load(kMinimal, {"stream.shard=3"});
  CHECK_THAT(messages(l), Catch::Contains("stream.shard: unknown field (did you mean \"shards\"?)"));
}

TEST_CASE("distribution parameters are checked together") {
  auto l = load(R"({"producers": [{"record_bytes": {"type": "uniform", "min": 10, "max": 5}}],
                   "functions": {"f": {"duration": {"per_record": {"type": "empirical", "values": []}}}}})");
  CHECK_FALSE(l.scenario);
  CHECK_THAT(messages(l), Catch::Contains("producers[0].record_bytes: uniform needs min ≤ max"));
  CHECK_THAT(messages(l), Catch::Contains("functions.f.duration.per_record: empirical needs at least one value"));
}

TEST_CASE("objectives must name numbers of the result, with a did-you-mean hint") {
  const std::string base = R"({"producers": [{"rate_per_s": 10}], "consumers": [{"function": "f"}], "functions": {"f": {}},
                              "objectives": )";
  auto typo = load(base + R"({"latency.p99": {"max": 2}}})");
  CHECK_FALSE(typo.scenario);
  CHECK_THAT(messages(typo), Catch::Contains("objectives.latency.p99: \"latency.p99\" is not a number in the result; "
                                             "did you mean \"latency_s.p99\"?"));
  // A text field is not an objective either.
  CHECK_FALSE(load(base + R"({"completion": {"max": 2}}})").scenario);
  // Totals, a consumer by index and a function by name are.
  auto fine = load(base + R"({"latency_s.p99": {"max": 2}, "consumers.0.latency_s.p99": {"max": 2},
                              "functions.f.concurrency.peak": {"max": 9}, "ordering.safe": {"min": 1}}})");
  INFO(messages(fine));
  CHECK(fine.scenario);
  CHECK_FALSE(load(base + R"({"consumers.1.latency_s.p99": {"max": 2}}})").scenario);  // one consumer only
}

TEST_CASE("an override sets what exists or what the defaults give, never a new map entry or list element") {
  // A misspelt function name would add an unused function with `=`: refused, naming what exists.
  auto typo = load(kMinimal, {"functions.hh.timeout_s=5"});
  CHECK_FALSE(typo.scenario);
  CHECK_THAT(messages(typo), Catch::Contains("functions.hh.timeout_s: functions has no entry \"hh\" (it has: f); "
                                             "to add one: --set functions.hh+=VALUE"));
  auto past_end = load(kMinimal, {"producers.1.rate_per_s=5"});
  CHECK_THAT(messages(past_end), Catch::Contains("\"1\" must be an index from 0 to 0 (to add an element: --set producers+=VALUE)"));
  // A field absent from the file but in the defaults is fine: stream and lambda are not in kMinimal.
  auto defaults = load(kMinimal, {"stream.retention_hours=48", "lambda.retry_backoff.max_s=30"});
  INFO(messages(defaults));
  REQUIRE(defaults.scenario);
  CHECK(defaults.scenario->stream.retention_hours == 48);
  CHECK(defaults.scenario->lambda.retry_backoff.max_s == 30);
  // The explicit form adds a map entry or a list element.
  auto added = load(kMinimal, {"functions.g+={\"timeout_s\": 5}", "consumers.0.function=f",
                               "consumers+={\"function\": \"g\", \"name\": \"second\"}"});
  INFO(messages(added));
  REQUIRE(added.scenario);
  CHECK(added.scenario->functions.at("g").timeout_s == 5);
  REQUIRE(added.scenario->consumers.size() == 2);
  CHECK(added.scenario->consumers[1].function == "g");
  // += on an entry that exists, or on a plain field, is refused.
  CHECK_THAT(messages(load(kMinimal, {"functions.f+={}"})), Catch::Contains("functions already has an entry \"f\""));
  CHECK_THAT(messages(load(kMinimal, {"stream.shards+=2"})), Catch::Contains("+= adds a list element or a map entry"));
}

TEST_CASE("scheduled reshards are checked against the shard set each meets") {
  const std::string base = R"({"producers": [{"rate_per_s": 10}], "functions": {"f": {}}, "stream": {"shards": 2, "reshard": )";
  // Shard 0 splits at 5 s into 2 (the lower half of its range) and 3 (the upper half, which
  // adjoins shard 1). Then: shard 0 is closed; 2 and 1 do not adjoin; an operation goes back in
  // time; a NewStartingHashKey lies below shard 1's range. 3 and 1 do merge.
  auto bad = load(base + R"([{"at_s": 5, "type": "split", "shard": 0},
                             {"at_s": 6, "type": "split", "shard": 0},
                             {"at_s": 7, "type": "merge", "shard": 2, "adjacent_shard": 1},
                             {"at_s": 4, "type": "split", "shard": 1},
                             {"at_s": 8, "type": "split", "shard": 1, "new_starting_hash_key": "1"}]}})");
  CHECK_FALSE(bad.scenario);
  const auto m = messages(bad);
  CHECK_THAT(m, Catch::Contains("stream.reshard[1]: shard 0 is not open then (open: 1, 2, 3)"));
  CHECK_THAT(m, Catch::Contains("stream.reshard[2]: shards 2 and 1 are not adjacent"));
  CHECK_THAT(m, Catch::Contains("stream.reshard[3]: at_s 4.000000 comes before the previous operation's"));
  CHECK_THAT(m, Catch::Contains("stream.reshard[4]: new_starting_hash_key must be a decimal above "
                                "170141183460469231731687303715884105728"));
  auto fine = load(base + R"([{"at_s": 5, "type": "split", "shard": 0},
                              {"at_s": 7, "type": "merge", "shard": 3, "adjacent_shard": 1}]}})");
  INFO(messages(fine));
  CHECK(fine.scenario);
}

TEST_CASE("UpdateShardCount keeps to AWS's limits unless what_if") {
  const std::string base = R"({"producers": [{"rate_per_s": 10}], "functions": {"f": {}}, "stream": {"shards": 4, "reshard": )";
  auto far = load(base + R"([{"at_s": 5, "type": "update_shard_count", "target_shard_count": 9}]}})");
  CHECK_FALSE(far.scenario);
  CHECK_THAT(messages(far), Catch::Contains("stream.reshard[0]: target_shard_count 9 is not between ½× and 2× the 4 open shards"));
  auto allowed = load(base + R"([{"at_s": 5, "type": "update_shard_count", "target_shard_count": 9}]}, "what_if": true})");
  CHECK(allowed.scenario);
  CHECK_THAT(messages(allowed), Catch::Contains("allowed because what_if is true"));
  std::string calls;
  for (int i = 0; i < 11; ++i)
    calls += std::string(i ? ", " : "") + R"({"at_s": )" + std::to_string(i * 60) + R"(, "type": "update_shard_count", "target_shard_count": )" +
             (i % 2 ? "4" : "5") + "}";
  auto many = load(base + "[" + calls + "]}}");
  CHECK_THAT(messages(many), Catch::Contains("stream.reshard[10]: more than 10 UpdateShardCount calls in 24 h"));
}

TEST_CASE("an on-demand stream starts with 4 shards unless told, and takes no reshard operations") {
  const std::string base = R"({"producers": [{"rate_per_s": 10}], "functions": {"f": {}}, "stream": {"capacity_mode": "on_demand")";
  auto fresh = load(base + "}}");
  REQUIRE(fresh.scenario);
  CHECK(fresh.scenario->stream.shards == 4);  // 4 MB/s and 4,000 records/s of writes
  CHECK(fresh.scenario->stream.kinesis.on_demand.scale_delay_s == 900);
  auto switched = load(base + R"(, "shards": 10}})");
  REQUIRE(switched.scenario);
  CHECK(switched.scenario->stream.shards == 10);
  auto resharded = load(base + R"(, "reshard": [{"at_s": 5, "type": "split", "shard": 0}]}})");
  CHECK_FALSE(resharded.scenario);
  CHECK_THAT(messages(resharded), Catch::Contains("stream.reshard: an on-demand stream adds its shards itself"));
  // on_demand settings belong to on-demand streams.
  auto stray = load(R"({"producers": [{"rate_per_s": 10}], "functions": {"f": {}}, "stream": {"on_demand": {}}})");
  CHECK_FALSE(stray.scenario);
  CHECK_THAT(messages(stray), Catch::Contains("stream.on_demand"));
}

TEST_CASE("a function no consumer uses is named in a warning") {
  // (One that reserves concurrency takes it from the account's pool: not warned about.)
  auto l = load(R"({"producers": [{}], "functions": {"f": {}, "spare": {}, "reserving": {"reserved_concurrency": 10}},
                   "consumers": [{"function": "f"}]})");
  REQUIRE(l.scenario);
  REQUIRE(l.diagnostics.warnings().size() == 1);
  CHECK(l.diagnostics.warnings()[0].path == "functions.spare");
  CHECK_THAT(l.diagnostics.warnings()[0].message, Catch::Contains("no consumer uses this function"));
}
