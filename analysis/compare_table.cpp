#include "analysis/compare_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/gnuplot_text.hpp"
#include "analysis/result.hpp"
#include "models/base/number_format.hpp"

namespace shardsim {
namespace fs = std::filesystem;

const std::vector<CompareFigure>& compare_figures() {
  static const std::vector<CompareFigure> figures{
      {"records.produced", "records produced"},
      {"latency_s.unfinished_share", "unfinished at the end (share)"},
      {"concurrency.peak", "peak concurrency"},
      {"concurrency.mean", "mean concurrency"},
      {"latency_s.p50", "p50 latency, s"},
      {"latency_s.p99", "p99 latency, s"},
      {"latency_s.lower_bound_with_unfinished.p99", "p99 counting the unfinished ≥, s"},
      {"iterator_age_s.p99", "p99 iterator age, s"},
      {"throttles.write", "write throttles"},
      {"throttles.read", "read throttles"},
      {"throttles.lambda", "Lambda throttles"},
      {"ordering.overlaps", "overlaps"},
      {"ordering.out_of_order", "out of order"},
      {"ordering.duplicates", "duplicates"},
      {"ordering.lost", "lost"},
      {"billing.lambda_gb_s", "Lambda GB-s"},
      {"billing.lambda_gb_s_waiting", "GB-s waiting for locks"},
      {"cost_usd.per_hour", "cost per hour, USD"},
  };
  return figures;
}

CompareTable::CompareTable(std::vector<std::string> names, std::vector<PointResults> results, std::size_t baseline)
    : names_(std::move(names)), results_(std::move(results)), baseline_(baseline < names_.size() ? baseline : 0) {}

std::optional<MetricStat> CompareTable::stat(std::size_t variant, const std::string& metric) const {
  std::vector<double> values;
  for (const auto& r : results_[variant].replications)
    if (const auto v = result_value(r, metric)) values.push_back(*v);
  if (values.empty()) return std::nullopt;
  MetricStat s = metric_stat(values);
  if (is_histogram_quantile(metric)) s.ci95 = std::max(s.ci95.value_or(0), std::fabs(s.mean) * Histogram::kRelativeAccuracy);
  return s;
}

std::optional<MetricStat> CompareTable::difference(std::size_t variant, const std::string& metric) const {
  const auto replication = [](const nlohmann::json& r) { return r.at("scenario").at("replication").get<std::int64_t>(); };
  std::map<std::int64_t, double> base;
  for (const auto& r : results_[baseline_].replications)
    if (const auto v = result_value(r, metric)) base[replication(r)] = *v;
  std::vector<double> differences;
  double sum_variant = 0, sum_base = 0;
  for (const auto& r : results_[variant].replications) {
    const auto v = result_value(r, metric);
    const auto b = base.find(replication(r));
    if (!v || b == base.end()) continue;
    differences.push_back(*v - b->second);
    sum_variant += std::fabs(*v);
    sum_base += std::fabs(b->second);
  }
  if (differences.empty()) return std::nullopt;
  MetricStat s = metric_stat(differences);
  if (is_histogram_quantile(metric))  // each side known to its resolution only
    s.ci95 = std::max(s.ci95.value_or(0),
                      (sum_variant + sum_base) / static_cast<double>(differences.size()) * Histogram::kRelativeAccuracy);
  return s;
}

std::map<std::string, double> CompareTable::causes(std::size_t variant) const {
  std::map<std::string, double> sums;
  const auto& reps = results_[variant].replications;
  for (const auto& r : reps)
    if (r.contains("ordering") && r["ordering"].contains("causes"))
      for (const auto& [cause, n] : r["ordering"]["causes"].items()) sums[cause] += n.get<double>();
  for (auto& [cause, sum] : sums) sum /= static_cast<double>(reps.size());
  return sums;
}

namespace {
// A mean and its interval: whole numbers as such; others to 2 decimals from 1 up, else 3
// significant digits; the interval with the mean's decimals.
std::string stat_text(const MetricStat& s) {
  const double magnitude = std::fabs(s.mean);
  const int decimals = s.mean == std::floor(s.mean) || magnitude >= 100 ? 0
                       : magnitude >= 1                                 ? 2
                                                                        : std::max(0, 2 - static_cast<int>(std::floor(std::log10(magnitude))));
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, s.mean);
  std::string out = text;
  if (s.ci95 && *s.ci95 > 0) {
    std::snprintf(text, sizeof text, "%.*f", magnitude >= 100 ? 0 : std::max(decimals, 1), *s.ci95);
    out += " ± " + std::string(text);
  }
  return out;
}
}  // namespace

std::string CompareTable::cell(std::size_t variant, const std::string& metric) const {
  const auto s = stat(variant, metric);
  return s ? stat_text(*s) : "—";
}

std::string CompareTable::difference_cell(std::size_t variant, const std::string& metric) const {
  if (variant == baseline_) return "(baseline)";
  const auto d = difference(variant, metric);
  if (!d) return "—";
  const std::string text = stat_text(*d);
  return text[0] == '-' || d->mean == 0 ? text : "+" + text;
}

namespace {
// Display width of UTF-8 text: its code points.
std::size_t width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}
std::string pad(const std::string& s, std::size_t w, bool right) {
  const std::string fill(w > width(s) ? w - width(s) : 0, ' ');
  return right ? fill + s : s + fill;
}
}  // namespace

std::vector<std::vector<std::string>> CompareTable::rows(bool differences) const {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({differences ? "minus " + names_[baseline_] + ", paired" : ""});
  for (std::size_t v = 0; v < size(); ++v)
    if (!differences || v != baseline_) rows.back().push_back(names_[v]);
  for (const auto& f : compare_figures()) {
    rows.push_back({f.label});
    for (std::size_t v = 0; v < size(); ++v)
      if (!differences) rows.back().push_back(cell(v, f.metric));
      else if (v != baseline_) rows.back().push_back(difference_cell(v, f.metric));
  }
  if (!differences) {
    rows.push_back({"bound by"});
    for (std::size_t v = 0; v < size(); ++v) rows.back().push_back(bound(v) ? bound(v)->bound : "");
  }
  return rows;
}

std::string CompareTable::text() const {
  std::ostringstream out;
  for (const bool differences : {false, true}) {
    if (differences && size() < 2) break;
    const auto table = rows(differences);
    std::vector<std::size_t> widths(table.front().size(), 0);
    for (const auto& row : table)
      for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], width(row[c]));
    if (differences) out << "\neach variant minus " << names_[baseline_] << ", replication by replication (same records):\n";
    for (const auto& row : table) {
      for (std::size_t c = 0; c < row.size(); ++c) out << (c ? "  " : "") << pad(row[c], widths[c], c > 0);
      out << "\n";
    }
  }
  for (std::size_t v = 0; v < size(); ++v)
    if (const auto b = bound(v)) out << names_[v] << ": " << b->sentence << "\n";
  // What caused the ordering violations, per variant.
  for (std::size_t v = 0; v < size(); ++v) {
    std::string list;
    for (const auto& [cause, n] : causes(v))
      if (n > 0) list += (list.empty() ? "" : ", ") + cause + " " + format_number(std::round(n * 10) / 10);
    if (!list.empty()) out << names_[v] << ": " << list << "\n";
    for (const auto& failure : results_[v].failures) out << names_[v] << ": a run failed: " << failure.substr(0, failure.find('\n')) << "\n";
    if (const auto list = unpriced(v); !list.empty()) {
      out << names_[v] << ": not priced (price 0 in the scenario):";
      for (std::size_t i = 0; i < list.size(); ++i) out << (i ? ", " : " ") << list[i];
      out << "\n";
    }
  }
  for (std::size_t v = 0; v < size(); ++v)
    if (const std::string warning = unfinished_warning(v); !warning.empty()) out << "warning: " << warning << "\n";
  return out.str();
}

std::vector<std::string> CompareTable::unpriced(std::size_t variant) const {
  std::vector<std::string> list;
  for (const auto& r : results_[variant].replications)
    if (r.contains("cost_usd") && r["cost_usd"].contains("unpriced"))
      for (const auto& u : r["cost_usd"]["unpriced"])
        if (std::find(list.begin(), list.end(), u.get<std::string>()) == list.end()) list.push_back(u.get<std::string>());
  return list;
}

std::string CompareTable::unfinished_warning(std::size_t v) const {
  // A variant that left records unprocessed looks fast: its latency covers only what it processed.
  const auto share = stat(v, "latency_s.unfinished_share");
  if (!share || share->mean <= kUnfinishedWarningShare) return "";
  const auto bound = stat(v, "latency_s.lower_bound_with_unfinished.p99");
  char text[300];
  std::snprintf(text, sizeof text,
                "%s left %.1f %% of the written records unprocessed at the end: its latency covers only the "
                "processed ones; counting the unfinished at their age, p99 ≥ %.3f s",
                names_[v].c_str(), 100 * share->mean, bound ? bound->mean : NAN);
  return text;
}

std::string CompareTable::markdown() const {
  std::ostringstream out;
  for (const bool differences : {false, true}) {
    if (differences && size() < 2) break;
    const auto table = rows(differences);
    if (differences) out << "\nEach variant minus " << names_[baseline_] << ", replication by replication (same records):\n\n";
    for (std::size_t r = 0; r < table.size(); ++r) {
      out << "|";
      for (const auto& c : table[r]) out << " " << c << (c.empty() ? "" : " ") << "|";
      out << "\n";
      if (r == 0) {
        out << "|---|";
        for (std::size_t c = 1; c < table[r].size(); ++c) out << "---:|";
        out << "\n";
      }
    }
  }
  return out.str();
}

std::string CompareTable::csv() const {
  std::ostringstream out;
  out << "variant,replications";
  for (const auto& f : compare_figures())
    out << "," << f.metric << "," << f.metric << "_ci95," << f.metric << "_minus_baseline," << f.metric << "_minus_baseline_ci95";
  out << ",bound\n";
  for (std::size_t v = 0; v < size(); ++v) {
    out << csv_field(names_[v]) << "," << results_[v].replications.size();
    for (const auto& f : compare_figures()) {
      const auto s = stat(v, f.metric);
      const auto d = v == baseline_ ? std::nullopt : difference(v, f.metric);
      out << "," << (s ? format_number(s->mean) : "") << "," << (s && s->ci95 ? format_number(*s->ci95) : "") << ","
          << (d ? format_number(d->mean) : "") << "," << (d && d->ci95 ? format_number(*d->ci95) : "");
    }
    out << "," << (bound(v) ? bound(v)->bound : "") << "\n";
  }
  return out.str();
}

nlohmann::ordered_json CompareTable::json() const {
  nlohmann::ordered_json variants = nlohmann::ordered_json::array();
  for (std::size_t v = 0; v < size(); ++v) {
    const std::string warning = unfinished_warning(v);
    nlohmann::ordered_json settings = nlohmann::ordered_json::object();
    for (const auto& [path, value] : results_[v].point.settings) settings[path] = value;
    nlohmann::ordered_json figures = nlohmann::ordered_json::object();
    const auto stat_json = [](const MetricStat& s) {
      return nlohmann::ordered_json{{"mean", s.mean},
                                    {"ci95", s.ci95 ? nlohmann::ordered_json(*s.ci95) : nlohmann::ordered_json(nullptr)}};
    };
    for (const auto& f : compare_figures())
      if (const auto s = stat(v, f.metric)) {
        figures[f.metric] = stat_json(*s);
        const auto d = v == baseline_ ? std::nullopt : difference(v, f.metric);
        figures[f.metric]["minus_baseline"] = d ? stat_json(*d) : nlohmann::ordered_json(nullptr);
      }
    variants.push_back({{"name", names_[v]},
                        {"overrides", settings},
                        {"replications", results_[v].replications.size()},
                        {"figures", figures},
                        {"ordering_causes", causes(v)},
                        {"bound", bound(v) ? nlohmann::ordered_json(bound(v)->bound) : nlohmann::ordered_json(nullptr)},
                        {"diagnosis", bound(v) ? nlohmann::ordered_json(bound(v)->sentence) : nlohmann::ordered_json(nullptr)},
                        {"failures", results_[v].failures},
                        {"unpriced", unpriced(v)},
                        {"warning", warning.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(warning)}});
  }
  return {{"baseline", names_[baseline_]}, {"variants", variants}};
}

std::string CompareTable::write_plot(const std::string& dir, const std::string& scenario) const {
  // Five bar charts, a bar per variant: p99 latency (with, hollow, the lower bound counting the
  // records left unfinished), peak concurrency, cost per hour, ordering violations (overlaps +
  // out of order), and duplicates + lost records.
  fs::create_directories(dir);
  std::ofstream dat(fs::path(dir) / "compare.dat");
  dat << "# variant p99_latency_s peak_concurrency cost_per_hour_usd ordering_violations duplicates_and_lost "
         "p99_with_unfinished_s\n";
  const auto mean = [this](std::size_t v, const char* metric) {
    const auto s = stat(v, metric);
    return s ? s->mean : 0.0;
  };
  std::size_t longest = 0;
  for (std::size_t v = 0; v < size(); ++v) {
    dat << gnuplot_data_label(names_[v]) << " " << mean(v, "latency_s.p99") << " " << mean(v, "concurrency.peak") << " "
        << mean(v, "cost_usd.per_hour") << " " << mean(v, "ordering.overlaps") + mean(v, "ordering.out_of_order") << " "
        << mean(v, "ordering.duplicates") + mean(v, "ordering.lost") << " "
        << mean(v, "latency_s.lower_bound_with_unfinished.p99") << "\n";
    longest = std::max(longest, width(names_[v]));
  }
  dat.close();
  // Horizontal bars, the variants' names down the left, as wide as the longest, first on top.
  std::ostringstream body;
  body << "set style fill solid 0.7 border -1\nset grid xtics\nunset key\nset xrange [0:*]\n"
       << "set yrange [" << static_cast<double>(size()) - 0.4 << ":-0.6]\nset lmargin " << std::max<std::size_t>(12, longest + 2)
       << "\nset ytics noenhanced\n";
  const char* panels[][3] = {{"p99 latency (hollow: counting unfinished records)", "seconds", "2"},
                             {"peak concurrency", "concurrent invocations", "3"},
                             {"cost per hour of production", "USD/h", "4"},
                             {"ordering violations (overlaps + out of order)", "records", "5"},
                             {"duplicates and lost records", "records", "6"}};
  for (int p = 0; p < 5; ++p) {
    const std::string column = std::string("$") + panels[p][2];
    body << "set title '" << panels[p][0] << "'\nset xlabel '" << panels[p][1] << "'\nplot ";
    if (p == 0) body << "'compare.dat' using ($7/2):0:($7/2):(0.35):yticlabels(1) with boxxyerror fs empty lc 1, '' ";
    else body << "'compare.dat' ";
    body << "using (" << column << "/2):0:(" << column << "/2):(0.35):yticlabels(1) with boxxyerror lc " << p + 1 << "\n";
  }
  std::ostringstream gp;
  const int height = 5 * (120 + 28 * static_cast<int>(size()));
  const int chart_width = 900 + 8 * static_cast<int>(std::max<std::size_t>(longest, 30) - 30);
  for (const char* format : {"svg", "png"}) {
    gp << "set terminal " << (std::string(format) == "svg" ? "svg" : "pngcairo") << " size " << chart_width << "," << height
       << " noenhanced\n"
       << "set output 'compare." << format << "'\n"
       << "set multiplot layout 5,1 title " << gnuplot_string(scenario + ": the variants side by side") << "\n"
       << body.str() << "unset multiplot\n";
  }
  std::ofstream(fs::path(dir) / "compare.gp") << gp.str();
  return "compare.gp";
}

}  // namespace shardsim
