#pragma once
// Runs a sweep: one simulation per process (SimGrid allows one engine per process), children of
// this same binary, `jobs` at a time. Each finished run's result is written atomically under
// DIR/points/ (a temporary file, then a rename), so an interrupted sweep loses nothing that
// finished and --resume skips it. A failed run is recorded with its settings and the tail of its
// stderr; the others go on.
#include <optional>
#include <string>
#include <vector>

#include "analysis/expectations.hpp"
#include "analysis/sweep_table.hpp"
#include "sim/studies/sweep.hpp"

namespace shardsim {

struct SweepOptions {
  std::string scenario_file;
  std::vector<std::string> overrides;  // --set from the command line, applied before each point's
  std::string out_dir = "sweep-out";
  std::size_t jobs = 0;                // 0: the number of cores
  bool resume = false;
  std::size_t slice = 0, slices = 1;   // run only points with index % slices == slice
  bool progress = false;               // a progress line on stderr
  std::string executable;              // what runs each point; empty: this binary
  std::vector<std::string> launcher;   // a command each run is started through (srun …); empty: none
  double cloudwatch_period_s = 0;      // > 0: each run also writes points/NAME.cloudwatch.json (run --cloudwatch)
};

// What a sweep's output directory was made from (DIR/sweep.json), so slices can be merged.
struct SweepManifest {
  std::string scenario_file;  // absolute
  std::vector<std::string> overrides;
};
void write_sweep_manifest(const std::string& dir, const SweepManifest& manifest);
// The manifest shared by every directory; empty (and `problem` set) when one has none or they
// differ.
std::optional<SweepManifest> read_sweep_manifests(const std::vector<std::string>& dirs, std::string& problem);
// Copies every point result (and failure record) of `dirs` into `out_dir`/points.
void merge_sweep_points(const std::vector<std::string>& dirs, const std::string& out_dir);

// Runs what is not done yet; returns the number of runs that failed.
std::size_t run_sweep(const SweepGrid& grid, const SweepOptions& options);

// The results present in `dir` for the grid's points (any slice that wrote there).
std::vector<PointResults> collect_results(const SweepGrid& grid, const std::string& dir);

// Writes results.csv, results.json, results.md and plots/ into `dir`; returns the text table
// and, where points have expectations, whether they hold (`points_unmet`: how many do not).
std::string write_sweep_outputs(const SweepGrid& grid, const std::vector<PointResults>& results, const std::string& dir,
                                std::size_t* points_unmet = nullptr);

// Each point's expectations over its replications (labels: the points' names, else their
// settings), and how many points do not meet theirs.
std::vector<PointExpectations> judge_points(const std::vector<PointResults>& results,
                                            const std::vector<std::string>& labels = {});
std::size_t unmet(const std::vector<PointExpectations>& verdicts);

// The file name of replication r of a point, under DIR/points/.
std::string point_result_name(const SweepPoint& point, std::int64_t replication);

}  // namespace shardsim
