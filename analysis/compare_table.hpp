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
  // `results[i]` holds variant i's replications (as collect_results gives them).
  CompareTable(std::vector<std::string> names, std::vector<PointResults> results);
  std::size_t size() const { return names_.size(); }
  const std::string& name(std::size_t variant) const { return names_[variant]; }
  std::optional<MetricStat> stat(std::size_t variant, const std::string& metric) const;
  // Each ordering cause's mean count over the replications ("out_of_order/lineage" → 12.5).
  std::map<std::string, double> causes(std::size_t variant) const;

  std::string text() const;
  // A warning naming the variant when it left more than kUnfinishedWarningShare of its records
  // unprocessed (its latency then flatters it), else "".
  std::string unfinished_warning(std::size_t variant) const;
  std::string markdown() const;
  std::string csv() const;
  nlohmann::ordered_json json() const;
  // Writes DIR/compare.dat and compare.gp; returns the script's name (sim/plots.hpp renders it).
  std::string write_plot(const std::string& dir, const std::string& scenario) const;

private:
  std::string cell(std::size_t variant, const std::string& metric) const;
  std::vector<std::string> names_;
  std::vector<PointResults> results_;
};

}  // namespace shardsim
