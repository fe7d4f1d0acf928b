// Producers: the fleet merges every producer's puts in time order. One process per TEST_CASE.
#include <catch2/catch.hpp>

#include <simgrid/s4u.hpp>

#include "models/producer.hpp"
#include "sim/engine.hpp"
#include "tests/sim/support.hpp"

using namespace shardsim;

namespace {
// Keeps every put, in the order the fleet made them.
struct Recorder : Destination {
  std::vector<Record> puts;
  bool put(Record r, const std::optional<HashKey>&) override {
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
