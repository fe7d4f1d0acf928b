#pragma once
// Renders the gnuplot scripts a sweep, comparison or plan wrote into OUT/plots as SVG and PNG,
// when gnuplot is installed. gnuplot runs as a child process in that folder, without a shell
// (no file or scenario name is ever read as a command).
#include <string>
#include <vector>

namespace shardsim {

// Runs gnuplot on `scripts` (file names in OUT/plots); returns a line for the summary: where the
// plots are, how to render them, or where gnuplot's errors are.
std::string render_plots(const std::string& out_dir, const std::vector<std::string>& scripts);

}  // namespace shardsim
