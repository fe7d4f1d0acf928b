#pragma once
// A scenario from a real pipeline's CloudWatch metrics and configuration: the output of
// `aws cloudwatch get-metric-data` with the queries it was given, and optionally what
// `aws kinesis describe-stream-summary`, `aws lambda get-event-source-mapping` and
// `aws lambda get-function` (or get-function-configuration) print (field names as the AWS CLI
// reference gives them). Production per period comes from IncomingRecords (and the record size from
// IncomingBytes); the stream, mapping and function settings from the describe calls; the
// handler's time per invocation and per record from a least-squares line of Duration's average
// against records per invocation (IncomingRecords / Invocations) across periods. Whatever is
// missing gets a stated default. Then the observed metrics can be set beside a simulated run's.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shardsim {

// Bad input: the message names the file and what is wrong.
struct CalibrationError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CalibrationInputs {
  std::string export_file, queries_file;  // get-metric-data's output and its --metric-data-queries
  std::string stream_summary_file, mapping_file, function_file;  // optional ("": not given)
  std::string arrivals = "poisson";       // how records arrive within a period
};

// The observed metrics by (MetricName, statistic), per period from the first data point.
struct ObservedMetrics {
  double period_s = 60;
  std::string start;  // the first period's start, YYYY-MM-DDTHH:MM:SSZ
  std::size_t periods = 0;
  struct Series {
    std::string metric, stat;
    std::vector<std::optional<double>> values;  // per period; none: no data point
  };
  std::vector<Series> series;
  const Series* find(const std::string& metric, const std::string& stat) const;
};

struct Calibration {
  ObservedMetrics observed;
  nlohmann::ordered_json scenario;
  std::vector<std::string> notes;  // defaults taken and how the fit went, one line each
  double per_invocation_s = 0, per_record_s = 0, r_squared = 0;
  std::size_t fit_periods = 0;
};

Calibration calibrate(const CalibrationInputs& inputs);
// Observed beside simulated, per metric and period (Invocations, ConcurrentExecutions, IteratorAge,
// Throttles): {period_s, metrics: [{metric, stat, periods: [{start, observed, simulated, error}],
// mean_absolute_error}]}, an error relative to the observed value (null where that is 0); the
// simulated metrics given as the run's get-metric-data output and queries. And as a table.
nlohmann::ordered_json observed_beside_simulated(const ObservedMetrics& observed, const nlohmann::json& results,
                                                 const nlohmann::json& queries);
std::string comparison_text(const nlohmann::ordered_json& comparison);
// The comparison as a gnuplot script (calibration.gp) and its data (calibration.dat) in `dir`: a
// panel per metric, observed and simulated over the periods. Returns the script's name.
std::string write_comparison_plot(const nlohmann::ordered_json& comparison, const std::string& dir, const std::string& title);

}  // namespace shardsim
