#include "sim/studies/calibrate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "analysis/cloudwatch.hpp"
#include "analysis/gnuplot_text.hpp"
#include "models/base/number_format.hpp"

namespace shardsim {
namespace {
using json = nlohmann::json;

json read_json(const std::string& file, const std::string& what) {
  std::ifstream in(file);
  if (!in) throw CalibrationError(file + ": cannot be read (" + what + ")");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw CalibrationError(file + ": not JSON (" + what + "): " + e.what());
  }
}

bool parse_time(const std::string& text, double& seconds) { return CloudWatchRecorder::parse_time(text, seconds); }
std::string format_time(double seconds) { return CloudWatchRecorder::format_time(seconds, false); }

// The dimensions a pipeline-level metric may have; a shard's or an operation's other than
// GetRecords would be another series.
bool known_dimension(const std::string& name) {
  return name == "StreamName" || name == "FunctionName" || name == "QueueName" || name == "TableName" ||
         name == "Operation" || name == "Resource" || name == "ConsumerName";
}

ObservedMetrics read_observed(const CalibrationInputs& in) {
  const json out = read_json(in.export_file, "the output of aws cloudwatch get-metric-data");
  const json queries = read_json(in.queries_file, "the --metric-data-queries given to get-metric-data");
  if (!out.is_object() || !out.contains("MetricDataResults") || !out["MetricDataResults"].is_array())
    throw CalibrationError(in.export_file + ": no MetricDataResults: not the output of aws cloudwatch get-metric-data");
  if (!queries.is_array())
    throw CalibrationError(in.queries_file + ": expected the list of MetricDataQueries ([{Id, MetricStat}, …])");
  struct Query {
    std::string metric, stat;
    double period;
  };
  std::map<std::string, Query> by_id;
  double period = 0;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const json& q = queries[i];
    const std::string where = in.queries_file + ": query " + std::to_string(i);
    if (!q.is_object() || !q.contains("Id") || !q["Id"].is_string() || !q.contains("MetricStat"))
      throw CalibrationError(where + ": needs Id and MetricStat (metric math is not read)");
    const json& ms = q["MetricStat"];
    try {
      const json& metric = ms.at("Metric");
      for (const json& d : metric.value("Dimensions", json::array()))
        if (!known_dimension(d.at("Name").get<std::string>()))
          throw CalibrationError(where + ": dimension " + d.at("Name").get<std::string>() +
                                 ": only the stream's, queue's, table's and function's own metrics are read (not per shard)");
      const Query query{metric.at("MetricName").get<std::string>(), ms.at("Stat").get<std::string>(), ms.at("Period").get<double>()};
      if (period > 0 && query.period != period)
        throw CalibrationError(where + ": period " + format_number(query.period) + " s, the others' " + format_number(period) +
                               " s: export every metric at one period");
      period = query.period;
      by_id[q["Id"].get<std::string>()] = query;
    } catch (const json::exception& e) {
      throw CalibrationError(where + ": " + e.what());
    }
  }
  if (period <= 0) throw CalibrationError(in.queries_file + ": no query with a positive Period");
  if (!CloudWatchRecorder::valid_period(period))
    throw CalibrationError(in.queries_file + ": period " + format_number(period) + " s: CloudWatch's are 1, 5, 10, 30 or a multiple of 60");
  ObservedMetrics o;
  o.period_s = period;
  struct Raw {
    std::string metric, stat;
    std::vector<std::pair<double, double>> points;
  };
  std::vector<Raw> raw;
  double first = HUGE_VAL, last = -HUGE_VAL;
  for (const json& r : out["MetricDataResults"]) {
    const std::string id = r.value("Id", "");
    const std::string where = in.export_file + ": result " + (id.empty() ? std::string("without an Id") : "\"" + id + "\"");
    const auto q = by_id.find(id);
    if (q == by_id.end()) throw CalibrationError(where + ": no query of " + in.queries_file + " has that Id");
    if (r.value("StatusCode", "") != "Complete")
      throw CalibrationError(where + ": StatusCode " + r.value("StatusCode", std::string("missing")) +
                             ": fetch the rest (NextToken) until every result is Complete");
    const json& ts = r.value("Timestamps", json::array());
    const json& vs = r.value("Values", json::array());
    if (!ts.is_array() || !vs.is_array() || ts.size() != vs.size())
      throw CalibrationError(where + ": Timestamps and Values must be lists of one length");
    Raw series{q->second.metric, q->second.stat, {}};
    for (std::size_t k = 0; k < ts.size(); ++k) {
      double t = 0;
      if (!ts[k].is_string() || !parse_time(ts[k].get<std::string>(), t))
        throw CalibrationError(where + ": timestamp " + ts[k].dump() + " is not an ISO 8601 UTC time");
      if (!vs[k].is_number() || !std::isfinite(vs[k].get<double>()))
        throw CalibrationError(where + ": value " + vs[k].dump() + " at " + ts[k].get<std::string>() + " is not a number");
      series.points.push_back({t, vs[k].get<double>()});
      first = std::min(first, t);
      last = std::max(last, t);
    }
    raw.push_back(std::move(series));
  }
  if (raw.empty() || first > last) throw CalibrationError(in.export_file + ": no data point");
  o.start = format_time(first);
  o.periods = static_cast<std::size_t>(std::llround((last - first) / period)) + 1;
  for (Raw& r : raw) {
    ObservedMetrics::Series s{r.metric, r.stat, std::vector<std::optional<double>>(o.periods)};
    for (const auto& [t, v] : r.points) {
      const double k = (t - first) / period;
      if (std::fabs(k - std::round(k)) > 1e-6)
        throw CalibrationError(in.export_file + ": " + r.metric + " at " + format_time(t) + " is off the " +
                               format_number(period) + " s grid of the other data points (mixed periods?)");
      s.values[static_cast<std::size_t>(std::llround(k))] = v;
    }
    o.series.push_back(std::move(s));
  }
  return o;
}

// A field of an optional AWS CLI output, when the file was given and has it.
template <class T> std::optional<T> field(const json& doc, const std::string& pointer) {
  const json::json_pointer p(pointer);
  if (doc.is_null() || !doc.contains(p) || doc[p].is_null()) return std::nullopt;
  try {
    return doc[p].get<T>();
  } catch (const json::exception&) {
    return std::nullopt;
  }
}
}  // namespace

const ObservedMetrics::Series* ObservedMetrics::find(const std::string& metric, const std::string& stat) const {
  for (const Series& s : series)
    if (s.metric == metric && s.stat == stat) return &s;
  return nullptr;
}

Calibration calibrate(const CalibrationInputs& in) {
  Calibration c;
  c.observed = read_observed(in);
  const ObservedMetrics& o = c.observed;
  const auto* records = o.find("IncomingRecords", "Sum");
  if (!records) throw CalibrationError(in.export_file + ": IncomingRecords (Sum) is needed: it is the production to replay");
  const auto note = [&c](const std::string& line) { c.notes.push_back(line); };
  const json summary = in.stream_summary_file.empty() ? json() : read_json(in.stream_summary_file, "aws kinesis describe-stream-summary");
  const json mapping = in.mapping_file.empty() ? json() : read_json(in.mapping_file, "aws lambda get-event-source-mapping");
  // get-function prints the configuration under Configuration, beside the reserved concurrency.
  const json function_doc = in.function_file.empty() ? json() : read_json(in.function_file, "aws lambda get-function");
  const json function = function_doc.is_object() && function_doc.contains("Configuration") ? function_doc["Configuration"] : function_doc;
  if (!summary.is_null() && !summary.contains("StreamDescriptionSummary"))
    throw CalibrationError(in.stream_summary_file + ": no StreamDescriptionSummary: not the output of aws kinesis describe-stream-summary");
  if (!mapping.is_null() && !mapping.contains("UUID"))
    throw CalibrationError(in.mapping_file + ": no UUID: not the output of aws lambda get-event-source-mapping");
  if (!function.is_null() && !function.contains("FunctionName"))
    throw CalibrationError(in.function_file + ": no FunctionName: not the output of aws lambda get-function or get-function-configuration");

  // Production: each period's records at the period's rate, up to the last period with records
  // (the periods after it show the pipeline draining).
  std::size_t produced = 0;
  for (std::size_t k = 0; k < o.periods; ++k)
    if (records->values[k].value_or(0) > 0) produced = k + 1;
  const double duration = static_cast<double>(produced) * o.period_s;
  std::vector<double> rate(produced, 0);
  double total = 0;
  std::size_t gaps = 0;
  for (std::size_t k = 0; k < produced; ++k) {
    if (!records->values[k]) ++gaps;
    rate[k] = records->values[k].value_or(0) / o.period_s;
    total += records->values[k].value_or(0);
  }
  if (produced == 0) throw CalibrationError(in.export_file + ": IncomingRecords is 0 in every period: nothing to replay");
  if (gaps) note(std::to_string(gaps) + " period(s) without an IncomingRecords data point: taken as no records");
  if (produced < o.periods) note(std::to_string(o.periods - produced) + " last period(s) without records: the run drains then");
  const double mean_rate = total / duration;
  json points = json::array();
  for (std::size_t k = 0; k < produced; ++k) points.push_back({{"at_s", static_cast<double>(k) * o.period_s}, {"factor", rate[k] / mean_rate}});
  double bytes = 1024;
  if (const auto* b = o.find("IncomingBytes", "Sum")) {
    double sum = 0;
    for (const auto& v : b->values) sum += v.value_or(0);
    bytes = sum / total;
  } else {
    note("no IncomingBytes (Sum): records of 1,024 bytes");
  }
  constexpr double kKeyBytes = 7;  // keys key-0 … key-999 (6.9 bytes on average)
  json producer = {{"rate_per_s", mean_rate},
                   {"arrival", {{"type", "schedule"}, {"within", in.arrivals}, {"points", points}}},
                   {"keys", {{"type", "uniform"}, {"count", 1000}}},
                   {"record_bytes", {{"type", "constant"}, {"value", std::max(1.0, std::round(bytes - kKeyBytes))}}}};
  note("partition keys: 1,000 uniform (CloudWatch does not show them)");

  // The stream.
  json stream = {{"type", "kinesis"}};
  if (const auto shards = field<std::int64_t>(summary, "/StreamDescriptionSummary/OpenShardCount")) {
    stream["shards"] = *shards;
  } else {
    stream["shards"] = 1;
    note("no stream summary: 1 shard");
  }
  if (const auto hours = field<double>(summary, "/StreamDescriptionSummary/RetentionPeriodHours")) stream["retention_hours"] = *hours;
  if (field<std::string>(summary, "/StreamDescriptionSummary/StreamModeDetails/StreamMode").value_or("PROVISIONED") == "ON_DEMAND")
    stream["capacity_mode"] = "on_demand";

  // The mapping.
  json consumer = {{"type", "lambda_esm"}, {"function", "handler"}};
  if (mapping.is_null()) note("no event source mapping: AWS's defaults (batch 100, no window, PF 1, retries until expiry)");
  if (const auto v = field<std::int64_t>(mapping, "/BatchSize")) consumer["batch_size"] = *v;
  if (const auto v = field<double>(mapping, "/MaximumBatchingWindowInSeconds")) consumer["batching_window_s"] = *v;
  if (const auto v = field<std::int64_t>(mapping, "/ParallelizationFactor")) consumer["parallelization_factor"] = *v;
  if (const auto v = field<bool>(mapping, "/BisectBatchOnFunctionError")) consumer["bisect_on_error"] = *v;
  if (const auto v = field<std::int64_t>(mapping, "/MaximumRetryAttempts")) consumer["max_retry_attempts"] = *v;
  if (const auto v = field<double>(mapping, "/MaximumRecordAgeInSeconds")) consumer["max_record_age_s"] = *v;
  if (const auto v = field<double>(mapping, "/TumblingWindowInSeconds"); v && *v > 0) consumer["tumbling_window_s"] = *v;
  if (const auto v = field<std::string>(mapping, "/StartingPosition"); v && *v != "AT_TIMESTAMP") consumer["starting_position"] = *v;
  if (const auto types = field<std::vector<std::string>>(mapping, "/FunctionResponseTypes"))
    consumer["report_batch_item_failures"] =
        std::find(types->begin(), types->end(), "ReportBatchItemFailures") != types->end();

  // The handler: Duration's average (ms) = per_invocation + per_record × records per invocation.
  const auto* invocations = o.find("Invocations", "Sum");
  const auto* duration_avg = o.find("Duration", "Average");
  std::vector<std::pair<double, double>> xy;
  if (invocations && duration_avg)
    for (std::size_t k = 0; k < o.periods; ++k)
      if (invocations->values[k].value_or(0) > 0 && duration_avg->values[k] && records->values[k])
        xy.push_back({*records->values[k] / *invocations->values[k], *duration_avg->values[k] / 1000});
  c.fit_periods = xy.size();
  if (xy.empty()) {
    c.per_invocation_s = 0.1;
    note("no Invocations (Sum) with Duration (Average): a handler of 0.1 s per invocation");
  } else {
    double mx = 0, my = 0;
    for (const auto& [x, y] : xy) mx += x, my += y;
    mx /= static_cast<double>(xy.size());
    my /= static_cast<double>(xy.size());
    double sxx = 0, sxy = 0, syy = 0;
    for (const auto& [x, y] : xy) sxx += (x - mx) * (x - mx), sxy += (x - mx) * (y - my), syy += (y - my) * (y - my);
    if (sxx <= 1e-12 * std::max(1.0, mx * mx)) {
      c.per_invocation_s = my;
      note("records per invocation did not vary across periods: the fit cannot tell per-record from per-invocation "
           "time; all " + format_number(my * 1000) + " ms taken as per invocation");
    } else {
      c.per_record_s = sxy / sxx;
      c.per_invocation_s = my - c.per_record_s * mx;
      c.r_squared = syy > 0 ? sxy * sxy / (sxx * syy) : 1;
      const double spread = std::sqrt(sxx / static_cast<double>(xy.size())) / mx;
      if (spread < 0.1 || c.r_squared < 0.9)
        note("records per invocation varied by " + format_number(std::round(spread * 1000) / 10) + " % across periods (R² " +
             format_number(std::round(c.r_squared * 1000) / 1000) + "): the split between per-invocation and per-record "
             "time is uncertain; their sum for a batch of " + format_number(std::round(mx)) + " records is what fits");
      if (c.per_record_s < 0 || c.per_invocation_s < 0) {
        note("the fitted line had a negative part (per invocation " + format_number(c.per_invocation_s * 1000) + " ms, per record " +
             format_number(c.per_record_s * 1000) + " ms): clamped to 0");
        c.per_record_s = std::max(0.0, c.per_record_s);
        c.per_invocation_s = std::max(0.0, c.per_invocation_s);
      }
    }
  }
  json fn = {{"duration", {{"per_invocation", {{"type", "constant"}, {"value", c.per_invocation_s}}},
                           {"per_record", {{"type", "constant"}, {"value", c.per_record_s}}}}}};
  if (const auto v = field<std::int64_t>(function, "/MemorySize")) fn["memory_mb"] = *v;
  if (const auto v = field<double>(function, "/Timeout")) fn["timeout_s"] = *v;
  if (const auto v = field<std::int64_t>(function_doc, "/Concurrency/ReservedConcurrentExecutions")) fn["reserved_concurrency"] = *v;
  if (function.is_null()) note("no function configuration: 128 MB, 3 s timeout, no reserved concurrency");
  else if (!function_doc.contains("Concurrency")) note("no reserved concurrency (get-function-configuration does not show it; get-function does)");
  const std::string name = field<std::string>(summary, "/StreamDescriptionSummary/StreamName").value_or("calibrated");
  const std::string fname = field<std::string>(function, "/FunctionName").value_or("handler");
  consumer["function"] = fname;
  c.scenario = {{"name", name},
                {"description", "Calibrated from " + in.export_file + ": " + std::to_string(o.periods) + " periods of " +
                                    format_number(o.period_s) + " s from " + o.start},
                {"seed", 1},
                {"duration_s", duration},
                {"stream", stream},
                {"producers", json::array({producer})},
                {"consumers", json::array({consumer})},
                {"functions", {{fname, fn}}}};
  return c;
}

nlohmann::ordered_json observed_beside_simulated(const ObservedMetrics& observed, const json& results, const json& queries) {
  // The simulated series by (metric, statistic), per period from the same start.
  double origin = 0;
  parse_time(observed.start, origin);
  std::map<std::pair<std::string, std::string>, std::vector<std::optional<double>>> simulated;
  std::map<std::string, std::pair<std::string, std::string>> names;
  for (const json& q : queries)
    names[q["Id"].get<std::string>()] = {q["MetricStat"]["Metric"]["MetricName"].get<std::string>(), q["MetricStat"]["Stat"].get<std::string>()};
  for (const json& r : results["MetricDataResults"]) {
    auto& values = simulated[names[r["Id"].get<std::string>()]];
    if (!values.empty()) continue;  // the account's ConcurrentExecutions comes first; a function's is the same with one
    values.resize(observed.periods);
    for (std::size_t k = 0; k < r["Timestamps"].size(); ++k) {
      double t = 0;
      parse_time(r["Timestamps"][k].get<std::string>(), t);
      const auto p = static_cast<std::size_t>(std::llround((t - origin) / observed.period_s));
      if (p < values.size()) values[p] = r["Values"][k].get<double>();
    }
  }
  nlohmann::ordered_json metrics = nlohmann::ordered_json::array();
  for (const auto& [metric, stat] : std::vector<std::pair<std::string, std::string>>{
           {"Invocations", "Sum"}, {"ConcurrentExecutions", "Maximum"}, {"IteratorAge", "Maximum"}, {"Throttles", "Sum"}}) {
    const auto* o = observed.find(metric, stat);
    if (!o) continue;
    const auto& s = simulated[{metric, stat}];
    nlohmann::ordered_json periods = nlohmann::ordered_json::array();
    double error_sum = 0;
    std::size_t compared = 0;
    for (std::size_t k = 0; k < observed.periods; ++k) {
      const double ov = o->values[k].value_or(0), sv = k < s.size() ? s[k].value_or(0) : 0;
      nlohmann::ordered_json error = nullptr;  // relative to the observed value; none when that is 0
      if (ov != 0) {
        error = (sv - ov) / std::fabs(ov);
        error_sum += std::fabs(error.get<double>());
        ++compared;
      }
      periods.push_back({{"start", format_time(origin + static_cast<double>(k) * observed.period_s)},
                         {"observed", ov}, {"simulated", sv}, {"error", error}});
    }
    metrics.push_back({{"metric", metric}, {"stat", stat}, {"periods", periods},
                       {"mean_absolute_error", compared ? nlohmann::ordered_json(error_sum / static_cast<double>(compared)) : nullptr}});
  }
  return {{"period_s", observed.period_s}, {"metrics", metrics}};
}

std::string comparison_text(const nlohmann::ordered_json& comparison) {
  std::ostringstream out;
  char line[160];
  const auto percent = [](const nlohmann::ordered_json& e) {
    return e.is_null() ? std::string("-") : format_number(std::round(e.get<double>() * 1000) / 10) + " %";
  };
  for (const auto& m : comparison["metrics"]) {
    out << m["metric"].get<std::string>() << " (" << m["stat"].get<std::string>() << ")\n";
    std::snprintf(line, sizeof line, "  %-22s %14s %14s %9s\n", "period", "observed", "simulated", "error");
    out << line;
    for (const auto& p : m["periods"]) {
      std::snprintf(line, sizeof line, "  %-22s %14s %14s %9s\n", p["start"].get<std::string>().c_str(),
                    format_number(p["observed"].get<double>()).c_str(), format_number(p["simulated"].get<double>()).c_str(),
                    percent(p["error"]).c_str());
      out << line;
    }
    if (!m["mean_absolute_error"].is_null())
      out << "  mean absolute error " << percent(m["mean_absolute_error"]) << "\n";
  }
  return out.str();
}

std::string write_comparison_plot(const nlohmann::ordered_json& comparison, const std::string& dir, const std::string& title) {
  // One data block per metric (minutes from the first period, observed, simulated), separated
  // by two blank lines for gnuplot's `index`.
  std::filesystem::create_directories(dir);
  const double minutes = comparison["period_s"].get<double>() / 60;
  std::ofstream dat(std::filesystem::path(dir) / "calibration.dat");
  const auto& metrics = comparison["metrics"];
  for (const auto& m : metrics) {
    dat << "# " << m["metric"].get<std::string>() << " (" << m["stat"].get<std::string>() << "): minute observed simulated\n";
    std::size_t k = 0;
    for (const auto& p : m["periods"]) dat << static_cast<double>(k++) * minutes << " " << p["observed"] << " " << p["simulated"] << "\n";
    dat << "\n\n";
  }
  dat.close();
  std::ofstream gp(std::filesystem::path(dir) / "calibration.gp");
  const std::size_t panels = std::max<std::size_t>(1, metrics.size());
  for (const char* format : {"svg", "png"}) {
    gp << "set terminal " << (std::string(format) == "svg" ? "svg" : "pngcairo") << " size 900," << 260 * panels << " noenhanced\n"
       << "set output 'calibration." << format << "'\n"
       << "set multiplot layout " << panels << ",1 title " << gnuplot_string(title + ": observed beside simulated") << "\n"
       << "set grid\nset key top right\nset xlabel 'minutes from the first period'\n";
    for (std::size_t i = 0; i < metrics.size(); ++i)
      gp << "set title " << gnuplot_string(metrics[i]["metric"].get<std::string>() + " (" + metrics[i]["stat"].get<std::string>() + ")")
         << "\nplot 'calibration.dat' index " << i << " using 1:2 with linespoints title 'observed', '' index " << i
         << " using 1:3 with linespoints title 'simulated'\n";
    gp << "unset multiplot\n";
  }
  return "calibration.gp";
}

}  // namespace shardsim
