// A Kafka topic read by Lambda: one batch per partition in flight, a topic that gains partitions
// (keys move and their order breaks: repartition), and the event pollers' 5 MB/s each.
#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
// A topic (`topic`: the stream's topic object) written by one producer at `rate` records/s of
// `bytes` bytes over `keys` keys, read by one mapping with `consumer` fields, a handler of
// `per_record` s per record and no init time.
std::string topic(const std::string& topic, const std::string& producer, const std::string& consumer, double per_record,
                  double duration) {
  return R"({"duration_s": )" + std::to_string(duration) + R"(,
    "stream": {"type": "kafka", "topic": )" + topic + R"(},
    "producers": [)" + producer + R"(],
    "consumers": [)" + consumer + R"(],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0},
                                     "per_record": {"type": "constant", "value": )" + std::to_string(per_record) + R"(}},
                        "cold_start": {"init_s": {"type": "constant", "value": 0}}}}})";
}
}  // namespace

TEST_CASE("kafka: a partition runs one batch at a time, so concurrency stops at the partition count") {
  // 200 records/s over 1,000 keys on 4 partitions, 0.1 s per record in batches of 10 (1 s each):
  // every partition always has work, one batch each: 4 at once, never 5, and 4 × 10 records/s
  // processed, far below what arrives.
  const RunResult r = run_checked(topic(R"({"partitions": 4})",
                                        R"({"rate_per_s": 200, "keys": {"type": "uniform", "count": 1000}})",
                                        R"({"batch_size": 10, "batching_window_s": 0})", 0.1, 20));
  CHECK(r.stream.type == "kafka");
  CHECK(r.concurrency_peak == 4);
  CHECK(r.concurrency_limit == 4);
  CHECK(r.ordering.safe());
  CHECK(r.topic.partitions_at_end == 4);
}

TEST_CASE("kafka: adding partitions moves a key, and its new records overtake its old ones") {
  // Key "D" every 0.25 s from 0, 1 s of work per record, batches of 1. One partition until
  // 2.1 s: records 0 … 2.0 s (9) queue there and run [i, i + 1] for i = 0 … 8. From 2.1 s the
  // topic has 2 partitions and murmur2("D") mod 2 = 1 (−1,339,759,895 & 0x7fffffff =
  // 807,723,753, odd): records 2.25 … 3.75 s (7) go to the new, idle partition and run
  // [2.25 + j, 3.25 + j]. Out of order: the old partition's records that succeed after 3.25 s,
  // when the record of 2.25 s did: those ending at 4 … 9, 6 of them. Overlaps: each of the 7
  // new records starts while an old one runs, and each old record starting at 3 … 8 s (6) starts
  // while a new one runs: 13. All caused by the repartition; none by lineage (there is none).
  const RunResult r = run_checked(
      topic(R"({"partitions": 1, "repartition": [{"at_s": 2.1, "partitions": 2}]})",
            R"({"rate_per_s": 4, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": ["D"], "repeat": true}})",
            R"({"batch_size": 1, "batching_window_s": 0})", 1, 4));
  CHECK(r.totals.processed == 16);
  CHECK(r.ordering.out_of_order == 6);
  CHECK(r.ordering.overlaps == 13);
  CHECK(r.ordering.causes.at("out_of_order/repartition") == 6);
  CHECK(r.ordering.causes.at("overlap/repartition") == 13);
  CHECK(r.ordering.causes.count("out_of_order/lineage") == 0);
  CHECK(r.topic.repartitions == 1);
  CHECK(r.topic.partitions_at_end == 2);
  CHECK(r.stream.open_shards_at_end == 2);
}

namespace {
// 20 records/s of 500,000 bytes (10 MB/s) on 2 partitions for 30 s: 600 records, 300 MB.
RunResult heavy(const std::string& pollers) {
  return run_checked(topic(R"({"partitions": 2})",
                           R"({"rate_per_s": 20, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 100},
                               "record_bytes": {"type": "constant", "value": 500000}})",
                           R"({"batch_size": 10, "batching_window_s": 0)" + pollers + "}", 0.001, 30));
}
}  // namespace

TEST_CASE("kafka: one on-demand poller reads 5 MB/s for all partitions") {
  // One poller until the first evaluation (60 s) and its change 180 s later: 5 MB/s for the
  // whole run. Its budget starts with a second's 5 MB; the last of the 300 MB is earned at
  // (300 − 5) / 5 = 59 s, and each partition's reader may fetch a call (10 MB) on credit once
  // the budget is positive, so both together may run 20 MB (4 s) ahead: the last fetch is
  // between 55 and 59 s. Without the pollers' limit it would end near 30 s.
  const RunResult r = heavy("");
  CHECK(r.totals.processed == 600);
  CHECK(r.simulated_s > 55);
  CHECK(r.simulated_s < 59.5);
  CHECK(r.topic.peak_pollers == 1);
}

TEST_CASE("kafka: two provisioned pollers read 10 MB/s, as fast as the records come") {
  // MinimumPollers 2: a poller per partition, 5 MB/s each, what each partition receives.
  const RunResult r = heavy(R"(, "pollers": {"mode": "provisioned", "minimum": 2, "maximum": 2})");
  CHECK(r.totals.processed == 600);
  CHECK(r.simulated_s < 31);
  CHECK(r.topic.peak_pollers == 2);
}

TEST_CASE("kafka: records without a key spread in sticks of batch.size bytes and are never ordered") {
  // 400 records/s of 1,024 bytes without a key for 10 s: the producer sends 16 records (16 KiB)
  // to a partition, then draws another. Every partition's count is a multiple of 16 but for the
  // last, unfinished stick's partition. The 4 partitions run batches at once (0.05 s per record,
  // batches of 10: each partition is busy), records of "no key" overlap all the time, and the
  // checker keeps no order for them: safe, no key affected.
  const RunResult r = run_checked(topic(R"({"partitions": 4})",
                                        R"({"rate_per_s": 400, "arrival": {"type": "constant"}, "keys": {"type": "none"},
                                            "record_bytes": {"type": "constant", "value": 1024}})",
                                        R"({"batch_size": 10, "batching_window_s": 0})", 0.05, 10));
  CHECK(r.written == 4000);
  int partial = 0;
  for (const auto& shard : r.stream.shards) {
    CHECK(shard.records > 0);
    partial += shard.records % 16 != 0;
  }
  CHECK(partial <= 1);
  CHECK(r.concurrency_peak == 4);
  CHECK(r.ordering.safe());
  CHECK(r.ordering.keys_affected == 0);
}
