#pragma once
// A run's metrics as CloudWatch publishes them, per period: what a user's dashboards show for the
// same pipeline. Written in the AWS CLI's shapes: the MetricDataQueries that name each metric
// (namespace, name, dimensions, statistic, unit, period), the input of
// `aws cloudwatch get-metric-data --metric-data-queries file://…`, and that command's output
// (MetricDataResults: Id, Label, Timestamps newest first, Values, StatusCode). A metric has a data
// point in a period only when something was recorded in it, as CloudWatch's own. Simulated time
// 0 is `start` (ISO 8601 UTC). Mapping and differences: analysis/README.md, "CloudWatch".
// Sources: the Kinesis, Lambda, SQS and DynamoDB developer guides' metric tables; the CloudWatch
// API reference (GetMetricData, MetricDataResult).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/base/histogram.hpp"
#include "models/core/events.hpp"

namespace shardsim {

class CloudWatchRecorder {
public:
  enum class Source { kinesis, dynamodb, sqs, kafka };
  // What the run's resources are called in the metrics' dimensions.
  struct Names {
    Source source = Source::kinesis;
    std::string stream;                  // StreamName, TableName or QueueName
    std::vector<std::string> functions;  // FunctionName, by function index
  };
  // CloudWatch's periods: 1, 5, 10, 30 or a multiple of 60 seconds.
  static bool valid_period(double period_s);
  // A UTC time as YYYY-MM-DDTHH:MM:SSZ (the timestamps' origin).
  static bool valid_start(const std::string& start);
  // Seconds since the epoch of a UTC time written with Z or, as the AWS CLI prints it, +00:00
  // (false when it is neither); and back, in either style.
  static bool parse_time(const std::string& text, double& seconds);
  static std::string format_time(double seconds, bool cli_style);
  // Where the queries go beside the results file: its .json becomes .queries.json (or it gains that).
  static std::string queries_path(const std::string& results_path);

  CloudWatchRecorder(double period_s, Names names);
  // A put (or send) attempt at `t`: accepted or refused by the write limit.
  void put(double t, std::uint32_t bytes, bool accepted);
  // A GetRecords call of a polling consumer refused by the shard's read limits; one that returned
  // `records`, the last of which arrived at last_arrival_s.
  void read_throttled(double t);
  void read(double t, std::uint64_t records, double last_arrival_s);
  // An invocation of `function` began with a batch whose last record arrived at last_arrival_s
  // (a stream's: IteratorAge); one ended at end_s after duration_s, failed or not; one was refused.
  void invocation_started(std::size_t function, double t, double last_arrival_s);
  void invocation_finished(std::size_t function, double end_s, double duration_s, bool error);
  void throttled(std::size_t function, double t);
  // Invocations in flight from `t`: the function's and the account's.
  void concurrency(std::size_t function, int function_level, int account_level, double t);
  // A queue's state at `t`, holding until the next one: each period's gauges are its state at
  // the period's end (the age of its oldest message then).
  void queue_state(double t, const QueueGauge& gauge);
  double period_s() const { return period_s_; }

  // Both files, for the data points up to end_s.
  nlohmann::ordered_json queries() const;
  nlohmann::ordered_json results(double end_s, const std::string& start) const;

private:
  // One metric: its query, and per period its samples' statistic.
  struct Series {
    std::string id, namespace_, name, stat, unit;
    std::vector<std::pair<std::string, std::string>> dimensions;
    double scale = 1;  // recorded value → the metric's unit (seconds → milliseconds)
    std::vector<double> sum, max;
    std::vector<std::uint64_t> count;
    std::vector<Histogram> values;  // for percentiles only
    void add(std::size_t period, double value);
    bool has(std::size_t period) const { return period < count.size() && count[period] > 0; }
    double value(std::size_t period) const;
  };
  std::size_t period_of(double t) const;
  // A level (a function's concurrency, or the account's: index functions) changes to `value` at t.
  void hold(std::size_t level, std::size_t series, int value, double t);
  struct Level {
    int value = 0;
    double since = 0;
    bool started = false;
  };
  std::vector<Level> levels_;
  // The queue's state since queue_since_ (none yet when queue_since_ < 0); samples the period ends
  // in [queue_since_, t) with it.
  void hold_queue(double t);
  QueueGauge queue_;
  double queue_since_ = -1;
  Series& add_series(const std::string& id, const std::string& ns, const std::string& name, const std::string& stat,
                     const std::string& unit, std::vector<std::pair<std::string, std::string>> dimensions, double scale = 1);
  double period_s_;
  Names names_;
  std::vector<Series> series_;
  // Indices into series_ (npos: not published for this source).
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t incoming_records_ = kNone, incoming_bytes_ = kNone, write_exceeded_ = kNone, read_exceeded_ = kNone,
              get_records_age_ = kNone, returned_records_ = kNone, messages_sent_ = kNone, messages_visible_ = kNone,
              messages_not_visible_ = kNone, oldest_message_age_ = kNone, account_concurrency_ = kNone;
  struct FunctionSeries {
    std::size_t invocations, errors, throttles, duration_avg, duration_max, duration_p99, concurrency, iterator_age;
  };
  std::vector<FunctionSeries> functions_;
};

}  // namespace shardsim
