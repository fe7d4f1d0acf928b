#include "analysis/sweep_plots.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace shardsim {
namespace fs = std::filesystem;

namespace {

struct Plot {
  std::string name, title, ylabel;
  std::vector<std::pair<std::string, std::string>> metrics;  // (result path, legend)
};

const std::vector<Plot> kPlots = {
    {"latency_p99", "p99 end-to-end latency", "seconds", {{"latency_s.p99", "p99 latency"}}},
    {"iterator_age_max", "maximum iterator age", "seconds", {{"iterator_age_s.max", "max iterator age"}}},
    {"concurrency", "peak concurrency and its bound", "concurrent invocations",
     {{"concurrency.peak", "peak"}, {"concurrency.limit", "bound"}}},
    {"throttles_ordering", "throttles and ordering violations", "count",
     {{"throttles.write", "write throttles"}, {"throttles.lambda", "Lambda throttles"},
      {"ordering.out_of_order", "out of order"}, {"ordering.overlaps", "overlaps"}}},
    {"cost", "cost per hour of production", "USD/h", {{"cost_usd.per_hour", "per hour"}}}};

std::string value_text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string gnuplot_path() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin");
  std::string d;
  while (std::getline(dirs, d, ':'))
    if (!d.empty() && fs::exists(fs::path(d) / "gnuplot")) return (fs::path(d) / "gnuplot").string();
  return "";
}

}  // namespace

std::string write_sweep_plots(const SweepPlan& plan, const SweepTable& table, const std::string& dir) {
  fs::create_directories(dir);
  const auto& first = plan.parameters.front();
  const bool numeric_x = std::all_of(first.values.begin(), first.values.end(), [](const auto& v) { return v.is_number(); });
  // Series: the second parameter's values (or one series). Points are laid out in product
  // order; zip sweeps and single parameters give one series.
  std::vector<std::string> series{""};
  if (plan.parameters.size() >= 2 && plan.points.size() == [&] {
        std::size_t n = 1;
        for (const auto& p : plan.parameters) n *= p.values.size();
        return n;
      }()) {
    series.clear();
    const std::string& path = plan.parameters[1].path;
    const std::string name = path.substr(path.find_last_of('.') == std::string::npos ? 0 : path.find_last_of('.') + 1);
    for (const auto& v : plan.parameters[1].values) series.push_back(name + "=" + value_text(v));
  }
  std::vector<std::string> scripts;
  for (const Plot& plot : kPlots) {
    std::ostringstream data;
    data << "# x";
    for (const auto& [metric, legend] : plot.metrics)
      for (const auto& s : series) data << "\t" << legend << (s.empty() ? "" : " " + s) << "\tci95";
    data << "\n";
    for (std::size_t xi = 0; xi < first.values.size(); ++xi) {
      data << (numeric_x ? value_text(first.values[xi]) : std::to_string(xi));
      for (const auto& [metric, legend] : plot.metrics) {
        for (std::size_t si = 0; si < series.size(); ++si) {
          // The point with first parameter = value xi and second = value si (other parameters
          // at their first value).
          std::optional<MetricStat> stat;
          for (std::size_t p = 0; p < plan.points.size() && !stat; ++p) {
            const auto& settings = plan.points[p].settings;
            if (settings[0].second != first.values[xi]) continue;
            if (series.size() > 1 && settings[1].second != plan.parameters[1].values[si]) continue;
            bool rest_first = true;
            for (std::size_t k = series.size() > 1 ? 2 : 1; k < settings.size(); ++k)
              rest_first = rest_first && settings[k].second == plan.parameters[k].values.front();
            if (rest_first || plan.points.size() == first.values.size()) stat = table.stat(p, metric);
          }
          data << "\t" << (stat ? std::to_string(stat->mean) : "NaN") << "\t"
               << (stat && stat->ci95 ? std::to_string(*stat->ci95) : "0");
        }
      }
      data << "\n";
    }
    std::ofstream(fs::path(dir) / (plot.name + ".dat")) << data.str();
    std::ostringstream gp;
    gp << "# " << plot.title << " against " << first.path << " (data: " << plot.name << ".dat)\n"
       << "set title '" << plot.title << "'\nset xlabel '" << first.path << "'\nset ylabel '" << plot.ylabel << "'\n"
       << "set key top right\nset grid\n";
    if (!numeric_x) {
      gp << "set xtics (";
      for (std::size_t xi = 0; xi < first.values.size(); ++xi)
        gp << (xi ? ", " : "") << "'" << value_text(first.values[xi]) << "' " << xi;
      gp << ")\n";
    }
    std::string plot_cmd = "plot ";
    std::size_t column = 2;
    for (const auto& [metric, legend] : plot.metrics) {
      for (const auto& s : series) {
        plot_cmd += (column > 2 ? ", " : std::string()) + "'" + plot.name + ".dat' using 1:" + std::to_string(column) + ":" +
                    std::to_string(column + 1) + " with yerrorlines title '" + legend + (s.empty() ? "" : " " + s) + "'";
        column += 2;
      }
    }
    for (const char* format : {"svg", "png"}) {
      gp << "set terminal " << (std::string(format) == "svg" ? "svg size 900,540" : "pngcairo size 900,540") << " noenhanced\n"
         << "set output '" << plot.name << "." << format << "'\n"
         << plot_cmd << "\n";
    }
    std::ofstream(fs::path(dir) / (plot.name + ".gp")) << gp.str();
    scripts.push_back(plot.name + ".gp");
  }
  return render_gnuplot(dir, scripts);
}

std::string render_gnuplot(const std::string& dir, const std::vector<std::string>& scripts) {
  const std::string gnuplot = gnuplot_path();
  if (gnuplot.empty())
    return "plots: gnuplot is not installed; the data and scripts are in " + dir +
           " (render with: cd " + dir + " && gnuplot *.gp)\n";
  std::string command = "cd '" + dir + "' && '" + gnuplot + "'";
  for (const auto& s : scripts) command += " " + s;
  command += " 2> gnuplot.log";
  if (std::system(command.c_str()) != 0) return "plots: gnuplot failed, see " + dir + "/gnuplot.log\n";
  return "plots: " + dir + "/*.svg and *.png\n";
}

}  // namespace shardsim
