#include "analysis/sweep_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "models/base/histogram.hpp"

namespace shardsim {

namespace {

const std::vector<std::string> kHeadline = {
    "records.processed", "records.lost",      "latency_s.p50",       "latency_s.p99",       "iterator_age_s.max",
    "concurrency.peak",  "concurrency.mean",  "concurrency.limit",   "throttles.write",     "throttles.read",
    "throttles.lambda",  "invocations.count", "invocations.cold_starts", "ordering.overlaps", "ordering.out_of_order",
    "ordering.duplicates", "cost_usd.total", "cost_usd.per_hour"};

// The columns of the compact tables (text, Markdown).
const std::vector<std::pair<std::string, std::string>> kCompact = {
    {"latency_s.p99", "p99 s"},          {"iterator_age_s.max", "age max s"}, {"concurrency.peak", "peak"},
    {"concurrency.limit", "bound"},      {"throttles.lambda", "λ thr"},       {"throttles.write", "w thr"},
    {"ordering.out_of_order", "ooo"},    {"cost_usd.per_hour", "$/hour"}};

std::string number(double x) {
  char buffer[64];
  if (x == std::floor(x) && std::fabs(x) < 1e15) std::snprintf(buffer, sizeof buffer, "%.0f", x);
  else std::snprintf(buffer, sizeof buffer, "%.6g", x);
  return buffer;
}

std::string short_number(double x) {
  char buffer[64];
  if (x == std::floor(x) && std::fabs(x) < 1e9) std::snprintf(buffer, sizeof buffer, "%.0f", x);
  else std::snprintf(buffer, sizeof buffer, "%.4g", x);
  return buffer;
}

}  // namespace

bool is_histogram_quantile(const std::string& metric) {
  const std::string last = metric.substr(metric.find_last_of('.') + 1);
  return last == "p50" || last == "p90" || last == "p99" || last == "p999";
}

MetricStat metric_stat(const std::vector<double>& values) {
  MetricStat s;
  s.n = values.size();
  if (values.empty()) return s;
  double sum = 0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(values.size());
  if (values.size() >= 2) {
    double squares = 0;
    for (double v : values) squares += (v - s.mean) * (v - s.mean);
    const double sd = std::sqrt(squares / static_cast<double>(values.size() - 1));
    s.ci95 = student_t_975(values.size() - 1) * sd / std::sqrt(static_cast<double>(values.size()));
  }
  return s;
}

SweepTable::SweepTable(const SweepGrid& grid, std::vector<PointResults> points)
    : grid_(grid), points_(std::move(points)), metrics_(kHeadline) {
  for (const auto& o : grid.objectives)
    if (std::find(metrics_.begin(), metrics_.end(), o.metric) == metrics_.end()) metrics_.push_back(o.metric);
}

std::optional<MetricStat> SweepTable::stat(std::size_t point, const std::string& metric) const {
  std::vector<double> values;
  for (const auto& r : points_[point].replications)
    if (auto v = result_value(r, metric)) values.push_back(*v);
  if (values.empty()) return std::nullopt;
  MetricStat s = metric_stat(values);
  // A percentile read from the streaming histogram is known only to its bucket's resolution: an
  // interval is never narrower than that, whatever the replications agree on.
  if (is_histogram_quantile(metric))
    s.ci95 = std::max(s.ci95.value_or(0), std::fabs(s.mean) * Histogram::kRelativeAccuracy);
  return s;
}

std::optional<bool> SweepTable::meets(std::size_t point) const {
  if (grid_.objectives.empty() || points_[point].replications.empty()) return std::nullopt;
  return shortfalls(point).empty();
}

std::vector<std::string> SweepTable::shortfalls(std::size_t point) const {
  // Failed and missing runs, then records lost or unfinished, then the objectives not met.
  std::vector<std::string> out;
  if (grid_.objectives.empty() || points_[point].replications.empty()) return out;
  const PointResults& p = points_[point];
  const auto planned = static_cast<std::size_t>(grid_.replications);
  if (!p.failures.empty())
    out.push_back(std::to_string(p.failures.size()) + " of " + std::to_string(planned) + " replications failed");
  if (p.failures.size() + p.replications.size() < planned)
    out.push_back(std::to_string(planned - p.failures.size() - p.replications.size()) + " of " + std::to_string(planned) +
                  " replications not run (an interrupted or unfinished sweep: --resume runs them)");
  const auto bounded = [this](const std::string& metric) {
    return std::any_of(grid_.objectives.begin(), grid_.objectives.end(), [&](const Objective& o) { return o.metric == metric; });
  };
  for (const char* loss : {"records.lost", "records.in_flight_at_end"}) {
    const auto s = stat(point, loss);
    if (!bounded(loss) && s && s->mean > 0)
      out.push_back(std::string(loss) + " " + number(s->mean) + " > 0 (bound it in the objectives to allow it)");
  }
  // The objectives not met, likeliest cause first: records not processed, then throttles, then
  // latency, then the rest (ordering, concurrency, cost), which they often follow from.
  const auto rank = [](const std::string& metric) {
    for (const auto& [prefix, r] : std::vector<std::pair<std::string, int>>{
             {"records.", 0}, {"throttles.", 1}, {"read_held.", 1}, {"latency_s.", 2}, {"iterator_age_s.", 2}})
      if (metric.rfind(prefix, 0) == 0) return r;
    return 3;
  };
  std::vector<std::pair<int, std::string>> unmet;
  for (const auto& o : grid_.objectives) {
    const auto s = stat(point, o.metric);
    if (!s) unmet.push_back({rank(o.metric), o.metric + ": no value"});
    else if (!o.met_by_interval(s->mean, s->ci95.value_or(0)))
      unmet.push_back({rank(o.metric), o.describe() + " not met: " + number(s->mean) + (s->ci95 ? " ± " + number(*s->ci95) : "")});
  }
  std::stable_sort(unmet.begin(), unmet.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [r, text] : unmet) out.push_back(std::move(text));
  return out;
}

std::optional<std::string> SweepTable::partial_latency(std::size_t point) const {
  const auto lost = stat(point, "records.lost"), unfinished = stat(point, "records.in_flight_at_end");
  const double l = lost ? lost->mean : 0, u = unfinished ? unfinished->mean : 0;
  if (l <= 0 && u <= 0) return std::nullopt;
  return "point " + std::to_string(points_[point].point.index) + ": latency covers only the records processed; " +
         number(l) + " lost and " + number(u) + " unfinished at the end (mean over replications)";
}

std::optional<std::size_t> SweepTable::cheapest_meeting() const {
  std::optional<std::size_t> best;
  double best_cost = 0;
  for (std::size_t i = 0; i < points_.size(); ++i) {
    if (meets(i) != true) continue;
    const auto cost = stat(i, "cost_usd.per_hour");
    if (cost && (!best || cost->mean < best_cost)) {
      best = i;
      best_cost = cost->mean;
    }
  }
  return best;
}

std::string SweepTable::params_of(std::size_t point, const std::string& separator) const {
  std::string out;
  for (const auto& [path, value] : points_[point].point.settings)
    out += (out.empty() ? "" : separator) + (value.is_string() ? value.get<std::string>() : value.dump());
  return out;
}

std::string SweepTable::csv() const {
  std::ostringstream out;
  out << "point";
  for (const auto& p : grid_.parameters) out << "," << p.path;
  out << ",replications";
  for (const auto& m : metrics_) out << "," << m << "," << m << ".ci95";
  out << ",meets_objectives,bound\n";
  for (std::size_t i = 0; i < points_.size(); ++i) {
    out << points_[i].point.index << "," << params_of(i, ",") << "," << points_[i].replications.size();
    for (const auto& m : metrics_) {
      const auto s = stat(i, m);
      out << "," << (s ? number(s->mean) : "") << "," << (s && s->ci95 ? number(*s->ci95) : "");
    }
    const auto met = meets(i);
    const auto d = diagnosis(i);
    out << "," << (met ? (*met ? "yes" : "no") : "") << "," << (d ? d->bound : "") << "\n";
  }
  return out.str();
}

nlohmann::ordered_json SweepTable::json() const {
  nlohmann::ordered_json j;
  j["parameters"] = nlohmann::ordered_json::array();
  for (const auto& p : grid_.parameters) j["parameters"].push_back(p.path);
  j["replications"] = grid_.replications;
  j["objectives"] = nlohmann::ordered_json::array();
  for (const auto& o : grid_.objectives) j["objectives"].push_back(o.describe());
  j["points"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < points_.size(); ++i) {
    nlohmann::ordered_json p;
    p["point"] = points_[i].point.index;
    p["settings"] = nlohmann::ordered_json::object();
    for (const auto& [path, value] : points_[i].point.settings) p["settings"][path] = nlohmann::ordered_json::parse(value.dump());
    p["replications_done"] = points_[i].replications.size();
    p["failures"] = points_[i].failures;
    p["metrics"] = nlohmann::ordered_json::object();
    for (const auto& m : metrics_) {
      const auto s = stat(i, m);
      if (!s) continue;
      p["metrics"][m] = {{"mean", s->mean}, {"ci95", s->ci95 ? nlohmann::ordered_json(*s->ci95) : nlohmann::ordered_json(nullptr)}};
    }
    const auto met = meets(i);
    p["meets_objectives"] = met ? nlohmann::ordered_json(*met) : nlohmann::ordered_json(nullptr);
    p["shortfalls"] = shortfalls(i);
    const auto d = diagnosis(i);
    p["bound"] = d ? nlohmann::ordered_json(d->bound) : nlohmann::ordered_json(nullptr);
    if (const auto warning = partial_latency(i)) p["warning"] = *warning;
    j["points"].push_back(p);
  }
  const auto best = cheapest_meeting();
  j["cheapest_meeting_objectives"] = best ? nlohmann::ordered_json(points_[*best].point.index) : nlohmann::ordered_json(nullptr);
  return j;
}

std::string SweepTable::text() const {
  // Columns: the parameters' last path segments, the compact metrics, and the objectives.
  std::vector<std::string> header;
  for (const auto& p : grid_.parameters) header.push_back(p.path.substr(p.path.find_last_of('.') + 1));
  header.push_back("runs");
  for (const auto& [m, name] : kCompact) header.push_back(name);
  if (!grid_.objectives.empty()) header.push_back("meets");
  header.push_back("bound");
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < points_.size(); ++i) {
    std::vector<std::string> row;
    for (const auto& [path, value] : points_[i].point.settings) row.push_back(value.is_string() ? value.get<std::string>() : value.dump());
    row.push_back(std::to_string(points_[i].replications.size()) + "/" + std::to_string(grid_.replications));  // finished/planned
    for (const auto& [m, name] : kCompact) {
      const auto s = stat(i, m);
      row.push_back(!s ? (points_[i].failures.empty() ? "-" : "FAILED") : short_number(s->mean) + (s->ci95 ? "±" + short_number(*s->ci95) : ""));
    }
    if (!grid_.objectives.empty()) {
      const auto met = meets(i);
      row.push_back(met ? (*met ? "yes" : "no") : "-");
    }
    const auto d = diagnosis(i);
    row.push_back(d ? d->bound : "-");
    rows.push_back(row);
  }
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& r : rows) width[c] = std::max(width[c], r[c].size());
  }
  std::ostringstream out;
  auto print = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c)
      out << std::string(width[c] - cells[c].size(), ' ') << cells[c] << (c + 1 < cells.size() ? "  " : "\n");
  };
  print(header);
  for (const auto& r : rows) print(r);
  for (std::size_t i = 0; i < points_.size(); ++i)
    if (const auto warning = partial_latency(i)) out << "warning: " << *warning << "\n";
  if (!grid_.objectives.empty()) {
    out << "objectives (met at the far end of each 95% interval, with every replication run and no record lost):";
    for (const auto& o : grid_.objectives) out << " " << o.describe() << ";";
    const auto best = cheapest_meeting();
    out << "\ncheapest point meeting them: "
        << (best ? "#" + std::to_string(points_[*best].point.index) + " (" + points_[*best].point.label() + ")" : "none") << "\n";
  }
  return out.str();
}

std::string SweepTable::markdown() const {
  std::ostringstream out;
  out << "|";
  for (const auto& p : grid_.parameters) out << " `" << p.path << "` |";
  for (const auto& [m, name] : kCompact) out << " " << m << " |";
  if (!grid_.objectives.empty()) out << " meets objectives |";
  out << " bound |\n|";
  const std::size_t columns = grid_.parameters.size() + kCompact.size() + (grid_.objectives.empty() ? 0 : 1) + 1;
  for (std::size_t c = 0; c < columns; ++c) out << "---|";
  out << "\n";
  for (std::size_t i = 0; i < points_.size(); ++i) {
    out << "|";
    for (const auto& [path, value] : points_[i].point.settings) out << " " << (value.is_string() ? value.get<std::string>() : value.dump()) << " |";
    for (const auto& [m, name] : kCompact) {
      const auto s = stat(i, m);
      out << " " << (s ? short_number(s->mean) + (s->ci95 ? " ± " + short_number(*s->ci95) : "") : "–") << " |";
    }
    if (!grid_.objectives.empty()) {
      const auto met = meets(i);
      out << " " << (met ? (*met ? "yes" : "no") : "–") << " |";
    }
    const auto d = diagnosis(i);
    out << " " << (d ? d->bound : "–") << " |\n";
  }
  if (!grid_.objectives.empty()) {
    const auto best = cheapest_meeting();
    out << "\nCheapest point meeting the objectives: "
        << (best ? "`" + points_[*best].point.label() + "`" : "none") << ".\n";
  }
  return out.str();
}

}  // namespace shardsim
