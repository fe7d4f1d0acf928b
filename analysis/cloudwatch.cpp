#include "analysis/cloudwatch.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace shardsim {
namespace {
// An Id is a lowercase letter, then letters, digits and underscores (GetMetricData's rule).
std::string id_part(const std::string& name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  return out;
}

}  // namespace

bool CloudWatchRecorder::parse_time(const std::string& text, double& seconds) {
  int y, mo, d, h, mi, s;
  char zone[8] = {};
  int used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%7s%n", &y, &mo, &d, &h, &mi, &s, zone, &used) != 7 ||
      static_cast<std::size_t>(used) != text.size() || (std::string(zone) != "Z" && std::string(zone) != "+00:00"))
    return false;
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return false;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  seconds = static_cast<double>(timegm(&tm));
  return true;
}

std::string CloudWatchRecorder::format_time(double seconds, bool cli_style) {
  const auto t = static_cast<std::time_t>(std::floor(seconds));
  std::tm out{};
  gmtime_r(&t, &out);
  char text[32];
  std::strftime(text, sizeof text, cli_style ? "%Y-%m-%dT%H:%M:%S+00:00" : "%Y-%m-%dT%H:%M:%SZ", &out);
  return text;
}

bool CloudWatchRecorder::valid_start(const std::string& start) {
  double seconds = 0;
  return !start.empty() && start.back() == 'Z' && parse_time(start, seconds);
}

std::string CloudWatchRecorder::queries_path(const std::string& results_path) {
  const std::string ext = ".json";
  if (results_path.size() > ext.size() && results_path.compare(results_path.size() - ext.size(), ext.size(), ext) == 0)
    return results_path.substr(0, results_path.size() - ext.size()) + ".queries.json";
  return results_path + ".queries.json";
}

bool CloudWatchRecorder::valid_period(double p) {
  return p == 1 || p == 5 || p == 10 || p == 30 || (p >= 60 && std::fmod(p, 60) == 0);
}

void CloudWatchRecorder::Series::add(std::size_t period, double value) {
  if (period >= count.size()) {
    sum.resize(period + 1, 0);
    max.resize(period + 1, 0);
    count.resize(period + 1, 0);
    if (stat == "p99") values.resize(period + 1);
  }
  value *= scale;
  max[period] = count[period] ? std::max(max[period], value) : value;
  sum[period] += value;
  ++count[period];
  if (stat == "p99") values[period].add(value);
}

double CloudWatchRecorder::Series::value(std::size_t period) const {
  if (stat == "Sum") return sum[period];
  if (stat == "Maximum") return max[period];
  if (stat == "Average") return sum[period] / static_cast<double>(count[period]);
  return values[period].quantile(0.99);
}

CloudWatchRecorder::Series& CloudWatchRecorder::add_series(const std::string& id, const std::string& ns,
                                                           const std::string& name, const std::string& stat,
                                                           const std::string& unit,
                                                           std::vector<std::pair<std::string, std::string>> dimensions,
                                                           double scale) {
  Series s;
  s.id = id;
  s.namespace_ = ns;
  s.name = name;
  s.stat = stat;
  s.unit = unit;
  s.dimensions = std::move(dimensions);
  s.scale = scale;
  series_.push_back(std::move(s));
  return series_.back();
}

CloudWatchRecorder::CloudWatchRecorder(double period_s, Names names) : period_s_(period_s), names_(std::move(names)) {
  const auto next = [this] { return series_.size(); };
  const std::string& stream = names_.stream;
  switch (names_.source) {
    case Source::kinesis: {
      const std::vector<std::pair<std::string, std::string>> dim{{"StreamName", stream}};
      incoming_records_ = next();
      add_series("kinesis_incoming_records", "AWS/Kinesis", "IncomingRecords", "Sum", "Count", dim);
      incoming_bytes_ = next();
      add_series("kinesis_incoming_bytes", "AWS/Kinesis", "IncomingBytes", "Sum", "Bytes", dim);
      write_exceeded_ = next();
      add_series("kinesis_write_exceeded", "AWS/Kinesis", "WriteProvisionedThroughputExceeded", "Sum", "Count", dim);
      read_exceeded_ = next();
      add_series("kinesis_read_exceeded", "AWS/Kinesis", "ReadProvisionedThroughputExceeded", "Sum", "Count", dim);
      get_records_age_ = next();
      add_series("kinesis_iterator_age", "AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "Maximum", "Milliseconds",
                 dim, 1000);
      break;
    }
    case Source::dynamodb:
      returned_records_ = next();
      add_series("dynamodb_returned_records", "AWS/DynamoDB", "ReturnedRecordsCount", "Sum", "Count",
                 {{"Operation", "GetRecords"}, {"TableName", stream}});
      break;
    case Source::sqs:
      messages_sent_ = next();
      add_series("sqs_messages_sent", "AWS/SQS", "NumberOfMessagesSent", "Sum", "Count", {{"QueueName", stream}});
      messages_visible_ = next();
      add_series("sqs_messages_visible", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Average", "Count",
                 {{"QueueName", stream}});
      messages_not_visible_ = next();
      add_series("sqs_messages_not_visible", "AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "Average", "Count",
                 {{"QueueName", stream}});
      oldest_message_age_ = next();
      add_series("sqs_oldest_message_age", "AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", "Seconds",
                 {{"QueueName", stream}});
      break;
    case Source::kafka: break;  // Amazon MSK's broker metrics are not modelled
  }
  account_concurrency_ = next();
  add_series("lambda_concurrent_executions", "AWS/Lambda", "ConcurrentExecutions", "Maximum", "Count", {});
  for (const std::string& f : names_.functions) {
    const std::vector<std::pair<std::string, std::string>> dim{{"FunctionName", f}};
    const std::string id = "lambda_" + id_part(f) + "_";
    FunctionSeries fs{};
    fs.invocations = next();
    add_series(id + "invocations", "AWS/Lambda", "Invocations", "Sum", "Count", dim);
    fs.errors = next();
    add_series(id + "errors", "AWS/Lambda", "Errors", "Sum", "Count", dim);
    fs.throttles = next();
    add_series(id + "throttles", "AWS/Lambda", "Throttles", "Sum", "Count", dim);
    fs.duration_avg = next();
    add_series(id + "duration_average", "AWS/Lambda", "Duration", "Average", "Milliseconds", dim, 1000);
    fs.duration_max = next();
    add_series(id + "duration_maximum", "AWS/Lambda", "Duration", "Maximum", "Milliseconds", dim, 1000);
    fs.duration_p99 = next();
    add_series(id + "duration_p99", "AWS/Lambda", "Duration", "p99", "Milliseconds", dim, 1000);
    fs.concurrency = next();
    add_series(id + "concurrent_executions", "AWS/Lambda", "ConcurrentExecutions", "Maximum", "Count", dim);
    fs.iterator_age = kNone;
    if (names_.source != Source::sqs) {
      fs.iterator_age = next();
      add_series(id + "iterator_age", "AWS/Lambda", "IteratorAge", "Maximum", "Milliseconds", dim, 1000);
    }
    functions_.push_back(fs);
  }
  levels_.assign(functions_.size() + 1, {0, 0.0, false});
}

std::size_t CloudWatchRecorder::period_of(double t) const {
  return static_cast<std::size_t>(std::max(0.0, std::floor(t / period_s_)));
}

void CloudWatchRecorder::put(double t, std::uint32_t bytes, bool accepted) {
  const std::size_t p = period_of(t);
  if (!accepted) {
    if (write_exceeded_ != kNone) series_[write_exceeded_].add(p, 1);
    return;
  }
  if (incoming_records_ != kNone) series_[incoming_records_].add(p, 1);
  if (incoming_bytes_ != kNone) series_[incoming_bytes_].add(p, bytes);
  if (messages_sent_ != kNone) series_[messages_sent_].add(p, 1);
}

void CloudWatchRecorder::read_throttled(double t) {
  if (read_exceeded_ != kNone) series_[read_exceeded_].add(period_of(t), 1);
}

void CloudWatchRecorder::read(double t, std::uint64_t records, double last_arrival_s) {
  if (records == 0) return;
  if (get_records_age_ != kNone) series_[get_records_age_].add(period_of(t), t - last_arrival_s);
  if (returned_records_ != kNone) series_[returned_records_].add(period_of(t), static_cast<double>(records));
}

void CloudWatchRecorder::invocation_started(std::size_t function, double t, double last_arrival_s) {
  const std::size_t s = functions_.at(function).iterator_age;
  if (s != kNone) series_[s].add(period_of(t), t - last_arrival_s);
}

void CloudWatchRecorder::invocation_finished(std::size_t function, double end_s, double duration_s, bool error) {
  const FunctionSeries& f = functions_.at(function);
  const std::size_t p = period_of(end_s);
  series_[f.invocations].add(p, 1);
  series_[f.errors].add(p, error ? 1 : 0);
  for (std::size_t s : {f.duration_avg, f.duration_max, f.duration_p99}) series_[s].add(p, duration_s);
}

void CloudWatchRecorder::throttled(std::size_t function, double t) { series_[functions_.at(function).throttles].add(period_of(t), 1); }

void CloudWatchRecorder::hold(std::size_t level, std::size_t series, int value, double t) {
  // The level held since its last change counts in every period up to this one.
  Level& l = levels_[level];
  if (l.started)
    for (std::size_t p = period_of(l.since); p <= period_of(t); ++p) series_[series].add(p, l.value);
  l = {value, t, true};
}

void CloudWatchRecorder::concurrency(std::size_t function, int function_level, int account_level, double t) {
  hold(function, functions_.at(function).concurrency, function_level, t);
  hold(functions_.size(), account_concurrency_, account_level, t);
}

void CloudWatchRecorder::hold_queue(double t) {
  if (queue_since_ < 0 || messages_visible_ == kNone) return;
  // Period p ends at (p + 1) × period; the first end at or after queue_since_ is sampled first.
  for (auto p = static_cast<std::size_t>(std::max(0.0, std::ceil(queue_since_ / period_s_) - 1));
       static_cast<double>(p + 1) * period_s_ < t; ++p) {
    const double end = static_cast<double>(p + 1) * period_s_;
    if (end < queue_since_) continue;
    series_[messages_visible_].add(p, static_cast<double>(queue_.visible));
    series_[messages_not_visible_].add(p, static_cast<double>(queue_.not_visible));
    series_[oldest_message_age_].add(p, std::isinf(queue_.oldest_arrival_s) ? 0.0 : end - queue_.oldest_arrival_s);
  }
}

void CloudWatchRecorder::queue_state(double t, const QueueGauge& gauge) {
  hold_queue(t);
  queue_ = gauge;
  queue_since_ = t;
}

nlohmann::ordered_json CloudWatchRecorder::queries() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Series& s : series_) {
    nlohmann::ordered_json dims = nlohmann::ordered_json::array();
    for (const auto& [name, value] : s.dimensions) dims.push_back({{"Name", name}, {"Value", value}});
    out.push_back({{"Id", s.id},
                   {"MetricStat", {{"Metric", {{"Namespace", s.namespace_}, {"MetricName", s.name}, {"Dimensions", dims}}},
                                   {"Period", static_cast<std::int64_t>(period_s_)},
                                   {"Stat", s.stat},
                                   {"Unit", s.unit}}},
                   {"ReturnData", true}});
  }
  return out;
}

nlohmann::ordered_json CloudWatchRecorder::results(double end_s, const std::string& start) const {
  // The levels held at the end count up to it (on copies: results() does not change the run).
  CloudWatchRecorder closed = *this;
  for (std::size_t f = 0; f < functions_.size(); ++f) closed.hold(f, functions_[f].concurrency, 0, end_s);
  closed.hold(functions_.size(), account_concurrency_, 0, end_s);
  // The queue's last state samples every period that began before the end.
  closed.hold_queue(std::ceil(end_s / period_s_) * period_s_ + period_s_ / 2);
  double origin = 0;
  parse_time(start, origin);
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const Series& s : closed.series_) {
    nlohmann::ordered_json timestamps = nlohmann::ordered_json::array(), values = nlohmann::ordered_json::array();
    for (std::size_t p = s.count.size(); p-- > 0;)  // newest first, as GetMetricData by default
      if (s.has(p)) {
        timestamps.push_back(format_time(origin + static_cast<double>(p) * period_s_, true));
        values.push_back(s.value(p));
      }
    results.push_back({{"Id", s.id}, {"Label", s.name}, {"Timestamps", timestamps}, {"Values", values}, {"StatusCode", "Complete"}});
  }
  return {{"MetricDataResults", results}, {"Messages", nlohmann::ordered_json::array()}};
}

}  // namespace shardsim
