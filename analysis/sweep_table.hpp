#pragma once
// The table of a sweep: per point, each headline metric's mean over the replications and its
// 95% confidence half-width (Student t), whether the point meets the objectives, and the
// cheapest point that does. Written as CSV, JSON, Markdown and an aligned text table.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/diagnosis.hpp"

#include "analysis/sweep_grid.hpp"

namespace shardsim {

struct PointResults {
  SweepPoint point;
  std::vector<nlohmann::json> replications;  // result JSON of each replication that finished
  std::vector<std::string> failures;         // why the others did not
};

struct MetricStat {
  double mean = 0;
  std::optional<double> ci95;  // half-width; empty with fewer than 2 replications
  std::size_t n = 0;
};

// Mean and 95% confidence half-width t(0.975, n−1) · s / √n of the values.
MetricStat metric_stat(const std::vector<double>& values);
// True for a result path that is a percentile of a streaming histogram (…p50, p90, p99, p999):
// its interval is at least the histogram's resolution, ± Histogram::kRelativeAccuracy × mean.
bool is_histogram_quantile(const std::string& metric);

class SweepTable {
public:
  SweepTable(const SweepGrid& grid, std::vector<PointResults> points);
  const std::vector<std::string>& metrics() const { return metrics_; }
  std::optional<MetricStat> stat(std::size_t point, const std::string& metric) const;
  // Whether the point meets the objectives: every replication ran; no record was lost or left
  // unfinished (unless an objective bounds records.lost or records.in_flight_at_end itself);
  // and each objective holds at the far end of its 95% interval (the upper end for a max, the
  // lower for a min). Empty when the point has no result or there are no objectives.
  std::optional<bool> meets(std::size_t point) const;
  // Why the point does not meet them (empty when it does, or when meets() is empty).
  std::vector<std::string> shortfalls(std::size_t point) const;
  // A warning when the point's latency covers only part of its records (some lost or unfinished).
  std::optional<std::string> partial_latency(std::size_t point) const;
  std::optional<std::size_t> cheapest_meeting() const;
  // What held the point back, as most of its replications say (analysis/diagnosis.hpp).
  std::optional<Diagnosis> diagnosis(std::size_t point) const { return common_diagnosis(points_[point].replications); }

  std::string csv() const;
  std::string markdown() const;
  std::string text() const;
  nlohmann::ordered_json json() const;

private:
  std::string params_of(std::size_t point, const std::string& separator) const;
  const SweepGrid& grid_;
  std::vector<PointResults> points_;
  std::vector<std::string> metrics_;
};

}  // namespace shardsim
