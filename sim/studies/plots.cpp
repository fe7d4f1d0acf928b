#include "sim/studies/plots.hpp"

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "sim/studies/children.hpp"

namespace shardsim {
namespace fs = std::filesystem;
namespace {

std::string gnuplot_path() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin");
  std::string d;
  while (std::getline(dirs, d, ':'))
    if (!d.empty() && fs::exists(fs::path(d) / "gnuplot")) return (fs::path(d) / "gnuplot").string();
  return "";
}

}  // namespace

std::string render_plots(const std::string& out_dir, const std::vector<std::string>& scripts) {
  const std::string dir = (fs::path(out_dir) / "plots").string();
  const std::string gnuplot = gnuplot_path();
  if (gnuplot.empty())
    return "plots: gnuplot is not installed; the data and scripts are in " + dir + " (render with gnuplot *.gp there)\n";
  std::vector<std::string> command{gnuplot};
  command.insert(command.end(), scripts.begin(), scripts.end());
  const std::string log = fs::absolute(fs::path(dir) / "gnuplot.log").string();  // opened after the child's chdir
  try {
    if (wait_child(spawn_child(command, log, dir)) != 0) return "plots: gnuplot failed, see " + log + "\n";
  } catch (const std::runtime_error& e) {
    return std::string("plots: ") + e.what() + "\n";
  }
  return "plots: " + dir + "/*.svg and *.png\n";
}

}  // namespace shardsim
