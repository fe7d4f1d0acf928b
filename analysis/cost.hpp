#pragma once
// What a run is billed: the usage the models report (Lambda requests and GB-seconds, shard-hours,
// PUT payload units; enhanced fan-out, the workers of a KCL application or raw reader and its
// lease table) at the scenario's prices.
#include <string>
#include <vector>

namespace shardsim {

// Prices in USD, us-east-1, as published on the AWS price lists in 2025 (Kinesis Data Streams
// provisioned and on-demand modes; DynamoDB on-demand writes and Streams reads; Lambda x86). Check them against the live price list before
// quoting costs.
struct Pricing {
  double lambda_per_million_requests = 0.20;
  double lambda_per_gb_s = 0.0000166667;
  // Provisioned concurrency (AWS Lambda pricing, us-east-1, x86): per GB-s configured, and per
  // GB-s of invocation time on its environments (instead of lambda_per_gb_s).
  double lambda_provisioned_per_gb_s = 0.0000041667;
  double lambda_provisioned_duration_per_gb_s = 0.0000097222;
  double shard_hour = 0.015;
  double per_million_put_payload_units = 0.014;  // a unit is 25 KB of a record
  // On-demand mode: per stream-hour, per GB (2^30 bytes) written, per GB read by consumers.
  double on_demand_stream_hour = 0.04;
  double on_demand_per_gb_written = 0.08;
  double on_demand_per_gb_read = 0.04;
  // DynamoDB (on-demand table): per million write request units (a unit writes 1 KB), per 100,000
  // streams read request units (a GetRecords call; calls by Lambda triggers are free).
  double dynamodb_per_million_write_request_units = 0.625;
  double dynamodb_per_100k_stream_read_requests = 0.02;
  // SQS: per million requests (each 64 KB chunk of a request's payload is a request).
  double sqs_standard_per_million_requests = 0.40;
  double sqs_fifo_per_million_requests = 0.50;
  // Enhanced fan-out (provisioned-mode list prices): per consumer-shard-hour, per GB pushed.
  double efo_consumer_shard_hour = 0.015;
  double efo_per_gb_retrieved = 0.013;
  // A KCL application's or raw reader's own processes: per worker-hour (the model's default: a
  // 2-vCPU general-purpose on-demand instance, t3.medium, us-east-1, 0.0416), and its lease
  // table's DynamoDB reads (per million read request units, on demand).
  double worker_hour = 0.0416;
  double dynamodb_per_million_read_request_units = 0.125;
};

struct CostResult {
  bool on_demand = false;                   // the stream's capacity mode: billed by traffic, not shards
  bool table = false;                       // a DynamoDB table's stream: billed by write and read requests
  enum class Queue { none, standard, fifo };
  Queue queue = Queue::none;                // an SQS queue: billed by requests
  double sqs_requests = 0;                  // sends, receives and deletes, in 64 KB chunks
  double write_request_units = 0, stream_read_requests = 0;  // dynamodb
  double lambda_requests = 0, gb_seconds = 0, shard_hours = 0, put_payload_units = 0;
  double gb_seconds_waiting = 0;            // the part of gb_seconds spent waiting for distributed locks
  double provisioned_gb_seconds = 0;        // the part of gb_seconds run on provisioned environments
  double provisioned_configured_gb_s = 0;   // provisioned concurrency × memory over the run
  double production_provisioned_gb_s = 0;   // likewise over the production window
  double stream_hours = 0;                  // the run's simulated time (on-demand is billed per stream-hour)
  double gb_written = 0, gb_read = 0;       // GB of 2^30 bytes
  double production_hours = 0;              // the production window, duration_s / 3600
  double production_shard_hours = 0;        // shard-hours within the production window
  // Consumers that are not Lambda, and enhanced fan-out: what they run on and pay for.
  double efo_consumer_shard_hours = 0, production_efo_consumer_shard_hours = 0;  // shard-hours × EFO consumers
  double efo_gb = 0;                        // GB pushed to EFO consumers
  double worker_hours = 0, production_worker_hours = 0;  // KCL workers and raw-reader processes
  double lease_write_units = 0, lease_read_units = 0;    // a KCL lease table's DynamoDB requests
  double lambda_usd = 0, stream_usd = 0, consumers_usd = 0;
  double per_hour_usd = 0;
  double total_usd() const { return lambda_usd + stream_usd + consumers_usd; }
  // Sets the USD amounts from the usage fields. The price per hour is the steady-state rate: the
  // run's Lambda and traffic costs (the work for the records produced, drain included) plus the
  // stream's hourly cost during production (its shards, or on demand the stream-hour), per hour
  // of production.
  // Usage the run had whose price is 0 in the scenario (so its cost is left out).
  std::vector<std::string> unpriced(const Pricing& p) const {
    std::vector<std::string> out;
    const auto check = [&](double usage, double price, const char* what) {
      if (usage > 0 && price <= 0) out.emplace_back(what);
    };
    check(lambda_requests, p.lambda_per_million_requests, "Lambda requests");
    check(gb_seconds - provisioned_gb_seconds, p.lambda_per_gb_s, "Lambda GB-seconds");
    check(provisioned_gb_seconds, p.lambda_provisioned_duration_per_gb_s, "Lambda GB-seconds on provisioned concurrency");
    check(provisioned_configured_gb_s, p.lambda_provisioned_per_gb_s, "provisioned concurrency GB-seconds");
    if (queue == Queue::none && !table) check(on_demand ? stream_hours : shard_hours, on_demand ? p.on_demand_stream_hour : p.shard_hour,
                                              on_demand ? "stream-hours" : "shard-hours");
    check(efo_consumer_shard_hours, p.efo_consumer_shard_hour, "enhanced fan-out consumer-shard-hours");
    check(efo_gb, p.efo_per_gb_retrieved, "enhanced fan-out GB");
    check(worker_hours, p.worker_hour, "worker-hours");
    check(lease_write_units, p.dynamodb_per_million_write_request_units, "lease table writes");
    check(lease_read_units, p.dynamodb_per_million_read_request_units, "lease table reads");
    return out;
  }
  void price(const Pricing& p) {
    const double provisioned_usd = provisioned_gb_seconds * p.lambda_provisioned_duration_per_gb_s +
                                   provisioned_configured_gb_s * p.lambda_provisioned_per_gb_s;
    lambda_usd = lambda_requests / 1e6 * p.lambda_per_million_requests +
                 (gb_seconds - provisioned_gb_seconds) * p.lambda_per_gb_s + provisioned_usd;
    const double traffic_usd =
        queue != Queue::none ? sqs_requests / 1e6 * (queue == Queue::fifo ? p.sqs_fifo_per_million_requests
                                                                          : p.sqs_standard_per_million_requests)
        : table       ? write_request_units / 1e6 * p.dynamodb_per_million_write_request_units +
                          stream_read_requests / 1e5 * p.dynamodb_per_100k_stream_read_requests
        : on_demand ? gb_written * p.on_demand_per_gb_written + gb_read * p.on_demand_per_gb_read
                    : put_payload_units / 1e6 * p.per_million_put_payload_units;
    const bool by_request = table || queue != Queue::none;
    stream_usd = traffic_usd + (by_request ? 0 : on_demand ? stream_hours * p.on_demand_stream_hour : shard_hours * p.shard_hour);
    const double hourly_usd = by_request  ? 0
                              : on_demand ? production_hours * p.on_demand_stream_hour
                                          : production_shard_hours * p.shard_hour;
    const double consumer_traffic_usd = efo_gb * p.efo_per_gb_retrieved +
                                        lease_write_units / 1e6 * p.dynamodb_per_million_write_request_units +
                                        lease_read_units / 1e6 * p.dynamodb_per_million_read_request_units;
    consumers_usd = consumer_traffic_usd + efo_consumer_shard_hours * p.efo_consumer_shard_hour + worker_hours * p.worker_hour;
    const double consumers_hourly_usd =
        production_efo_consumer_shard_hours * p.efo_consumer_shard_hour + production_worker_hours * p.worker_hour;
    // Provisioned concurrency is paid for as long as it is configured: per hour, its production window's.
    const double lambda_hourly_usd =
        lambda_usd + (production_provisioned_gb_s - provisioned_configured_gb_s) * p.lambda_provisioned_per_gb_s;
    per_hour_usd = production_hours > 0
                       ? (lambda_hourly_usd + traffic_usd + hourly_usd + consumer_traffic_usd + consumers_hourly_usd) / production_hours
                       : 0;
  }
};

}  // namespace shardsim
