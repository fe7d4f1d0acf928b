#!/usr/bin/env python3
"""Writes the bad-input corpus: tests/corpus/files/*.json (and .csv) and tests/corpus/cases.tsv.

Each case is a command line run from tests/corpus/files and the text its output must contain
(a field path, a file:line, or the option); every case must exit with code 2. Run it again
after changing the cases below; run-corpus.sh checks them.
"""
import json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
files = os.path.join(here, "files")
os.makedirs(files, exist_ok=True)
for f in os.listdir(files):
    os.remove(os.path.join(files, f))

BASE = {"duration_s": 5, "stream": {"shards": 2}, "producers": [{"rate_per_s": 10, "keys": {"type": "uniform", "count": 10}}],
        "consumers": [{"function": "f"}], "functions": {"f": {}}}
cases = []  # (expected text, command)
counter = [0]

def name(stem, ext="json"):
    counter[0] += 1
    return "c%03d-%s.%s" % (counter[0], stem, ext)

def raw(stem, text, expect, ext="json", command="validate"):
    n = name(stem, ext)
    with open(os.path.join(files, n), "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode())
    cases.append((expect, "%s %s" % (command, n) if command else n))
    return n

def scenario(stem, change, expect):
    """BASE with `change` applied: a dict of dotted path → value (None deletes)."""
    doc = json.loads(json.dumps(BASE))
    for path, value in change.items():
        node, parts = doc, path.split(".")
        for p in parts[:-1]:
            node = node[int(p)] if isinstance(node, list) else node.setdefault(p, {})
        last = parts[-1]
        if value is None:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    raw(stem, json.dumps(doc, indent=1), expect)

def override(stem, sets, expect):
    n = name(stem)
    with open(os.path.join(files, n), "w") as f:
        json.dump(BASE, f)
    cases.append((expect, "validate %s %s" % (n, " ".join("--set '%s'" % s for s in sets))))

# 1. Invalid and truncated JSON.
good = json.dumps(BASE)
for i, cut in enumerate([1, 10, 40, len(good) // 2, len(good) - 1]):
    raw("truncated-%d" % i, good[:cut], "invalid JSON")
raw("trailing-comma", good[:-1] + ",}", "invalid JSON")
raw("single-quotes", good.replace('"', "'"), "invalid JSON")
raw("comment", "// a scenario\n" + good, "invalid JSON")
raw("nan-literal", good.replace('"duration_s": 5', '"duration_s": NaN'), "invalid JSON")
raw("empty-file", "", "invalid JSON")
raw("not-an-object", "[1, 2, 3]", "a scenario is a JSON object")
raw("string-document", '"hello"', "a scenario is a JSON object")
raw("two-documents", good + good, "invalid JSON")
raw("unclosed-string", '{"name": "abc}', "invalid JSON")

# 2. Wrong types, for each kind of field.
wrong = {
    "duration_s": ("five", "duration_s"), "seed": (1.5, "seed"), "what_if": (1, "what_if"), "name": (5, "name"),
    "description": ([1], "description"), "stream": ([], "stream"), "stream.shards": ("2", "stream.shards"),
    "stream.retention_hours": (True, "stream.retention_hours"), "stream.reshard": ({}, "stream.reshard"),
    "stream.capacity_mode": (3, "stream.capacity_mode"), "producers": ({}, "producers"),
    "producers.0.rate_per_s": ("10", "producers[0].rate_per_s"), "producers.0.keys": ([], "producers[0].keys"),
    "producers.0.keys.count": (2.5, "producers[0].keys.count"), "producers.0.record_bytes": ("1k", "producers[0].record_bytes"),
    "producers.0.ordered": ("yes", "producers[0].ordered"), "producers.0.max_put_attempts": (1.5, "producers[0].max_put_attempts"),
    "producers.0.arrival": ("poisson", "producers[0].arrival"), "consumers": ({}, "consumers"),
    "consumers.0.batch_size": ("100", "consumers[0].batch_size"), "consumers.0.parallelization_factor": (2.5, "consumers[0].parallelization_factor"),
    "consumers.0.bisect_on_error": ("true", "consumers[0].bisect_on_error"), "consumers.0.delivery": (1, "consumers[0].delivery"),
    "consumers.0.lineage": (True, "consumers[0].lineage"), "functions": ([], "functions"), "functions.f": (5, "functions.f"),
    "functions.f.memory_mb": ("128", "functions.f.memory_mb"), "functions.f.duration": (0.1, "functions.f.duration"),
    "functions.f.duration.per_record": (0.001, "functions.f.duration.per_record"), "lambda": (7, "lambda"),
    "lambda.account_concurrency": ("1000", "lambda.account_concurrency"), "pricing.shard_hour": ("cheap", "pricing.shard_hour"),
    "limits.drain_limit_s": ([], "limits.drain_limit_s"), "replications": ("2", "replications"),
    "objectives": ([], "objectives"), "expect": ([], "expect"), "sweep": ([], "sweep"), "plan": ("cheap", "plan"),
}
for path, (value, field) in wrong.items():
    scenario("type-" + path.replace(".", "-"), {path: value}, field)

# 3. Unknown and misspelt fields at every level.
misspelt = {
    "duraton_s": "duraton_s", "stream.shard": "stream.shard", "stream.on_demand.scale_delay": "stream.on_demand",
    "producers.0.rate": "producers[0].rate", "producers.0.keys.cnt": "producers[0].keys.cnt",
    "producers.0.arrival.kind": "producers[0].arrival.kind", "producers.0.record_bytes.mean_bytes": "producers[0].record_bytes",
    "producers.0.aggregation.records": "producers[0].aggregation.records", "consumers.0.batchsize": "consumers[0].batchsize",
    "consumers.0.pf": "consumers[0].pf", "functions.f.memory": "functions.f.memory", "functions.f.duration.per_rec": "functions.f.duration.per_rec",
    "functions.f.cold_start.init": "functions.f.cold_start.init", "functions.f.errors.probability": "functions.f.errors.probability",
    "lambda.concurrency": "lambda.concurrency", "pricing.shard_hours": "pricing.shard_hours", "limits.drain": "limits.drain",
    "simulation": "simulation", "producers.0.entity.kind": "producers[0].entity",
}
for path, field in misspelt.items():
    scenario("unknown-" + path.replace(".", "-"), {path: 1}, field)

# 4. Out of range and non-finite numbers.
ranges = {
    "duration_s": [0, -1, 1e400], "seed": [-1], "stream.shards": [0, -3, 10001], "stream.retention_hours": [0, 10000],
    "producers.0.rate_per_s": [-5], "producers.0.keys.count": [0], "producers.0.max_put_attempts": [0],
    "consumers.0.batch_size": [0, 10001], "consumers.0.parallelization_factor": [0, 11], "consumers.0.batching_window_s": [-1, 301],
    "consumers.0.max_retry_attempts": [-2], "functions.f.memory_mb": [64, 20000], "functions.f.timeout_s": [0, 1000],
    "lambda.account_concurrency": [0], "limits.max_records": [0], "replications": [0, 1001], "stream.write_burst_s": [0],
    "stream.on_demand.scale_delay_s": [0],
}
for path, values in ranges.items():
    for v in values:
        change = {path: v}
        if path.startswith("stream.on_demand"):
            change["stream.capacity_mode"] = "on_demand"
        field = path.split(".")
        field = ".".join(("%s[%s]" % (field[i - 1], p) if p.isdigit() else p) for i, p in enumerate(field)).replace("producers.producers", "producers").replace("consumers.consumers", "consumers")
        scenario("range-%s-%s" % (path.replace(".", "-"), str(v).replace("-", "m")), change, path.split(".")[-1])
# 1e400 is no JSON number nlohmann keeps: it parses as infinity.

# 5. Empty lists, missing references, enumerations.
scenario("no-producers", {"producers": []}, "producers")
scenario("no-functions", {"functions": {}}, "functions")
scenario("missing-function", {"consumers.0.function": "g"}, "consumers[0].function")
scenario("two-functions-no-name", {"functions": {"f": {}, "g": {}}, "consumers.0.function": None}, "consumers[0].function")
scenario("bad-enum-keys", {"producers.0.keys.type": "zipff"}, "producers[0].keys.type")
scenario("bad-enum-delivery", {"consumers.0.delivery": "push"}, "consumers[0].delivery")
scenario("bad-enum-lineage", {"consumers.0.lineage": "children_first"}, "consumers[0].lineage")
scenario("bad-enum-mode", {"stream.capacity_mode": "serverless"}, "stream.capacity_mode")
scenario("bad-distribution", {"producers.0.record_bytes": {"type": "gaussian", "mean": 5}}, "producers[0].record_bytes")
scenario("distribution-negative", {"functions.f.duration.per_record": {"type": "exponential", "mean": -1}}, "functions.f.duration.per_record")
scenario("empty-name", {"name": ""}, "name: empty")
scenario("empty-function", {"consumers.0.function": ""}, "consumers[0].function: empty")
scenario("empty-sequence", {"producers.0.keys": {"type": "sequence", "values": []}}, "producers[0].keys")
scenario("reserved-too-much", {"functions.f.reserved_concurrency": 950}, "functions")
scenario("schedule-no-points", {"producers.0.arrival": {"type": "schedule", "points": []}}, "producers[0].arrival.points")

# 6. Reshard operations that do not fit the shard set.
scenario("reshard-bad-shard", {"stream.reshard": [{"at_s": 1, "type": "split", "shard": 7}]}, "stream.reshard[0]")
scenario("reshard-not-adjacent", {"stream.shards": 3, "stream.reshard": [{"at_s": 1, "type": "merge", "shard": 0, "adjacent_shard": 2}]}, "stream.reshard[0]")
scenario("reshard-target-far", {"stream.reshard": [{"at_s": 1, "type": "update_shard_count", "target_shard_count": 9}]}, "stream.reshard[0]")
scenario("reshard-too-many", {"stream.reshard": [{"at_s": i * 60, "type": "update_shard_count", "target_shard_count": 3 if i % 2 == 0 else 2} for i in range(11)]}, "stream.reshard[10]")
scenario("reshard-key-outside", {"stream.reshard": [{"at_s": 1, "type": "split", "shard": 1, "new_starting_hash_key": "1"}]}, "stream.reshard[0]")
scenario("reshard-backwards", {"stream.reshard": [{"at_s": 5, "type": "split", "shard": 0}, {"at_s": 1, "type": "split", "shard": 1}]}, "stream.reshard[1]")
scenario("reshard-on-demand", {"stream.capacity_mode": "on_demand", "stream.reshard": [{"at_s": 1, "type": "split", "shard": 0}]}, "stream.reshard")

# 6b. DynamoDB Streams, the KCL and the raw reader.
def with_ddb(change):
    merged = {"stream.type": "dynamodb", "stream.table.partitions": 1}
    merged.update(change)
    return merged
scenario("ddb-shards", with_ddb({"stream.shards": 2}), "stream.shards")
scenario("ddb-retention", with_ddb({"stream.retention_hours": 48}), "stream.retention_hours")
scenario("ddb-partitions-zero", with_ddb({"stream.table.partitions": 0}), "stream.table.partitions")
scenario("ddb-partitions-type", with_ddb({"stream.table.partitions": "two"}), "stream.table.partitions")
scenario("ddb-table-misspelt", with_ddb({"stream.table.partition": 2}), "stream.table.partition")
scenario("ddb-split-threshold", with_ddb({"stream.table.split_threshold_wcu": 0}), "stream.table.split_threshold_wcu")
scenario("ddb-split-after", with_ddb({"stream.table.split_after_s": -5}), "stream.table.split_after_s")
scenario("ddb-max-partitions", with_ddb({"stream.table.max_partitions": 0}), "stream.table.max_partitions")
scenario("ddb-rollover", with_ddb({"stream.shard_rollover_s": 0}), "stream.shard_rollover_s")
scenario("ddb-readers", with_ddb({"stream.max_readers_per_shard": 0}), "stream.max_readers_per_shard")
scenario("ddb-table-on-kinesis", {"stream.table": {"partitions": 2}}, "stream.table")
scenario("ddb-merge", with_ddb({"stream.table.partitions": 2, "stream.reshard": [{"at_s": 1, "type": "merge", "shard": 0, "adjacent_shard": 1}]}), "stream.reshard[0]")
scenario("ddb-split-missing", with_ddb({"stream.reshard": [{"at_s": 1, "type": "split", "shard": 1}]}), "stream.reshard[0]")
scenario("ddb-split-hash-key", with_ddb({"stream.reshard": [{"at_s": 1, "type": "split", "shard": 0, "new_starting_hash_key": "5"}]}), "stream.reshard[0]")
scenario("ddb-efo", with_ddb({"consumers.0.delivery": "efo"}), "consumers[0].delivery")
scenario("ddb-explicit-hash", with_ddb({"producers.0.explicit_hash_key": "5"}), "producers[0].explicit_hash_key")
scenario("ddb-aggregation", with_ddb({"producers.0.aggregation": {"records_per_kinesis_record": 10}}), "producers[0].aggregation")
scenario("sort-keys-on-kinesis", {"producers.0.sort_keys": {"type": "uniform", "count": 5}}, "producers[0].sort_keys")
scenario("sort-keys-bad", with_ddb({"producers.0.sort_keys": {"type": "uniform", "count": 0}}), "producers[0].sort_keys.count")
scenario("order-by-item-on-kinesis", {"producers.0.order_by": "item"}, "producers[0].order_by")
scenario("order-by-unknown", {"producers.0.order_by": "customer"}, "producers[0].order_by")
scenario("order-by-entity-without", {"producers.0.order_by": "entity"}, "producers[0].order_by")
scenario("entity-unused", {"producers.0.entity": {"type": "uniform", "count": 5}, "producers.0.order_by": "partition_key"}, "producers[0].entity")
scenario("consumer-type-unknown", {"consumers.0.type": "kinesis_client"}, "consumers[0].type")
scenario("kcl-batch-size", {"consumers.0.type": "kcl", "consumers.0.batch_size": 10}, "consumers[0].batch_size")
scenario("kcl-workers-zero", {"consumers.0.type": "kcl", "consumers.0.workers": 0}, "consumers[0].workers")
scenario("kcl-failover-zero", {"consumers.0.type": "kcl", "consumers.0.failover_s": 0}, "consumers[0].failover_s")
scenario("kcl-checkpoint-negative", {"consumers.0.type": "kcl", "consumers.0.checkpoint_interval_s": -1}, "consumers[0].checkpoint_interval_s")
scenario("kcl-max-records", {"consumers.0.type": "kcl", "consumers.0.max_records": 20000}, "consumers[0].max_records")
scenario("kcl-failure-worker", {"consumers.0.type": "kcl", "consumers.0.workers": 2, "consumers.0.worker_failures": [{"at_s": 1, "worker": 2}]}, "consumers[0].worker_failures[0].worker")
scenario("kcl-failure-misspelt", {"consumers.0.type": "kcl", "consumers.0.worker_failures": [{"at": 1}]}, "consumers[0].worker_failures[0].at")
scenario("kcl-failure-recover", {"consumers.0.type": "kcl", "consumers.0.worker_failures": [{"at_s": 1, "recover_after_s": -3}]}, "consumers[0].worker_failures[0].recover_after_s")
scenario("raw-max-attempts", {"consumers.0.type": "raw_reader", "consumers.0.max_attempts": 0}, "consumers[0].max_attempts")
scenario("raw-workers", {"consumers.0.type": "raw_reader", "consumers.0.workers": 2}, "consumers[0].workers")
scenario("lambda-workers", {"consumers.0.workers": 2}, "consumers[0].workers")

# 6c. SQS queues and their mapping.
def with_sqs(kind, change):
    merged = {"stream.type": kind, "stream.shards": None}
    merged.update(change)
    return merged
scenario("sqs-shards", with_sqs("sqs_standard", {"stream.shards": 2}), "stream.shards")
scenario("sqs-reshard", with_sqs("sqs_fifo", {"stream.reshard": [{"at_s": 1, "type": "split", "shard": 0}]}), "stream.reshard")
scenario("sqs-retention-hours", with_sqs("sqs_fifo", {"stream.retention_hours": 48}), "stream.retention_hours")
scenario("sqs-queue-on-kinesis", {"stream.queue": {"visibility_timeout_s": 5}}, "stream.queue")
scenario("sqs-queue-misspelt", with_sqs("sqs_fifo", {"stream.queue": {"visibility_timeout": 5}}), "stream.queue.visibility_timeout")
scenario("sqs-visibility-negative", with_sqs("sqs_standard", {"stream.queue": {"visibility_timeout_s": -1}}), "stream.queue.visibility_timeout_s")
scenario("sqs-visibility-12h", with_sqs("sqs_standard", {"stream.queue": {"visibility_timeout_s": 50000}}), "stream.queue.visibility_timeout_s")
scenario("sqs-retention-short", with_sqs("sqs_standard", {"stream.queue": {"retention_s": 30}}), "stream.queue.retention_s")
scenario("sqs-receive-count-zero", with_sqs("sqs_standard", {"stream.queue": {"max_receive_count": 0}}), "stream.queue.max_receive_count")
scenario("sqs-duplicates-fifo", with_sqs("sqs_fifo", {"stream.queue": {"duplicate_probability": 0.1}}), "stream.queue.duplicate_probability")
scenario("sqs-duplicates-range", with_sqs("sqs_standard", {"stream.queue": {"duplicate_probability": 2}}), "stream.queue.duplicate_probability")
scenario("sqs-send-batch-standard", with_sqs("sqs_standard", {"stream.queue": {"send_batch_size": 10}}), "stream.queue.send_batch_size")
scenario("sqs-send-batch-11", with_sqs("sqs_fifo", {"stream.queue": {"send_batch_size": 11}}), "stream.queue.send_batch_size")
scenario("sqs-high-throughput-standard", with_sqs("sqs_standard", {"stream.queue": {"high_throughput": True}}), "stream.queue.high_throughput")
scenario("sqs-two-consumers", with_sqs("sqs_standard", {"consumers": [{"function": "f"}, {"function": "f", "name": "g"}]}), "consumers")
scenario("sqs-kcl", with_sqs("sqs_standard", {"consumers.0.type": "kcl"}), "consumers[0].type")
scenario("sqs-pf", with_sqs("sqs_standard", {"consumers.0.parallelization_factor": 2}), "consumers[0].parallelization_factor")
scenario("sqs-bisect", with_sqs("sqs_fifo", {"consumers.0.bisect_on_error": True}), "consumers[0].bisect_on_error")
scenario("sqs-on-failure", with_sqs("sqs_standard", {"consumers.0.on_failure": "sqs"}), "consumers[0].on_failure")
scenario("sqs-fifo-batch", with_sqs("sqs_fifo", {"consumers.0.batch_size": 20}), "consumers[0].batch_size")
scenario("sqs-fifo-window", with_sqs("sqs_fifo", {"consumers.0.batching_window_s": 1}), "consumers[0].batching_window_s")
scenario("sqs-standard-batch-window", with_sqs("sqs_standard", {"consumers.0.batch_size": 100}), "consumers[0].batch_size")
scenario("sqs-max-concurrency-1", with_sqs("sqs_standard", {"consumers.0.maximum_concurrency": 1}), "consumers[0].maximum_concurrency")
scenario("sqs-max-concurrency-2000", with_sqs("sqs_standard", {"consumers.0.maximum_concurrency": 2000}), "consumers[0].maximum_concurrency")
scenario("max-concurrency-on-kinesis", {"consumers.0.maximum_concurrency": 10}, "consumers[0].maximum_concurrency")
scenario("sqs-explicit-hash", with_sqs("sqs_standard", {"producers.0.explicit_hash_key": "5"}), "producers[0].explicit_hash_key")
scenario("sqs-type-unknown", {"stream.type": "sqs"}, "stream.type")

scenario("lock-on-sequential", {"functions.f.lock": {"ttl_s": 5}}, "functions.f.lock")
scenario("lock-ttl-zero", {"functions.f.strategy": "distributed_lock", "functions.f.lock.ttl_s": 0}, "functions.f.lock.ttl_s")
scenario("lock-retry-negative", {"functions.f.strategy": "distributed_lock", "functions.f.lock.retry_s": -1}, "functions.f.lock.retry_s")
scenario("lock-acquire-type", {"functions.f.strategy": "distributed_lock", "functions.f.lock.acquire_s": 0.01}, "functions.f.lock.acquire_s")
scenario("lock-misspelt", {"functions.f.strategy": "distributed_lock", "functions.f.lock.ttl": 5}, "functions.f.lock.ttl")
scenario("strategy-unknown", {"functions.f.strategy": "mutex"}, "functions.f.strategy")

# 7. Sweep, plan, objectives and expect blocks.
scenario("sweep-unknown", {"sweep": {"parameterz": {"stream.shards": [1]}}}, "sweep.parameterz")
scenario("sweep-mode", {"sweep": {"mode": "zipp", "parameters": {"stream.shards": [1]}}}, "sweep.mode")
scenario("sweep-path", {"sweep": {"parameters": {"stream.shardz": [1, 2]}}}, "stream.shardz")
scenario("sweep-step-zero", {"sweep": {"parameters": {"stream.shards": {"from": 1, "to": 4, "step": 0}}}}, "sweep.parameters.stream.shards")
scenario("sweep-factor-one", {"sweep": {"parameters": {"stream.shards": {"from": 1, "to": 4, "factor": 1}}}}, "sweep.parameters.stream.shards")
scenario("sweep-huge-range", {"sweep": {"parameters": {"stream.shards": {"from": 1, "to": 1e12, "step": 1}}}}, "sweep.parameters.stream.shards")
scenario("sweep-bad-value", {"sweep": {"parameters": {"stream.shards": ["many"]}}}, "stream.shards")
scenario("sweep-empty", {"sweep": {"parameters": {}}}, "sweep.parameters")
scenario("sweep-empty-list", {"sweep": {"parameters": {"stream.shards": []}}}, "sweep.parameters.stream.shards")
scenario("sweep-zip-lengths", {"sweep": {"mode": "zip", "parameters": {"stream.shards": [1, 2], "consumers.0.batch_size": [1]}}}, "zip")
scenario("plan-unknown", {"objectives": {"latency_s.p99": {"max": 2}}, "plan": {"serach": {"stream.shards": [1, 2]}}}, "plan.serach")
scenario("plan-minimize", {"objectives": {"latency_s.p99": {"max": 2}}, "plan": {"minimize": "cost", "search": {"stream.shards": [1, 2]}}}, "plan.minimize")
scenario("plan-no-objectives", {"plan": {"search": {"stream.shards": [1, 2]}}}, "objectives")
scenario("plan-bad-value", {"objectives": {"latency_s.p99": {"max": 2}}, "plan": {"search": {"stream.shards": [0, 2]}}}, "plan.search.stream.shards")
scenario("plan-descending", {"objectives": {"latency_s.p99": {"max": 2}}, "plan": {"search": {"stream.shards": [4, 2]}}}, "increasing order")
scenario("objective-typo", {"objectives": {"latency.p99": {"max": 2}}}, "objectives.latency.p99")
scenario("objective-bound", {"objectives": {"latency_s.p99": {"below": 2}}}, "objectives.latency_s.p99")
scenario("expect-typo", {"expect": {"ordering.sfe": {"equals": True}}}, "expect.ordering.sfe")
scenario("expect-bound", {"expect": {"ordering.safe": {"is": True}}}, "expect.ordering.safe.is")
scenario("expect-not-object", {"expect": {"ordering.safe": True}}, "expect.ordering.safe")
scenario("expect-bad-cause", {"expect": {"ordering.causes.out_of_order/gremlins": {"equals": 0}}}, "expect.ordering.causes")

# 8. Duplicate keys, non-UTF-8 bytes, deep nesting, huge values, absurd sizes.
raw("duplicate-top", '{"duration_s": 5, "duration_s": 6, "producers": [{"rate_per_s": 10}], "functions": {"f": {}}}', "duplicate key")
raw("duplicate-nested", '{"producers": [{"rate_per_s": 10, "rate_per_s": 20}], "functions": {"f": {}}}', "duplicate key")
raw("duplicate-function", '{"producers": [{"rate_per_s": 10}], "functions": {"f": {}, "f": {}}}', "duplicate key")
raw("latin1-name", b'{"name": "caf\xe9", "producers": [{"rate_per_s": 10}], "functions": {"f": {}}}', "invalid JSON")
raw("bad-utf8-key", b'{"\xff": 1, "producers": [{"rate_per_s": 10}], "functions": {"f": {}}}', "invalid JSON")
raw("nul-byte", b'{"name": "a\x00b"}', "invalid JSON")
raw("deep-array", '{"description": ' + "[" * 5000 + "]" * 5000 + "}", "nests deeper than 64 levels")
raw("deep-object", '{"description": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}", "nests deeper than 64 levels")
raw("huge-value", '{"description": [' + ",".join(["123456789"] * 200000) + '], "producers": [{"rate_per_s": 10}], "functions": {"f": {}}}', "characters)")
scenario("absurd-rate", {"producers.0.rate_per_s": 1e308}, "limits.max_records")
scenario("absurd-duration", {"duration_s": 1e308}, "limits.max_records")
scenario("absurd-unique-keys", {"producers.0.keys": {"type": "unique"}, "producers.0.rate_per_s": 1e6, "duration_s": 3000,
                                "limits.max_memory_mb": 1000}, "limits.max_memory_mb")
scenario("absurd-shards-memory", {"stream.shards": 10000, "consumers": [{"function": "f"}] * 5, "limits.max_memory_mb": 1000},
         "limits.max_memory_mb")

# 9. Bad trace CSVs.
def trace(stem, csv, expect):
    c = raw(stem, csv, None, ext="csv", command=None)
    cases.pop()
    doc = json.loads(json.dumps(BASE))
    doc["producers"][0] = {"arrival": {"type": "trace", "file": c}}
    raw(stem, json.dumps(doc), expect)
trace("trace-columns", "1,a\n", "expected 3 or 4 columns")
trace("trace-negative", "-1,a,100\n", "not a finite number")
trace("trace-nan", "nan,a,100\n", "not a finite number")
trace("trace-inf", "0,a,10\ninf,b,100\n", "not a finite number")
trace("trace-decreasing", "2,a,100\n1,b,100\n", "earlier than the row before")
trace("trace-bytes", "1,a,0\n", "bytes")
trace("trace-bytes-big", "1,a,2000000\n", "bytes")
trace("trace-empty", "time_s,key,bytes\n", "the trace has no rows")
trace("trace-key", "1,,100\n", "partition key")
trace("trace-hex-time", "0x10,a,100\n", "not a finite number")
trace("trace-header-typo", "tme_s,partition_key,bytes\n1,a,100\n", "not a finite number")
trace("trace-key-not-utf8", b"1,a\xffb,100\n", "UTF-8")
doc = json.loads(json.dumps(BASE)); doc["producers"][0] = {"arrival": {"type": "trace", "file": "no-such.csv"}}
raw("trace-missing", json.dumps(doc), "cannot open the trace file")
doc["producers"][0] = {"arrival": {"type": "trace", "file": "."}}
raw("trace-directory", json.dumps(doc), "is a directory, not a trace file")
doc["producers"][0] = {"arrival": {"type": "trace", "file": "/dev/zero"}}
raw("trace-device", json.dumps(doc), "is not a regular file")

# 10. Bad --set paths and values.
override("set-no-equals", ["stream.shards"], "expected PATH=VALUE")
override("set-unknown", ["stream.shardz=2"], "stream.shardz")
override("set-range", ["stream.shards=0"], "stream.shards")
override("set-type", ["consumers.0.batch_size=[1]"], "consumers[0].batch_size")
override("set-index", ["consumers.5.batch_size=10"], "consumers")
override("set-new-function", ["functions.g.memory_mb=256"], "functions")
override("set-add-existing", ["functions.f+={}"], "functions already has an entry")
override("set-add-plain", ["stream.shards+=2"], "+= adds a list element or a map entry")
override("set-empty-path", ["=5"], "expected PATH=VALUE")
override("set-bad-json", ["stream={"], "stream")
n = name("set-utf8")
with open(os.path.join(files, n), "w") as f:
    json.dump(BASE, f)
cases.append(("not valid UTF-8", "validate %s --set $'name=\\xff'" % n))
override("set-deep", ["description=" + "[" * 200 + "]" * 200], "nests deeper")
override("set-enum", ["consumers.0.lineage=sideways"], "consumers[0].lineage")
override("set-negative", ["duration_s=-3"], "duration_s")
override("set-null", ["producers=null"], "producers")

# 11. Command lines.
cmd = lambda expect, line: cases.append((expect, line))
ok = name("command-base")
with open(os.path.join(files, ok), "w") as f:
    json.dump(BASE, f)
cmd("unknown command \"frobnicate\"", "frobnicate " + ok)
cmd("unknown command \"simulate\"", "simulate " + ok)
cmd("unknown command \"runn\"", "runn " + ok)
cmd("--slice", "sweep %s --slice 3/2" % ok)
cmd("--slice", "sweep %s --slice abc" % ok)
cmd("--slice", "sweep %s --slice 1/0" % ok)
cmd("--jobs: expected a whole number ≥ 1", "sweep %s --jobs 0" % ok)
cmd("--seed: expected a whole number ≥ 0", "run %s --seed abc" % ok)
cmd("--seed: expected a whole number ≥ 0", "run %s --seed -4" % ok)
cmd("--gantt-width", "run %s --gantt-width 5" % ok)
cmd("scenario", "run .")
cmd("scenario", "run no-such-file.json")
cmd("its directory", "run %s --json no/such/dir/r.json" % ok)
cmd("is a file, not a directory", "run %s --out %s" % (ok, ok))
cmd("--shards", "keys --shards 0 a")
cmd("CloudWatch's periods are 1, 5, 10, 30 or a multiple of 60", "run %s --cloudwatch cw.json --cloudwatch-period 45" % ok)
cmd("--cloudwatch-period", "run %s --cloudwatch cw.json --cloudwatch-period soon" % ok)
cmd("expected YYYY-MM-DDTHH:MM:SSZ", "run %s --cloudwatch cw.json --cloudwatch-start 2026-13-01T00:00:00Z" % ok)
cmd("its directory", "run %s --cloudwatch no/such/dir/cw.json" % ok)
cmd("--cloudwatch-period requires --cloudwatch", "run %s --cloudwatch-period 60" % ok)
cmd("--cloudwatch-period requires --cloudwatch", "sweep %s --cloudwatch-period 60" % ok)
cmd("the Slurm jobs of --slurm do not write them", "sweep %s --cloudwatch --slurm 2" % ok)
cmd("--pf", "keys --pf 11 a")
cmd("give the scenario file, then the keys", "keys --at 5 a")
cmd("--budget", "plan %s --budget 0" % ok)
cmd("--submit and --slurm-option go with --slurm", "sweep %s --submit" % ok)
cmd("expected KEY=VALUE", "sweep %s --slurm 2 --slurm-option partition --out slurm-out" % ok)
cmd("the scripts set --array themselves", "sweep %s --slurm 2 --slurm-option array=3 --out slurm-out" % ok)
cmd("the scripts set --ntasks themselves", "plan %s --slurm 2 --slurm-option ntasks=3 --out slurm-out" % ok)
cmd("SLURM_JOB_ID is not set", "plan %s --srun --out plan-out" % ok)
cmd("--submit and --slurm-option go with --slurm", "plan %s --submit" % ok)
cmd("a sweep file needs a \"sweep\" block", "sweep " + ok)
cmd("a plan file needs a \"plan\" block", "plan " + ok)
cmd("a compare file needs \"variants\"", "compare " + ok)
cmd("no questions under", "questions --source-dir .")
cmd("no questions under", "tour --source-dir .")
cmd("step", "tour 0")
cmd("--gantt-svg no/such/dir/t.svg: its directory", "run %s --gantt-svg no/such/dir/t.svg" % ok)
cmd("--html no/such/dir/tour.html: its directory", "tour --html no/such/dir/tour.html")
cmd("--html .: is a directory", "tour --html .")
cmd("--source-dir", "questions --source-dir no/such/dir")
cmd("SLURM_JOB_ID is not set", "compare %s --srun --out compare-out" % ok)
cmd("the scripts set --ntasks themselves", "compare %s --slurm 2 --slurm-option ntasks=2 --out compare-out" % ok)
cmd("--jobs: expected a whole number ≥ 1", "compare %s --jobs 0" % ok)
cmd("none of the directories exists", "merge no-such-dir --out merged")
cmd("SimGrid options refused", "run %s --cfg=contexts/factory:nosuch" % ok)
cmd("SimGrid options refused", "run %s --log=%%%%%%" % ok)
cmd("SimGrid options refused: Bad config key: bogus/option", "run %s --cfg=bogus/option:1" % ok)

scenario("disabled-backwards", {"consumers.0.disabled": [{"from_s": 5, "to_s": 2}]}, "consumers[0].disabled[0].to_s")
scenario("disabled-overlap", {"consumers.0.disabled": [{"from_s": 1, "to_s": 4}, {"from_s": 3, "to_s": 6}]}, "consumers[0].disabled[1].from_s")
scenario("disabled-after-for-good", {"consumers.0.disabled": [{"from_s": 1, "to_s": -1}, {"from_s": 3, "to_s": 6}]}, "consumers[0].disabled[1].from_s")
scenario("disabled-kcl", {"consumers.0.type": "kcl", "consumers.0.disabled": [{"from_s": 1, "to_s": 2}]}, "consumers[0].disabled")
scenario("disabled-misspelt", {"consumers.0.disabled": [{"from": 1, "to_s": 2}]}, "consumers[0].disabled[0].from")

scenario("failing-record-nothing", {"functions.f.errors.failing_records": [{"attempts": [1]}]}, "functions.f.errors.failing_records[0]")
scenario("failing-record-half-attempt", {"functions.f.errors.failing_records": [{"key": "k", "attempts": [1.5]}]}, "functions.f.errors.failing_records[0].attempts[0]")
scenario("failing-record-attempt-zero", {"functions.f.errors.failing_records": [{"key": "k", "attempts": [0]}]}, "functions.f.errors.failing_records[0].attempts")
scenario("failing-record-negative-sequence", {"functions.f.errors.failing_records": [{"sequence": -1}]}, "functions.f.errors.failing_records[0].sequence")

scenario("kcl-taker-zero", {"consumers.0.type": "kcl", "consumers.0.lease_taker_interval_s": 0}, "consumers[0].lease_taker_interval_s")
scenario("lambda-taker", {"consumers.0.lease_taker_interval_s": 5}, "consumers[0].lease_taker_interval_s")
scenario("kcl-shard-sync-zero", {"consumers.0.type": "kcl", "consumers.0.shard_sync_interval_s": 0}, "consumers[0].shard_sync_interval_s")
scenario("kcl-threads-negative", {"consumers.0.type": "kcl", "consumers.0.worker_threads": -1}, "consumers[0].worker_threads")
scenario("lambda-threads", {"consumers.0.worker_threads": 2}, "consumers[0].worker_threads")

scenario("put-latency-unordered", {"producers.0.put_latency_s": {"type": "constant", "value": 0.01}}, "producers[0].put_latency_s")
scenario("put-latency-uniform", {"producers.0.ordered": True, "producers.0.put_latency_s": {"type": "uniform", "min": 2, "max": 1}}, "producers[0].put_latency_s")

scenario("entity-sequence-empty", {"producers.0.entity": {"type": "sequence", "values": []}, "producers.0.order_by": "entity"},
         "producers[0].entity.values")
scenario("sort-keys-sequence-empty", {"stream": {"type": "dynamodb"}, "producers.0.sort_keys": {"type": "sequence", "values": []}},
         "producers[0].sort_keys.values")
scenario("record-bytes-zero", {"producers.0.record_bytes": {"type": "constant", "value": 0}}, "at least 1 byte")
scenario("objective-min-above-max", {"objectives": {"latency_s.p99": {"min": 5, "max": 1}}}, "is above max")
scenario("name-line-break", {"name": "a\nb"}, "control characters")
scenario("consumer-name-escape", {"consumers.0.name": "\u001b[31mred"}, "control characters")
doc = json.loads(json.dumps(BASE)); doc["variants"] = {"": {}, "x": {}}
raw("compare-empty-variant-name", json.dumps(doc), "variant names must be visible text", command="compare")
doc = json.loads(json.dumps(BASE)); doc["objectives"] = {"latency_s.p99": {"max": 2}}; doc["plan"] = {"search": {"stream.shards": ["a", "b"]}}
raw("plan-shards-strings", json.dumps(doc), "expected shard counts", command="plan")
scenario("dynamodb-rollover-tiny", {"stream": {"type": "dynamodb", "shard_rollover_s": 1e-9}}, "stream.shard_rollover_s")
KAFKA = {"type": "kafka", "topic": {"partitions": 4}}
def kafka(stem, changes, expect):
    scenario(stem, dict({"stream": json.loads(json.dumps(KAFKA))}, **changes), expect)
kafka("kafka-pf", {"consumers.0.parallelization_factor": 2}, "consumers[0].parallelization_factor")
kafka("kafka-efo", {"consumers.0.delivery": "efo"}, "consumers[0].delivery")
kafka("kafka-kcl", {"consumers.0.type": "kcl"}, "consumers[0].type")
kafka("kafka-batch-too-big", {"consumers.0.batch_size": 20000}, "consumers[0].batch_size")
kafka("kafka-pollers-max-below-min", {"consumers.0.pollers": {"mode": "provisioned", "minimum": 5, "maximum": 2}},
      "consumers[0].pollers.maximum")
kafka("kafka-pollers-mode", {"consumers.0.pollers": {"mode": "fixed"}}, "consumers[0].pollers.mode")
kafka("kafka-explicit-hash-key", {"producers.0.explicit_hash_key": "1"}, "producers[0].explicit_hash_key")
scenario("kafka-shrink", {"stream": {"type": "kafka", "topic": {"partitions": 4, "repartition": [{"at_s": 2, "partitions": 3}]}}},
         "stream.topic.repartition[0].partitions")
scenario("kafka-repartition-order", {"stream": {"type": "kafka", "topic": {"partitions": 1, "repartition": [
    {"at_s": 3, "partitions": 2}, {"at_s": 2, "partitions": 3}]}}}, "stream.topic.repartition[1].at_s")
scenario("kafka-partitions-zero", {"stream": {"type": "kafka", "topic": {"partitions": 0}}}, "stream.topic.partitions")
scenario("kafka-reshard", {"stream": {"type": "kafka", "topic": {"partitions": 2}, "reshard": [{"at_s": 1, "type": "split", "shard": 0}]}},
         "stream.reshard")
scenario("pollers-on-kinesis", {"consumers.0.pollers": {"mode": "provisioned"}}, "consumers[0].pollers")
cases.append(("--partitions", "keys --partitions 0 abc"))
scenario("provisioned-above-reserved", {"functions.f.reserved_concurrency": 5, "functions.f.provisioned_concurrency": 6},
         "functions.f.provisioned_concurrency")
scenario("provisioned-above-account", {"functions.f.provisioned_concurrency": 950}, "functions.f.provisioned_concurrency")
scenario("filter-empty", {"consumers.0.filters": [{}]}, "consumers[0].filters[0]")
scenario("filter-unknown-attribute", {"record_attributes": [{"name": "urgent", "share": 0.1}],
                                      "consumers.0.filters": [{"attribute": "urgnet"}]}, "did you mean \"urgent\"")
scenario("filter-too-many", {"consumers.0.filters": [{"partition_keys": ["k%d" % i]} for i in range(6)]}, "consumers[0].filters")
scenario("filter-on-kcl", {"consumers.0.type": "kcl", "consumers.0.filters": [{"partition_keys": ["a"]}]}, "consumers[0].filters")
scenario("attribute-share-above-1", {"record_attributes": [{"name": "x", "share": 1.5}]}, "record_attributes[0].share")
scenario("attribute-twice", {"record_attributes": [{"name": "x", "share": 0.1}, {"name": "x", "share": 0.2}]},
         "record_attributes[1].name")
SQS = {"type": "sqs_standard"}
scenario("sqs-pollers-and-maximum-concurrency", {"stream": dict(SQS), "consumers.0.maximum_concurrency": 50,
         "consumers.0.pollers": {"mode": "provisioned"}}, "consumers[0].maximum_concurrency")
scenario("sqs-pollers-minimum-1", {"stream": dict(SQS), "consumers.0.pollers": {"mode": "provisioned", "minimum": 1}},
         "consumers[0].pollers.minimum")
scenario("sqs-pollers-scale-delay", {"stream": dict(SQS), "consumers.0.pollers": {"scale_delay_s": 10}},
         "consumers[0].pollers.scale_delay_s")
scenario("tumbling-window-with-pf", {"consumers.0.tumbling_window_s": 60, "consumers.0.parallelization_factor": 2},
         "consumers[0].tumbling_window_s")
scenario("tumbling-window-above-900", {"consumers.0.tumbling_window_s": 1000}, "consumers[0].tumbling_window_s")
scenario("tumbling-window-negative", {"consumers.0.tumbling_window_s": -5}, "consumers[0].tumbling_window_s")
scenario("tumbling-window-on-sqs", {"stream": dict(SQS), "consumers.0.tumbling_window_s": 60}, "consumers[0].tumbling_window_s")
kafka("tumbling-window-on-kafka", {"consumers.0.tumbling_window_s": 60}, "consumers[0].tumbling_window_s")
scenario("tumbling-window-quiet-too-long", {"consumers.0.tumbling_window_s": 60, "consumers.0.tumbling_window_quiet_s": 300},
         "consumers[0].tumbling_window_quiet_s")
scenario("tumbling-window-quiet-alone", {"consumers.0.tumbling_window_quiet_s": 60}, "consumers[0].tumbling_window_quiet_s")
scenario("tumbling-window-on-kcl", {"consumers.0.type": "kcl", "consumers.0.tumbling_window_s": 60}, "consumers[0].tumbling_window_s")
scenario("keyless-on-kinesis", {"producers.0.keys": {"type": "none"}}, "producers[0].keys.type")
scenario("keyless-entity", {"producers.0.order_by": "entity", "producers.0.entity": {"type": "none"}}, "producers[0].entity.type")
kafka("kafka-batch-bytes-zero", {"stream.topic.producer_batch_bytes": 0}, "stream.topic.producer_batch_bytes")
# 12. calibrate: exports of aws cloudwatch get-metric-data, written here by hand in its format.
def write(stem, doc):
    n = name(stem)
    with open(os.path.join(files, n), "w") as f:
        json.dump(doc, f)
    return n
def query(id_, metric, stat, period=60, dims=(("StreamName", "orders"),), ns="AWS/Kinesis"):
    return {"Id": id_, "MetricStat": {"Metric": {"Namespace": ns, "MetricName": metric,
            "Dimensions": [{"Name": k, "Value": v} for k, v in dims]}, "Period": period, "Stat": stat}, "ReturnData": True}
def result(id_, times, values, status="Complete"):
    return {"Id": id_, "Label": id_, "Timestamps": times, "Values": values, "StatusCode": status}
T = ["2026-01-01T00:01:00+00:00", "2026-01-01T00:00:00+00:00"]
q_ok = write("calibrate-queries", [query("r", "IncomingRecords", "Sum")])
def calibrate_case(stem, export, expect, queries=q_ok):
    cmd(expect, "calibrate %s --queries %s --out calibrated.json --no-run" % (write(stem, export), queries))
good = write("calibrate-good", {"MetricDataResults": [
    {"Id": "r", "Label": "r", "Timestamps": ["2026-01-01T00:00:00+00:00"], "Values": [60], "StatusCode": "Complete"}]})
cmd("--out no/such/dir/calibrated.json: its directory no/such/dir does not exist",
    "calibrate %s --queries %s --out no/such/dir/calibrated.json --no-run" % (good, q_ok))
cmd("--plots %s: Not a directory" % ok, "calibrate %s --queries %s --out calibrated.json --plots %s" % (good, q_ok, ok))
calibrate_case("calibrate-other-command", {"StreamDescriptionSummary": {}}, "no MetricDataResults")
calibrate_case("calibrate-partial", {"MetricDataResults": [result("r", T, [10, 10], "PartialData")]}, "StatusCode PartialData")
calibrate_case("calibrate-nan", {"MetricDataResults": [result("r", T, ["NaN", 10])]}, "is not a number")
calibrate_case("calibrate-lengths", {"MetricDataResults": [result("r", T, [10])]}, "lists of one length")
calibrate_case("calibrate-unknown-id", {"MetricDataResults": [result("x", T, [1, 2])]}, "no query")
calibrate_case("calibrate-off-grid", {"MetricDataResults": [result("r", ["2026-01-01T00:01:30+00:00", "2026-01-01T00:00:00+00:00"], [1, 2])]},
               "off the 60 s grid")
calibrate_case("calibrate-bad-time", {"MetricDataResults": [result("r", ["yesterday"], [1])]}, "not an ISO 8601 UTC time")
calibrate_case("calibrate-no-records", {"MetricDataResults": [result("d", T, [1, 2])]}, "IncomingRecords (Sum) is needed",
               write("calibrate-queries-duration", [query("d", "Duration", "Average", dims=(("FunctionName", "f"),), ns="AWS/Lambda")]))
calibrate_case("calibrate-mixed-periods", {"MetricDataResults": [result("r", T, [1, 2])]}, "export every metric at one period",
               write("calibrate-queries-mixed", [query("r", "IncomingRecords", "Sum"), query("b", "IncomingBytes", "Sum", period=300)]))
calibrate_case("calibrate-shard-dimension", {"MetricDataResults": [result("r", T, [1, 2])]}, "dimension ShardId",
               write("calibrate-queries-shard", [query("r", "IncomingRecords", "Sum", dims=(("StreamName", "orders"), ("ShardId", "shardId-000000000000")))]))
with open(os.path.join(here, "cases.tsv"), "w") as f:
    f.write("# expected text<TAB>command line (run in tests/corpus/files; every case must exit 2)\n")
    for expect, line in cases:
        f.write("%s\t%s\n" % (expect, line))
print(len(cases), "cases")
