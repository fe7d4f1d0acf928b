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
  double lambda_usd = 0, stream_usd = 0;
  double total_usd() const { return lambda_usd + stream_usd; }
  // Sets the USD amounts from the usage fields.
  void price(const Pricing& p) {
    lambda_usd = lambda_requests / 1e6 * p.lambda_per_million_requests + gb_seconds * p.lambda_per_gb_s;
    stream_usd = shard_hours * p.shard_hour + put_payload_units / 1e6 * p.per_million_put_payload_units;
  }
};

}  // namespace shardsim
