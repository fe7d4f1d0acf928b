#pragma once
// The table of a comparison: the same workload processed several ways (the variants of
// `shardsim compare`), each figure's mean over the replications with its 95% confidence
// half-width, side by side. Written as text and Markdown (figures down, variants across), CSV
// and JSON (a row per variant), and a bar chart of the main figures.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/diagnosis.hpp"
#include "analysis/sweep_table.hpp"

namespace shardsim {

struct CompareFigure {
  std::string metric;  // a result path
  std::string label;   // what the table calls it
};
// The figures compared, in the table's order.
const std::vector<CompareFigure>& compare_figures();

class CompareTable {
public:
  // `results[i]` holds variant i's replications (as collect_results gives them); differences are
  // taken to variant `baseline`.
  CompareTable(std::vector<std::string> names, std::vector<PointResults> results, std::size_t baseline = 0);
  std::size_t size() const { return names_.size(); }
  const std::string& name(std::size_t variant) const { return names_[variant]; }
  std::size_t baseline() const { return baseline_; }
  // The mean over the replications and its 95 % interval, never narrower than a histogram
  // percentile's resolution (as in sweeps).
  std::optional<MetricStat> stat(std::size_t variant, const std::string& metric) const;
  // The variant minus the baseline, paired by replication: the variants ran on the same records
  // (same seed per replication), so the interval is the one of the per-replication differences,
  // narrower than the two unpaired intervals together; at least the percentiles' resolution.
  std::optional<MetricStat> difference(std::size_t variant, const std::string& metric) const;
  // Each ordering cause's mean count over the replications ("out_of_order/lineage" → 12.5).
  std::map<std::string, double> causes(std::size_t variant) const;

  // What held the variant back, as most of its replications say (analysis/diagnosis.hpp).
  std::optional<Diagnosis> bound(std::size_t variant) const { return common_diagnosis(results_[variant].replications); }

  std::string text() const;
  // A warning naming the variant when it left more than kUnfinishedWarningShare of its records
  // unprocessed (its latency then flatters it), else "".
  std::string unfinished_warning(std::size_t variant) const;
  // What the variant used that the scenario prices at 0 (its cost leaves it out).
  std::vector<std::string> unpriced(std::size_t variant) const;
  std::string markdown() const;
  std::string csv() const;
  nlohmann::ordered_json json() const;
  // Writes DIR/compare.dat and compare.gp; returns the script's name (sim/studies/plots.hpp renders it).
  std::string write_plot(const std::string& dir, const std::string& scenario) const;

private:
  std::string cell(std::size_t variant, const std::string& metric) const;
  std::string difference_cell(std::size_t variant, const std::string& metric) const;
  // The table's rows (a header, then a row per figure): the figures, or the differences to the baseline.
  std::vector<std::vector<std::string>> rows(bool differences) const;
  std::vector<std::string> names_;
  std::vector<PointResults> results_;
  std::size_t baseline_ = 0;  // after names_: its initializer reads them
};

}  // namespace shardsim
