#pragma once
// What a run is billed: the usage the models report (Lambda requests and GB-seconds, shard-hours,
// PUT payload units) at the scenario's prices.
namespace shardsim {

// Prices in USD, us-east-1, as published on the AWS price lists in 2025 (Kinesis Data Streams
// provisioned mode; Lambda x86). Check them against the live price list before quoting costs.
struct Pricing {
  double lambda_per_million_requests = 0.20;
  double lambda_per_gb_s = 0.0000166667;
  double shard_hour = 0.015;
  double per_million_put_payload_units = 0.014;  // a unit is 25 KB of a record
};

struct CostResult {
  double lambda_requests = 0, gb_seconds = 0, shard_hours = 0, put_payload_units = 0;
  double production_hours = 0;              // the production window, duration_s / 3600
  double production_shard_hours = 0;        // shard-hours within the production window
  double lambda_usd = 0, stream_usd = 0;
  double per_hour_usd = 0;
  double total_usd() const { return lambda_usd + stream_usd; }
  // Sets the USD amounts from the usage fields. The price per hour is the steady-state rate: the
  // run's Lambda and PUT costs (the work for the records produced, drain included) plus the
  // shards open during production, per hour of production.
  void price(const Pricing& p) {
    lambda_usd = lambda_requests / 1e6 * p.lambda_per_million_requests + gb_seconds * p.lambda_per_gb_s;
    const double puts_usd = put_payload_units / 1e6 * p.per_million_put_payload_units;
    stream_usd = shard_hours * p.shard_hour + puts_usd;
    per_hour_usd = production_hours > 0
                       ? (lambda_usd + puts_usd + production_shard_hours * p.shard_hour) / production_hours
                       : 0;
  }
};

}  // namespace shardsim
