// The Kinesis Client Library (leases, checkpoints, worker failover) and a raw low-level reader.
// One process per TEST_CASE.
#include <cmath>

#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
// One Kinesis shard, 8 records/s at 0, 0.125 s, 0.25 s, … (exact in binary), visible at once; a
// KCL application of 2 workers polling once per second (the library's idle time); worker 0
// fails at 12.5 s for good. `consumer` and `per_record` vary.
RunResult failover(const std::string& consumer, double per_record, double duration_s = 30, const std::string& extra = "") {
  return run_checked(R"({"duration_s": )" + std::to_string(duration_s) + R"(, "stream": {"shards": 1},)" + extra + R"(
    "producers": [{"rate_per_s": 8, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 50}}],
    "consumers": [{"type": "kcl", "workers": 2, "propagation_delay_s": 0,
                   "worker_failures": [{"at_s": 12.5, "worker": 0}])" + consumer + R"(}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.01},
                                     "per_record": {"type": "constant", "value": )" + std::to_string(per_record) + R"(}}}}})");
}

// A DynamoDB table's single shard rolls over every 10 s while 100 items/s are written for 25 s
// (shards [0, 10), [10, 20), [20, …)); 20 keys; each record takes 12 ms, so a reader falls behind
// (1.2 s of work per second of records) and a shard still has a backlog when its child opens.
RunResult rolling(const char* type, const std::string& consumer = "") {
  return run_checked(std::string(R"({"duration_s": 25, "stream": {"type": "dynamodb", "table": {"partitions": 1}, "shard_rollover_s": 10},
    "producers": [{"rate_per_s": 100, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 20}}],
    "consumers": [{"type": ")") + type + R"(", "propagation_delay_s": 0)" + consumer + R"(}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.01},
                                     "per_record": {"type": "constant", "value": 0.012}}}}})");
}
}  // namespace

TEST_CASE("kcl: a worker failure redelivers exactly the records processed after the last checkpoint") {
  // Worker 0 takes the only lease (the fewest leases, lowest index). It polls at 0, 1, 2, … s,
  // each batch ending 10 ms later, and checkpoints after a batch once 4.5 s have passed since
  // the last: at 5.01 s (records up to 5 s) and 10.01 s (up to 10 s). It then processes the
  // records of (10, 11] and (11, 12] and fails at 12.5 s with nothing in flight. The lease
  // expires at 22.5 s; the lease taker runs every 2 × (10 + 0.025) = 20.05 s, so worker 1 takes
  // it at 40.1 s and reads from the checkpoint: the 16 records of (10, 12] again (duplicates,
  // failover_redelivery), nothing lost. The record of 12.125 s waits longest: processed at
  // 40.11 s, 27.985 s after it was put.
  const RunResult r = failover(R"(, "checkpoint_interval_s": 4.5)", 0);
  const ConsumerResult& c = r.consumers.at(0);
  CHECK(c.counts.duplicates == 16);
  CHECK(r.ordering.causes.at("duplicate/failover_redelivery") == 16);
  CHECK(r.lost == 0);
  CHECK(c.counts.processed == 240);
  CHECK(c.leases_taken == 2);
  CHECK(c.lease_moves == 1);
  CHECK(c.lease_failovers == 1);
  CHECK(r.latency_s.max == Approx(27.985).margin(1e-6));
  CHECK(r.ordering.safe());  // redelivery repeats records; it does not reorder them
}

TEST_CASE("kcl: a batch lost in flight with its worker is processed once, by the next holder") {
  // 100 ms per record: the batch polled at 12 s (the 8 records of (11, 12]) runs until 12.81 s,
  // and the worker fails at 12.5 s in the middle of it. Checkpointing after every batch, the
  // checkpoint is at 11 s. The lease expires at 22.5 s and the taker's next run (every 20.05 s)
  // is at 40.1 s: the next holder reads (11, 30), the 151 records left, 15.11 s of work. Nothing
  // is a duplicate (the lost batch never completed); the record of 11.125 s ends at 55.21 s,
  // 44.085 s after it was put.
  const RunResult r = failover("", 0.1);
  const ConsumerResult& c = r.consumers.at(0);
  CHECK(c.counts.duplicates == 0);
  CHECK(c.counts.processed == 240);
  CHECK(c.lease_failovers == 1);
  CHECK(r.latency_s.max == Approx(44.085).margin(1e-6));
}

TEST_CASE("kcl: a run that ends while a lease waits to move still balances its books") {
  // As above, with 15 s of production and a 1 s drain limit: the run stops at 16 s, while the
  // lease lost at 12.5 s waits to move (22.5 s). Rewound to its checkpoint (10 s), the shard's
  // records of (10, 12] were processed and are not unfinished; those of (12, 15) were never
  // processed: 8 × 3 − 1 = 23 records (12.125 … 14.875 s) in flight at the end.
  const RunResult r = failover(R"(, "checkpoint_interval_s": 4.5)", 0, 15, R"( "limits": {"drain_limit_s": 1},)");
  CHECK(r.consumers.at(0).counts.processed == 97);  // records of [0, 12]: 0 s, 0.125 s, …, 12 s
  CHECK(r.in_flight_at_end == 23);
}

TEST_CASE("kcl: leases beyond max_leases_per_worker wait until a lease ends") {
  // 4 shards, 2 workers of at most 1 lease: shards 0 and 1 get a worker each at 0 s; shards 2
  // and 3 wait for the lease taker (every 20.05 s) and find no room at 20.05 s, just after
  // production ends (20 s) but before shards 0 and 1 are read to their end. Its next run, at
  // 40.1 s, gives shards 2 and 3 the freed leases, and their records wait until then.
  const RunResult r = run_checked(R"({"duration_s": 20, "stream": {"shards": 4},
    "producers": [{"rate_per_s": 400, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 1000}}],
    "consumers": [{"type": "kcl", "workers": 2, "max_leases_per_worker": 1}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.01},
                                     "per_record": {"type": "constant", "value": 0}}}}})");
  const ConsumerResult& c = r.consumers.at(0);
  CHECK(c.leases_taken == 4);
  CHECK(*r.stream.shards[0].read_from_s == 0);
  CHECK(*r.stream.shards[1].read_from_s == 0);
  CHECK(*r.stream.shards[2].read_from_s == Approx(40.1).margin(kEps));
  CHECK(*r.stream.shards[3].read_from_s == Approx(40.1).margin(kEps));
  CHECK(r.latency_s.max > 39);  // a record put near 0 s on shard 2 or 3, processed after 40.1 s
}

TEST_CASE("raw reader: reading a rolled-over shard's child before its parent is drained reorders keys") {
  // The raw reader starts each new shard's poller as the shard opens (lineage ignored): at 10 s
  // the child's records of a key are processed while the parent still holds older ones of it.
  const RunResult r = rolling("raw_reader");
  CHECK(r.stream.rollovers == 2);
  // Polling once a second, the reader takes a second's 100 records as a batch of 1.21 s: it
  // falls 0.21 s further behind each second, and a shard closed at 10 s (or 20 s) is read for
  // about 3 s more (0.21 × 10 plus the batch in hand). Those 3 s / 12 ms ≈ 254 records finish
  // after newer records of their keys from the child: ≈ 2 × 254 out of order.
  CHECK(r.ordering.out_of_order == Approx(2 * 254).margin(40));
  CHECK(r.ordering.causes.at("out_of_order/lineage") == r.ordering.out_of_order);
  CHECK(r.ordering.overlaps == r.ordering.causes.at("overlap/lineage"));
  CHECK(r.lost == 0);
}

TEST_CASE("kcl: the same rolled-over shards read parent first keep every key in order") {
  // The KCL (and the DynamoDB Streams Kinesis Adapter) creates a child's lease once its parent is
  // at SHARD_END, and a lease taker takes it at its next run (every 20.05 s). Shard 1 opens at
  // 10 s; its parent, 1.2 s of work behind, ends after 13 s: shard 1 is read from the taker's run
  // at 20.05 s. Shard 2 opens at 20 s; shard 1 then ends after 30 s (it started 10 s late with
  // 10 s of records and more): shard 2 is read from the run at 40.1 s.
  const RunResult r = rolling("kcl");
  CHECK(r.ordering.safe());
  REQUIRE(r.stream.shards.size() == 3);
  for (std::size_t s = 1; s < 3; ++s) CHECK(*r.stream.shards[s].read_from_s >= *r.stream.shards[s - 1].read_until_s);
  CHECK(*r.stream.shards[0].read_until_s > 13);
  CHECK(*r.stream.shards[1].read_from_s == Approx(20.05).margin(kEps));
  CHECK(*r.stream.shards[1].read_until_s > 30);
  CHECK(*r.stream.shards[2].read_from_s == Approx(40.1).margin(kEps));
  // Not Lambda: no Lambda requests or GB-seconds; each GetRecords call is a billed read request.
  CHECK(r.cost.lambda_requests == 0);
  CHECK(r.cost.gb_seconds == 0);
  // A call is made when the lane is idle with nothing buffered. Shard 0 takes 7 batches: the
  // record of 0 s at 0 s (0.022 s of work), then at 1 s (100 records, 1.21 s), 2.21 s (121,
  // 1.462 s), 3.672 s (146), 5.434 s (176), 7.556 s (212) and 10.11 s (the 244 up to 10 s, done
  // at 13.048 s); shards 1 and 2 one each (1,000 and 500 records). After each shard's last batch
  // one more call finds nothing more: 9 + 3 = 12 calls.
  CHECK(r.consumers.at(0).counts.invocations == 9);
  CHECK(r.consumers.at(0).read_calls == 12);
  CHECK(r.cost.stream_read_requests == 12);
}

TEST_CASE("kcl: a child's lease is created at its parent's end and taken at the lease taker's next run") {
  // The lease taker runs every second here: shard 1's lease, created when shard 0 ends (after
  // 13 s, before 20 s), is taken at the next whole second, and shard 1 is read from then.
  const RunResult r = rolling("kcl", R"(, "lease_taker_interval_s": 1)");
  REQUIRE(r.stream.shards.size() == 3);
  const double parent_end = *r.stream.shards[0].read_until_s;
  REQUIRE(parent_end > 13);
  REQUIRE(parent_end < 20);
  CHECK(*r.stream.shards[1].read_from_s == Approx(std::ceil(parent_end)).margin(kEps));
}

TEST_CASE("kcl: with periodic shard syncs a child's lease is taken early and its holder polls for the parent's end") {
  // The same with a shard sync every 5 s (KCL 1.x): shard 1's lease exists from the sync at
  // 10 s, when shard 1 opens, and is taken then; its holder finds shard 0 still being read (it
  // ends after 13 s) and looks again every 10 s: shard 1 is read from its look at 20 s.
  const RunResult r = rolling("kcl", R"(, "lease_taker_interval_s": 1, "shard_sync_interval_s": 5)");
  REQUIRE(r.stream.shards.size() == 3);
  CHECK(*r.stream.shards[0].read_until_s > 13);
  CHECK(*r.stream.shards[1].read_from_s == Approx(20).margin(kEps));
  CHECK(r.ordering.safe());
}

namespace {
// Two shards, one record each: key a (shard 0) at 0 s, key b (shard 1) at 1 µs (shardsim keys
// --shards 2 a b); one KCL worker polling each shard once a second; each record takes 5 s.
RunResult two_busy_shards(const std::string& consumer) {
  return run_checked(R"({"duration_s": 1, "stream": {"shards": 2},
    "producers": [{"rate_per_s": 1e6, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["a", "b"]}}],
    "consumers": [{"type": "kcl", "workers": 1, "propagation_delay_s": 0)" + consumer + R"(}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0},
                                     "per_record": {"type": "constant", "value": 5}}}}})");
}
}  // namespace

TEST_CASE("kcl: a worker of one thread processes its shards' batches one at a time") {
  // Shard 0 reads a at 0 and runs it over [0, 5]. Shard 1's read at 0 finds nothing (b comes
  // 1 µs later); its next, at 1 s, gets b, which waits 4 s for the worker's one thread and runs
  // over [5, 10]: latency 10 − 1 µs. Without the limit b would run over [1, 6].
  const RunResult r = two_busy_shards(R"(, "worker_threads": 1)");
  const ConsumerResult& c = r.consumers.at(0);
  CHECK(c.thread_waits == 1);
  CHECK(c.thread_wait_s == Approx(4).margin(kEps));
  CHECK(r.latency_s.max == Approx(10 - 1e-6).margin(1e-9));
}

TEST_CASE("kcl: without a thread limit a worker processes all its shards at once") {
  // The same, unlimited (the KCL's default pool): b runs over [1, 6], latency 6 − 1 µs.
  const RunResult r = two_busy_shards("");
  CHECK(r.consumers.at(0).thread_waits == 0);
  CHECK(r.latency_s.max == Approx(6 - 1e-6).margin(1e-9));
}

TEST_CASE("a Lambda trigger, the Kinesis Adapter and a raw reader side by side on one DynamoDB shard") {
  // Three readers of one shard share two Lambda pollers' calls (8 per second), an equal 2.67
  // each: the trigger (4 polls/s) is held back, wanting 4 − 2.67 = 1.33 calls/s beyond its
  // share (about 40 over 30 s); the adapter (KCL, 2 polls/s with the adapter's recommended
  // 0.5 s) and the raw reader (1 poll/s) stay within their shares. All three process every
  // item; only the trigger's work is Lambda's.
  const RunResult r = run_checked(R"({"duration_s": 30, "stream": {"type": "dynamodb", "table": {"partitions": 1}},
    "producers": [{"rate_per_s": 50, "keys": {"type": "uniform", "count": 100}}],
    "consumers": [{"function": "f", "name": "trigger"},
                  {"function": "f", "type": "kcl", "name": "adapter", "poll_interval_s": 0.5, "max_records": 1000},
                  {"function": "f", "type": "raw_reader", "name": "reader"}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0.01},
                                     "per_record": {"type": "constant", "value": 0.001}}}}})");
  REQUIRE(r.consumers.size() == 3);
  const std::size_t readers = 2;  // ReadLimit::readers
  CHECK(r.consumers[0].counts.read_calls_wanted[readers] == Approx(40).margin(4));
  CHECK(r.consumers[1].counts.read_waits[readers] == 0);
  CHECK(r.consumers[2].counts.read_waits[readers] == 0);
  CHECK(r.totals.read_throttles == 0);
  for (const auto& c : r.consumers) CHECK(c.counts.processed == r.written);
  CHECK(r.cost.lambda_requests == static_cast<double>(r.consumers[0].counts.invocations));
  CHECK(r.cost.stream_read_requests == static_cast<double>(r.consumers[1].read_calls + r.consumers[2].read_calls));
}
