// What readers that are not Lambda cost, and enhanced fan-out: worker-hours, the KCL's lease
// table, EFO consumer-shard-hours and GB. One process per TEST_CASE.
#include <cmath>

#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
// One record a second for an hour on `shards` shards; `consumer` and `pricing` add fields.
RunResult hour(int shards, const std::string& consumer, const std::string& pricing = "") {
  return run_checked(R"({"duration_s": 3600, "stream": {"shards": )" + std::to_string(shards) + R"(},
    "producers": [{"rate_per_s": 1, "arrival": {"type": "constant"}, "record_bytes": {"type": "constant", "value": 1000}}],
    "consumers": [{"propagation_delay_s": 0)" + consumer + R"(}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.01},
                                     "per_record": {"type": "constant", "value": 0.001}}}})" + pricing + "}");
}
}  // namespace

TEST_CASE("costs: a KCL application pays its workers by the hour and its lease table by the request") {
  // 2 workers over the hour of production: 2 worker-hours in it, 2 × 0.0416 = 0.0832 USD/h of
  // the price per hour. The lease table: one lease taken, a checkpoint per batch, a renewal of
  // the held lease every 10 / 3 − 0.025 s while it is read; each worker's taker reads the one
  // lease at 0, 20.05 s, … .
  const RunResult r = hour(1, R"(, "type": "kcl", "workers": 2)");
  CHECK(r.cost.production_worker_hours == Approx(2));
  CHECK(r.cost.worker_hours == Approx(2 * r.simulated_s / 3600));
  CHECK(r.cost.lease_read_units == Approx((std::floor(r.simulated_s / 20.05) + 1) * 2));
  const double renewals = r.cost.lease_write_units - 1 - static_cast<double>(r.consumers.at(0).counts.invocations);
  CHECK(renewals == Approx(r.simulated_s / (10.0 / 3 - 0.025)).epsilon(1e-3));  // read from 0 to the end
  CHECK(r.cost.consumers_usd == Approx(r.cost.worker_hours * 0.0416 + r.cost.lease_write_units / 1e6 * 0.625 +
                                       r.cost.lease_read_units / 1e6 * 0.125));
  CHECK(r.cost.lambda_usd == 0);
  CHECK(r.unpriced.empty());
}

TEST_CASE("costs: an enhanced fan-out consumer pays per consumer-shard-hour and per GB pushed") {
  // 3 shards for the hour (the run ends when the last record is done, just before 3,600 s):
  // 3 consumer-shard-hours in production, as the shard-hours; every record written is pushed.
  const RunResult r = hour(3, R"(, "delivery": "efo")");
  CHECK(r.cost.production_efo_consumer_shard_hours == Approx(3 * std::min(3600.0, r.simulated_s) / 3600));
  CHECK(r.cost.production_efo_consumer_shard_hours == Approx(r.cost.production_shard_hours));
  // A record's size counts its partition key: 100 keys key-0 … key-99, 5 bytes for a tenth of
  // them and 6 for the rest, 5.9 on average (± 0.3 per record: ± 54 bytes over 3,600 at 3σ), so
  // 3,600 × 1,005.9 bytes = 3,621,240 bytes = 0.0033725 GiB.
  CHECK(r.cost.efo_gb == Approx(3600 * 1005.9 / (1ull << 30)).epsilon(1e-4));
  CHECK(r.cost.efo_gb == Approx(r.cost.gb_written));
  CHECK(r.cost.worker_hours == 0);
}

TEST_CASE("costs: usage whose price is set to 0 is named as not priced") {
  const RunResult r = hour(1, R"(, "type": "raw_reader")", R"(, "pricing": {"worker_hour": 0})");
  CHECK(r.cost.production_worker_hours == Approx(1));  // a raw reader is one process
  REQUIRE(r.unpriced.size() == 1);
  CHECK(r.unpriced.front() == "worker-hours");
}
