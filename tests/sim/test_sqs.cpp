// SQS queues read by a Lambda mapping: FIFO message groups, visibility timeouts, the dead-letter
// queue, at-least-once delivery and the standard queue's poller scaling. One process per
// TEST_CASE. Every scenario starts its functions warm in effect (init 0 s) and makes messages
// receivable at once (propagation 0 s, long polling), so times follow from the arrivals and the
// handler's constant durations.
#include "tests/sim/support.hpp"

using namespace shardsim;
using namespace shardsim::testing;

namespace {
// `rate` messages per second at 0, 1/rate, 2/rate, … for `duration` s, with partition keys taken
// from `keys` in turn; each record takes `per_record` s.
RunResult queue_run(const std::string& type, double rate, double duration, const std::string& keys, double per_record,
                    const std::string& queue, const std::string& consumer, const std::string& function = "") {
  return run_checked(R"({"duration_s": )" + std::to_string(duration) + R"(,
    "stream": {"type": ")" + type + R"(", "queue": {)" + queue + R"(}},
    "producers": [{"rate_per_s": )" + std::to_string(rate) + R"(, "arrival": {"type": "constant"},
                   "keys": {"type": "sequence", "values": )" + keys + R"(, "repeat": true}}],
    "consumers": [{"function": "f")" + consumer + R"(}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0},
                                     "per_record": {"type": "constant", "value": )" + std::to_string(per_record) + R"(}},
                        "cold_start": {"init_s": {"type": "constant", "value": 0}})" + function + R"(}}})");
}
}  // namespace

TEST_CASE("sqs fifo: a failing group waits for its messages and goes to the dead-letter queue while other groups flow") {
  // Groups A and B take turns, 2 messages/s for 5 s: A at 0, 1, 2, 3, 4 s; B at 0.5, 1.5, … 4.5 s.
  // Every A message fails (poison key). A0 is received alone at 0 s and fails at 0.1 s; the group
  // waits for it until its visibility timeout ends (0 + 5 s). At 5 s the group holds A0 … A4: one
  // batch, failing at its first record; all five return, visible at 10 s. At 10 s A0 has been
  // received twice (max_receive_count 2): dead-lettered; A1 … A4 are received a second time at
  // 10 s, fail, and are dead-lettered at 15 s. Receives: 1 + 5 + 4 (A) + 5 (B) = 15; returns:
  // 1 + 5 + 4 = 10. Meanwhile each B message is received when it is sent and done 0.1 s later.
  const RunResult r = queue_run("sqs_fifo", 2, 5, R"(["A", "B"])", 0.1,
                                R"("visibility_timeout_s": 5, "max_receive_count": 2)", R"(, "maximum_concurrency": 2)",
                                R"(, "errors": {"poison_keys": ["A"]})");
  CHECK(r.consumers.at(0).counts.processed == 5);
  CHECK(r.latency_s.max == Approx(0.1).margin(kEps));
  CHECK(r.queue.dead_lettered == 5);
  CHECK(r.ordering.causes.at("lost/dead_letter") == 5);
  CHECK(r.lost == 5);
  CHECK(r.queue.receives == 15);
  CHECK(r.queue.returned == 10);
  CHECK(r.ordering.safe());
  CHECK(r.simulated_s == Approx(15).margin(1e-6));
}

TEST_CASE("sqs fifo: concurrency is bounded by the groups with messages") {
  // Groups A, B, C in turn, 30 messages/s for 1 s (10 per group); each record 1 s, batches of
  // up to 10. At 0 s only A0 is visible: a batch of one, running until 1 s. B0 and C0 start their
  // own batches at 1/30 and 2/30 s; the groups' later messages wait for them. However many
  // pollers MaximumConcurrency (10) allows, no more than the 3 groups run at once, and no group
  // is processed out of order or twice at once.
  const RunResult r = queue_run("sqs_fifo", 30, 1, R"(["A", "B", "C"])", 1, R"("send_batch_size": 10)",
                                R"(, "maximum_concurrency": 10)", R"(, "timeout_s": 900)");
  CHECK(r.concurrency_peak == 3);
  CHECK(r.concurrency_limit == 10);
  CHECK(r.ordering.overlaps == 0);
  CHECK(r.ordering.out_of_order == 0);
  CHECK(r.consumers.at(0).counts.processed == 30);
}

TEST_CASE("sqs fifo: sends beyond 300 calls per second are refused") {
  // 400 messages/s for 10 s (every 2.5 ms), one per SendMessage, no retries: the queue admits
  // 300 per second plus its first second's bucket (write_burst_s 1). The bucket starts with 300
  // and gains 300/s until the last send at 9.9975 s: 300 + 300 × 9.9975 = 3,299.25, so 3,299
  // sends are admitted (give or take one at the rounding of the refill); the rest are dropped.
  const RunResult r = run_checked(R"({"duration_s": 10, "stream": {"type": "sqs_fifo"},
    "producers": [{"rate_per_s": 400, "arrival": {"type": "constant"}, "max_put_attempts": 1,
                   "keys": {"type": "uniform", "count": 10}}],
    "consumers": [{"function": "f"}],
    "functions": {"f": {"duration": {"per_record": {"type": "constant", "value": 0.001}}}}})");
  CHECK(r.produced == 4000);
  CHECK(r.written >= 3298);
  CHECK(r.written <= 3300);
  CHECK(r.dropped == 4000 - r.written);
  CHECK(r.write_throttled == r.dropped);
}

TEST_CASE("sqs standard: a throttled batch returns after the visibility timeout and is processed out of order") {
  // One key, 1 message/s for 3 s (m0, m1, m2 at 0, 1, 2 s), 1.5 s each; the function's reserved
  // concurrency is 1 and the mapping may run 2 batches. m0 runs 0–1.5 s. At 1 s a second poller
  // receives m1 and is throttled: m1 stays invisible until 1 + 5 s and the poller waits 1 s (the
  // retry backoff). At 2 s it receives m2, which runs 2–3.5 s. At 6 s m1 is visible again and
  // runs 6–7.5 s: done 6.5 s after it was sent, after m2 (out of order: retry_after_failure).
  const RunResult r = queue_run("sqs_standard", 1, 3, R"(["K"])", 1.5, R"("visibility_timeout_s": 5)",
                                R"(, "maximum_concurrency": 2)", R"(, "reserved_concurrency": 1)");
  CHECK(r.consumers.at(0).counts.processed == 3);
  CHECK(r.consumers.at(0).counts.throttled == 1);
  CHECK(r.queue.returned == 1);
  CHECK(r.ordering.out_of_order == 1);
  CHECK(r.ordering.causes.at("out_of_order/retry_after_failure") == 1);
  CHECK(r.ordering.overlaps == 0);
  CHECK(r.latency_s.max == Approx(6.5).margin(kEps));
  CHECK(r.simulated_s == Approx(7.5).margin(1e-6));
}

TEST_CASE("sqs standard: a failing message returns after each visibility timeout until the dead-letter queue") {
  // "bad" (poison) at 0 and 2 s, "good" at 1 and 3 s; 0.1 s each; visibility 5 s, max 2 receives.
  // bad@0: received at 0 and 5 s, dead-lettered when visible again at 10 s; bad@2: received at 2
  // and 7 s, dead-lettered at 12 s. The good messages are not held up: done 0.1 s after sending.
  const RunResult r = queue_run("sqs_standard", 1, 4, R"(["bad", "good"])", 0.1,
                                R"("visibility_timeout_s": 5, "max_receive_count": 2)", "", R"(, "errors": {"poison_keys": ["bad"]})");
  CHECK(r.consumers.at(0).counts.processed == 2);
  CHECK(r.queue.dead_lettered == 2);
  CHECK(r.ordering.causes.at("lost/dead_letter") == 2);
  CHECK(r.queue.receives == 6);
  CHECK(r.queue.returned == 4);
  CHECK(r.latency_s.max == Approx(0.1).margin(kEps));
  CHECK(r.simulated_s == Approx(12).margin(1e-6));
}

TEST_CASE("sqs standard: at-least-once delivery processes a message again a visibility timeout later") {
  // With duplicate_probability 1 every processed message is delivered once more, visible 5 s
  // after its receive: m0, m1, m2 (0, 1, 2 s) run again at 5, 6, 7 s, the last until 7.1 s.
  const RunResult r = queue_run("sqs_standard", 1, 3, R"(["K"])", 0.1,
                                R"("visibility_timeout_s": 5, "duplicate_probability": 1)", "");
  CHECK(r.consumers.at(0).counts.processed == 3);
  CHECK(r.ordering.duplicates == 3);
  CHECK(r.ordering.causes.at("duplicate/at_least_once") == 3);
  CHECK(r.queue.duplicates_delivered == 3);
  CHECK(r.latency_s.max == Approx(0.1).margin(kEps));  // latency counts the first processing
  CHECK(r.simulated_s == Approx(7.1).margin(1e-6));
}

TEST_CASE("sqs standard: pollers start at 5 batches and add 300 per minute while messages wait") {
  // 1,000 messages in the first second (one every 1 ms), 100 s each, batches of 1: a backlog from
  // the start. The first five pollers are busy by 4 ms; from 5 ms (the sixth message) every
  // allowed poller is busy while messages wait, so the mapping adds 5 batches per second:
  // 5 + ⌊5 (t − 0.005)⌋ at time t. The run stops at 20 s (1 s of production + a 19 s drain
  // limit), before any invocation ends: the last poller added is the 104th, at 19.805 s.
  const RunResult r = run_checked(R"({"duration_s": 1, "limits": {"drain_limit_s": 19},
    "stream": {"type": "sqs_standard"},
    "producers": [{"rate_per_s": 1000, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 100}}],
    "consumers": [{"function": "f", "batch_size": 1}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "constant", "value": 0},
                                     "per_record": {"type": "constant", "value": 100}}, "timeout_s": 900,
                        "cold_start": {"init_s": {"type": "constant", "value": 0}}}}})");
  CHECK(r.concurrency_peak == 104);
  CHECK(r.queue.peak_pollers == 104);
  CHECK(r.concurrency_limit == 1000);
}

namespace {
// Three messages at 0, 1/30 and 2/30 s, gathered into one batch by a 1 s window (it is full at
// 2/30 s); the second ("bad") always fails; 0.1 s per record; visibility 5 s; 2 receives at most.
RunResult item_failures(const std::string& type, const std::string& keys, bool report) {
  return run_checked(R"({"duration_s": 0.1, "stream": {"type": ")" + type + R"(", "queue": {"visibility_timeout_s": 5, "max_receive_count": 2}},
    "producers": [{"rate_per_s": 30, "arrival": {"type": "constant"}, "keys": {"type": "sequence", "values": )" + keys + R"(}}],
    "consumers": [{"function": "f", "batch_size": 3, )" + (type == "sqs_standard" ? R"("batching_window_s": 1, )" : "") +
                     R"("report_batch_item_failures": )" + (report ? "true" : "false") + R"(}],
    "functions": {"f": {"errors": {"poison_keys": ["bad"]}, "cold_start": {"init_s": {"type": "constant", "value": 0}},
                        "duration": {"per_invocation": {"type": "constant", "value": 0},
                                     "per_record": {"type": "constant", "value": 0.1}}}}})");
}
}  // namespace

TEST_CASE("sqs standard: ReportBatchItemFailures returns only the failed message") {
  // The batch [a, bad, c] received at 2/30 s runs every record and reports "bad": a and c are
  // deleted (done at 2/30 + 0.3 s). "bad" is visible again at 2/30 + 5 s, alone: the window
  // holds it 1 s for a fuller batch, so it is received at 2/30 + 6 s, fails, and is
  // dead-lettered when visible again at 2/30 + 11 s.
  const RunResult r = item_failures("sqs_standard", R"(["a", "bad", "c"])", true);
  CHECK(r.consumers.at(0).counts.processed == 2);
  CHECK(r.queue.dead_lettered == 1);
  CHECK(r.queue.returned == 2);
  CHECK(r.latency_s.max == Approx(2.0 / 30 + 0.3).margin(kEps));
  CHECK(r.simulated_s == Approx(2.0 / 30 + 11).margin(1e-6));
}

TEST_CASE("sqs standard: without ReportBatchItemFailures a failing message returns its whole batch") {
  // The function throws at "bad": nothing of the batch is deleted. All three are visible again at
  // 2/30 + 5 s (a full batch: received at once), fail again, and are dead-lettered at 2/30 + 10 s:
  // a and c are lost with it.
  const RunResult r = item_failures("sqs_standard", R"(["a", "bad", "c"])", false);
  CHECK(r.consumers.at(0).counts.processed == 0);
  CHECK(r.queue.dead_lettered == 3);
  CHECK(r.queue.returned == 6);
  CHECK(r.ordering.causes.at("lost/dead_letter") == 3);
  CHECK(r.simulated_s == Approx(2.0 / 30 + 10).margin(1e-6));
}

TEST_CASE("sqs fifo: a reported failure also returns the later messages of its group") {
  // One group, 20 messages/s for 10 s, batches of up to 10, each record failing with probability
  // 0.3 and reported (ReportBatchItemFailures). If the records after a failed one were deleted,
  // the failed one would succeed after them: out of order. Returning them with it keeps the
  // group in order however the failures fall; every message is processed in the end.
  const RunResult r = run_checked(R"({"duration_s": 10, "stream": {"type": "sqs_fifo", "queue": {"visibility_timeout_s": 2}},
    "producers": [{"rate_per_s": 20, "keys": {"type": "uniform", "count": 1}}],
    "consumers": [{"function": "f", "report_batch_item_failures": true}],
    "functions": {"f": {"errors": {"record_failure_probability": 0.3},
                        "duration": {"per_record": {"type": "constant", "value": 0.01}}}}})");
  // The premise, not the finding: with 200 messages failing with probability 0.3 each, a run
  // without a reported failure has probability 0.7^200 ≈ 1e-31.
  REQUIRE(r.queue.returned > 0);
  REQUIRE(r.consumers.at(0).counts.partial_failures > 0);
  CHECK(r.ordering.out_of_order == 0);
  CHECK(r.ordering.overlaps == 0);
  CHECK(r.consumers.at(0).counts.processed == r.written);
}

TEST_CASE("sqs: messages older than the retention period are deleted unreceived") {
  // 1 message/s for 10 s (0 … 9 s) into a queue of 60 s retention whose mapping is enabled at
  // 100 s: by then every message is older than 60 s and expires (lost, cause expired); nothing
  // is processed.
  const RunResult r = run_checked(R"({"duration_s": 10, "stream": {"type": "sqs_standard", "queue": {"retention_s": 60}},
    "producers": [{"rate_per_s": 1, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 3}}],
    "consumers": [{"function": "f", "start_s": 100}],
    "functions": {"f": {}}})");
  CHECK(r.consumers.at(0).counts.processed == 0);
  CHECK(r.consumers.at(0).counts.expired == 10);
  CHECK(r.ordering.causes.at("lost/expired") == 10);
}

namespace {
// One key, 20 messages/s for 20 s, batches of up to 10, 30 % of invocations failing (a transient
// error before any record); visibility 2 s.
RunResult flaky(const std::string& type) {
  return run_checked(R"({"duration_s": 20, "stream": {"type": ")" + type + R"(", "queue": {"visibility_timeout_s": 2}},
    "producers": [{"rate_per_s": 20, "keys": {"type": "uniform", "count": 1}}],
    "consumers": [{"function": "f", "maximum_concurrency": 4}],
    "functions": {"f": {"errors": {"invocation_failure_probability": 0.3},
                        "duration": {"per_record": {"type": "constant", "value": 0.01}}}}})");
}
}  // namespace

TEST_CASE("sqs standard: failed messages come back after newer ones and finish out of order") {
  // A failed batch's messages are visible again 2 s later; meanwhile other pollers take the key's
  // newer messages: the retried ones finish after them (retry_after_failure). Every message is
  // processed in the end (no dead-letter queue).
  const RunResult r = flaky("sqs_standard");
  REQUIRE(r.queue.returned > 0);  // the premise: invocations fail with probability 0.3 each
  CHECK(r.ordering.causes.count("out_of_order/retry_after_failure"));
  CHECK(r.consumers.at(0).counts.processed == r.written);
}

TEST_CASE("sqs fifo: failed messages hold their group and the group stays in order") {
  // The same failures on a FIFO queue: the group waits for its failed batch, so nothing of it
  // overtakes; all processed, in order, never two of its batches at once.
  const RunResult r = flaky("sqs_fifo");
  REQUIRE(r.queue.returned > 0);  // the premise: invocations fail with probability 0.3 each
  CHECK(r.ordering.out_of_order == 0);
  CHECK(r.ordering.overlaps == 0);
  CHECK(r.concurrency_peak == 1);  // one group: one batch at a time
  CHECK(r.consumers.at(0).counts.processed == r.written);
}

TEST_CASE("sqs: with a poll interval an idle poller looks once per interval") {
  // Messages at 0, 1 and 2 s; the mapping starts at 0.5 s with poll_interval_s 1. It receives m0
  // at 0.5 s, then finds nothing and looks again 1 s later: m1 (sent at 1 s) is received at
  // 1.5 s, m2 at 2.5 s. Each waits 0.5 s and takes 0.25 s: latency 0.75 s for every message
  // (with long polling, m1 and m2 would take 0.25 s).
  const RunResult r = run_checked(R"({"duration_s": 3, "stream": {"type": "sqs_standard"},
    "producers": [{"rate_per_s": 1, "arrival": {"type": "constant"}, "keys": {"type": "uniform", "count": 1}}],
    "consumers": [{"function": "f", "poll_interval_s": 1, "start_s": 0.5}],
    "functions": {"f": {"cold_start": {"init_s": {"type": "constant", "value": 0}},
                        "duration": {"per_invocation": {"type": "constant", "value": 0},
                                     "per_record": {"type": "constant", "value": 0.25}}}}})");
  CHECK(r.consumers.at(0).counts.processed == 3);
  CHECK(r.latency_s.max == Approx(0.75).margin(kEps));
  CHECK(r.latency_s.mean == Approx(0.75).margin(kEps));
}

TEST_CASE("sqs: a message's latency splits into its wait for a receive, its retries and the handler") {
  // One message p at 0 s of a standard queue (visibility timeout 5 s), 0.1 s per record; its
  // first invocation fails. Received at 0 (no wait), it fails at 0.1 and is visible again at 5,
  // received again and done at 5.1: latency 5.1 = retries 5 (first receive → the one that
  // succeeded) + handler 0.1.
  const RunResult r = queue_run("sqs_standard", 1, 1, R"(["p"])", 0.1, R"("visibility_timeout_s": 5)", "",
                                R"(, "errors": {"failing_records": [{"key": "p", "attempts": [1]}]})");
  REQUIRE(r.totals.processed == 1);
  CHECK(r.latency_s.mean == Approx(5.1).margin(kEps));
  REQUIRE(r.latency_causes_s);
  const auto part = [&](LatencyCause c) { return (*r.latency_causes_s)[static_cast<std::size_t>(c)].mean; };
  CHECK(part(LatencyCause::retries) == Approx(5).margin(kEps));
  CHECK(part(LatencyCause::handler) == Approx(0.1).margin(kEps));
  CHECK(part(LatencyCause::poll) == Approx(0).margin(kEps));
  REQUIRE(r.diagnosis);
  CHECK(r.diagnosis->bound == "failures");
}

namespace {
// 2,000 messages/s in batches of 10, 0.1 s per message (1 s per batch): 200 batches busy at once
// keep up; with `consumer` fields.
RunResult busy_standard_queue(const std::string& consumer) {
  return queue_run("sqs_standard", 2000, 30, R"(["a", "b", "c", "d"])", 0.1, "", R"(, "batch_size": 10)" + consumer);
}
}  // namespace

TEST_CASE("sqs standard: on-demand pollers take 39 s to reach the 200 batches the load needs") {
  // From 5 batches, 5 more per second while every poller is busy: 200 after (200 − 5) / 5 =
  // 39 s, longer than production (30 s); the backlog waits meanwhile, and the pollers go on
  // scaling while it drains: at most 5 + 5 t by the end t.
  const RunResult r = busy_standard_queue("");
  CHECK(r.latency_s.p99 > 10);
  CHECK(r.simulated_s > 39);
  CHECK(static_cast<double>(r.queue.peak_pollers) <= 5 + 5 * r.simulated_s + 1);
}

TEST_CASE("sqs standard: provisioned pollers run 10 batches each from the start") {
  // MinimumPollers 20: 200 batches at once from 0 s, as many as the load needs; MaximumPollers
  // 20 caps them there. A message waits at most for a batch to end: p99 below 1 s of work plus
  // that wait (2 s).
  const RunResult r = busy_standard_queue(R"(, "pollers": {"mode": "provisioned", "minimum": 20, "maximum": 20})");
  CHECK(r.concurrency_limit == 200);
  CHECK(r.queue.peak_pollers <= 200);
  CHECK(r.queue.peak_pollers >= 190);
  CHECK(r.latency_s.p99 < 2);
}

TEST_CASE("sqs standard: messages no filter matches are deleted, never invoked") {
  // Keys a … e in turn, 50 messages/s for 20 s (1,000: 200 of each), batches of 5 in a 1 s
  // window (a window gathers 50 messages: receives of 5), a filter on a and b: 400 processed,
  // 600 filtered. A batch of five consecutive messages holds exactly two of a and b (each run
  // of five keys holds one of each), so every receive invokes: 200 invocations of 2 messages.
  const RunResult r = queue_run("sqs_standard", 50, 20, R"(["a", "b", "c", "d", "e"])", 0.001, "",
                                R"(, "batch_size": 5, "batching_window_s": 1, "filters": [{"partition_keys": ["a", "b"]}])");
  CHECK(r.totals.processed == 400);
  CHECK(r.totals.filtered == 600);
  CHECK(r.in_flight_at_end == 0);
  CHECK(r.totals.invocations == 200);
  CHECK(r.mean_batch_size == Approx(2).epsilon(kEps));
  CHECK(r.queue.returned == 0);
}

TEST_CASE("sqs fifo: a batch its filter discards whole is deleted without an invocation, and groups stay in order") {
  // Groups A and B take turns at 10 messages/s for 10 s (50 each): A at 0, 0.2, … s, B at 0.1,
  // 0.3, … s; the filter keeps only group A. Each message is received alone when it is sent (the
  // one before it is done 0.01 s after its receive): a B message is deleted without an
  // invocation, an A message invoked alone: 50 invocations, in each group's order.
  const RunResult r = queue_run("sqs_fifo", 10, 10, R"(["A", "B"])", 0.01, "",
                                R"(, "maximum_concurrency": 2, "filters": [{"partition_keys": ["A"]}])");
  CHECK(r.totals.processed == 50);
  CHECK(r.totals.filtered == 50);
  CHECK(r.ordering.safe());
  CHECK(r.totals.invocations == 50);
}
