#pragma once
// Plots of a sweep with gnuplot: for each headline metric, the mean against the first swept
// parameter, one line per value of the second (when there is one), error bars from the 95%
// intervals. The data (.dat) and scripts (.gp) are always written; SVG and PNG are rendered
// when gnuplot is installed.
#include <string>
#include <vector>

#include "analysis/sweep_table.hpp"

namespace shardsim {

// Returns a line for the summary: where the plots are, or how to render them.
std::string write_sweep_plots(const SweepPlan& plan, const SweepTable& table, const std::string& dir);

// Runs gnuplot on `scripts` (file names in `dir`) when it is installed; returns the summary line.
std::string render_gnuplot(const std::string& dir, const std::vector<std::string>& scripts);

}  // namespace shardsim
