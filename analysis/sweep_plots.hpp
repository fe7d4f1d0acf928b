#pragma once
// Plots of a sweep with gnuplot: for each headline metric, the mean against the first swept
// parameter, one line per value of the second (when there is one), error bars from the 95%
// intervals; latency and iterator age on a log scale, each objective drawn as a line, the
// cheapest point meeting the objectives marked, throttles and ordering violations as small
// separate plots, bounds drawn under the measured series; titles name the scenario and the
// objective. Writes the data (.dat) and scripts (.gp); sim/studies/plots.hpp renders them.
#include <string>
#include <vector>

#include "analysis/sweep_table.hpp"

namespace shardsim {

// Returns the scripts written (file names in `dir`). `scenario` names the scenario in the titles.
std::vector<std::string> write_sweep_plots(const SweepGrid& grid, const SweepTable& table, const std::string& dir,
                                           const std::string& scenario);

}  // namespace shardsim
