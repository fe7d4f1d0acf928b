// Producers: the fleet merges every producer's puts in time order. One process per TEST_CASE.
#include <catch2/catch.hpp>

#include <simgrid/s4u.hpp>

#include "models/producers/producer.hpp"
#include "sim/run/engine.hpp"
#include "tests/sim/support.hpp"

using namespace shardsim;

namespace {
// Keeps every put, in the order the fleet made them.
struct Recorder : Destination {
  std::vector<Record> puts;
  bool put(const Record& r, const std::optional<HashKey>&) override {
    puts.push_back(r);
    return true;
  }
  void record_dropped(const Record&) override {}
  std::uint64_t unread_records() const override { return 0; }
  void set_horizon(double) override {}
  void set_production_complete() override {}
};
}  // namespace

TEST_CASE("two aggregating producers put in time order: an aggregated record goes out when its last user record arrives") {
  // Producer a packs 10 user records per Kinesis record at 100/s (one put every 0.1 s, at the
  // arrival of its 10th record); producer b packs 10 at 37/s. The fleet must order the puts by
  // their put time, the last user record's: ordered by the first user record's time instead,
  // b's first record (put at 9/37 ≈ 0.243 s) would go out before a's second (put at 0.19 s).
  SimEngine engine({}, 1);
  KeyTable keys;
  std::vector<ProducerConfig> configs(2);
  configs[0].name = "a";
  configs[0].rate_per_s = 100;
  configs[1].name = "b";
  configs[1].rate_per_s = 37;
  for (auto& c : configs) {
    c.arrival.type = ArrivalSpec::Type::constant;
    c.aggregation.records_per_kinesis_record = 10;
  }
  std::vector<Producer> producers;
  for (const auto& c : configs) producers.emplace_back(c, 5.0, keys, Rng(1, 0, c.name), Rng(1, 0, c.name + "/r"));
  Recorder recorder;
  RunControl control;
  control.hard_stop_s = 100;
  ProducerFleet fleet(producers, recorder, control, 1000);
  simgrid::s4u::Actor::create("producers", engine.host(), [&fleet] { fleet(); });
  engine.run();
  CHECK(control.broken_invariant.empty());
  // 5 s: a puts 500 user records in 50 Kinesis records; b puts 185 (0, 1/37, …) in 19 (the last
  // holds 5).
  REQUIRE(recorder.puts.size() == 69);
  for (std::size_t i = 1; i < recorder.puts.size(); ++i) CHECK(recorder.puts[i].arrival_s >= recorder.puts[i - 1].arrival_s);
  // Each aggregated record is put when its last user record arrives: a's k-th at (10k + 9) / 100.
  std::size_t from_a = 0;
  for (const Record& r : recorder.puts)
    if (r.user_records == 10 && r.arrival_s - r.produced_s == Approx(0.09).margin(1e-9)) ++from_a;
  CHECK(from_a == 50);
}

namespace {
// A hot key above its shard's 1,000 records/s: 60 % of 1,800 records/s on one key, over 4
// shards, for 20 s; rejected puts are retried up to 5 times with backoff. Ordered, a put's round
// trip is 0.5 ms, so one key can put up to 2,000 records/s.
std::string hot_key(bool ordered) {
  return R"({
    "seed": 3, "duration_s": 20,
    "stream": {"shards": 4},
    "producers": [{"rate_per_s": 1800, "keys": {"type": "hot", "count": 500, "hot_keys": 1, "hot_fraction": 0.6},
                   "record_bytes": {"type": "constant", "value": 200}, "ordered": )" +
         std::string(ordered ? "true, \"put_latency_s\": {\"type\": \"constant\", \"value\": 0.0005}" : "false") + R"(,
                   "max_put_attempts": 5, "put_retry_delay_s": 0.05, "put_retry_max_delay_s": 2}],
    "consumers": [{"function": "process", "batch_size": 500}],
    "functions": {"process": {}}
  })";
}
}  // namespace

TEST_CASE("unordered puts: a retried record lands after later records of its key") {
  const RunResult r = testing::run_checked(hot_key(false));
  // The hot key alone offers 0.6 × 1,800 = 1,080 records/s to its shard for 20 s, 21,600 (Poisson
  // σ ≈ 150), against at most 1,000 + 20 × 1,000 = 21,000 admitted: at least 600 − 3σ ≈ 150 are
  // refused once and retried, and more with the other keys' records on that shard.
  CHECK(r.put_retries >= 150);
  // First attempts end at 20 s, so at most 1,000 + 20 × 1,000 = 21,000 get into the hot shard; the
  // other three take their 3 × 180/s × 20 s = 10,800 (± 312 at 3σ) without a refusal. Every record
  // written beyond 32,112 was written after a refusal, at least half of them the hot key's (6 in 7
  // of the offered records). A refused hot record waits at least 50 ms, in which its key offers 54
  // later records to a shard admitting 50: it lands after some of them.
  REQUIRE(r.written > 32'112 + 100);
  CHECK(r.ordering.out_of_order >= (r.written - 32'112) / 2);
  CHECK(r.ordering.causes.at("out_of_order/producer_retry") == r.ordering.out_of_order);
}

TEST_CASE("ordered puts (SequenceNumberForOrdering): retries keep each key in order, at the cost of waiting") {
  // The same workload: the hot key's later records wait behind each retry, so none overtakes it.
  const RunResult r = testing::run_checked(hot_key(true));
  // Backlogged, the hot key puts at 2,000/s and the shard's bucket (1,000) empties; a refused put
  // waits at most 2 s, the bucket refills for it and empties again 35 ms after (41 tokens at a net
  // 1,180/s). The key is backlogged from about 0.85 s until its last record is in, after 24 s
  // (25,200 records on the hot shard at 1,000/s, less the burst): at least 23 / 2.035 ≈ 11 refusals.
  CHECK(r.put_retries >= 11);
  CHECK(r.ordering.out_of_order == 0);
  CHECK(r.ordering.causes.count("out_of_order/producer_retry") == 0);
  CHECK(r.totals.processed == r.written);
}

TEST_CASE("ordered puts wait for each put's round trip: one key puts at most 1 / latency records per second") {
  // One key, 50 records/s (at 0, 0.02, …, 0.98), ordered, each put's round trip 0.05 s: record i
  // goes out at 0.05 i, not at 0.02 i: the key puts 20 records/s, and the last (produced at
  // 0.98) is put at 2.45. The mapping gets each record pushed at once (enhanced fan-out, no
  // delay: no GetRecords rate to wait for) and processes it in no time, so the worst latency is the last record's wait in the producer,
  // 2.45 − 0.98 = 1.47 s. Unordered, the same records would wait 0 s.
  const RunResult r = testing::run_checked(R"({
    "duration_s": 1,
    "producers": [{"rate_per_s": 50, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["k"], "repeat": true},
                   "ordered": true, "put_latency_s": {"type": "constant", "value": 0.05}}],
    "consumers": [{"delivery": "efo", "propagation_delay_s": 0, "batch_size": 1}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}},
                        "duration": {"per_invocation": {"type": "constant", "value": 0},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  CHECK(r.written == 50);
  CHECK(r.latency_s.max == Approx(1.47).margin(1e-9));
  CHECK(r.ordering.out_of_order == 0);
}

TEST_CASE("KPL aggregation: a Kinesis record holds at most 1 MiB and waits for its last user record") {
  // 10 user records/s of 60,000 bytes, 20 to an aggregated record: one Kinesis record every
  // 2 s, put when its 20th user record arrives (1.9 s after its first), its bytes capped at
  // 1,048,576 (20 × 60,002 would be 1,200,040): 41 PUT payload units of 25 KiB each. Pushed at
  // once (enhanced fan-out, no delay) and handled in 50 ms, each is done 1.95 s after its first
  // user record was produced.
  const RunResult r = testing::run_checked(R"({
    "duration_s": 20,
    "producers": [{"rate_per_s": 10, "arrival": {"type": "constant"},
                   "record_bytes": {"type": "constant", "value": 60000},
                   "aggregation": {"records_per_kinesis_record": 20, "partition_key": "agg"}}],
    "consumers": [{"delivery": "efo", "propagation_delay_s": 0}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}},
                        "duration": {"per_invocation": {"type": "constant", "value": 0.05},
                                     "per_record": {"type": "constant", "value": 0}}}}
  })");
  REQUIRE(r.written == 10);
  CHECK(r.write_throttled == 0);
  CHECK(r.cost.put_payload_units == 10 * 41);
  CHECK(r.latency_s.mean == Approx(1.95).margin(1e-9));
  CHECK(r.latency_s.max == Approx(1.95).margin(1e-9));
}
