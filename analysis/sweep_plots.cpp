#include "analysis/sweep_plots.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "analysis/gnuplot_text.hpp"

namespace shardsim {
namespace fs = std::filesystem;

namespace {

struct Series {
  std::string metric, legend;
  bool reference = false;  // a bound: drawn first, dashed, so the measured series shows on top
};

struct Panel {
  std::string title, ylabel;
  std::vector<Series> metrics;
  bool log_y = false;
};

// One figure per file; several panels make a grid of small plots, each on its own axis.
struct Plot {
  std::string name;
  std::vector<Panel> panels;
};

const std::vector<Plot> kPlots = {
    {"latency_p99", {{"p99 end-to-end latency", "seconds (log scale)", {{"latency_s.p99", "p99 latency"}}, true}}},
    {"iterator_age_max", {{"maximum iterator age", "seconds (log scale)", {{"iterator_age_s.max", "max iterator age"}}, true}}},
    {"concurrency",
     {{"peak concurrency and its bound", "concurrent invocations",
       {{"concurrency.limit", "bound (shards read × PF)", true}, {"concurrency.peak", "peak"}}}}},
    {"throttles_ordering",
     {{"write throttles", "rejected puts", {{"throttles.write", "write throttles"}}},
      {"Lambda throttles", "refused invocations", {{"throttles.lambda", "Lambda throttles"}}},
      {"records out of order", "records", {{"ordering.out_of_order", "out of order"}}},
      {"overlapping records", "records", {{"ordering.overlaps", "overlaps"}}}}},
    {"cost", {{"cost per hour of production", "USD/h", {{"cost_usd.per_hour", "per hour"}}}}}};

std::string value_text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }


}  // namespace

std::vector<std::string> write_sweep_plots(const SweepGrid& grid, const SweepTable& table, const std::string& dir,
                                           const std::string& scenario) {
  fs::create_directories(dir);
  const auto& first = grid.parameters.front();
  const bool numeric_x = std::all_of(first.values.begin(), first.values.end(), [](const auto& v) { return v.is_number(); });
  // Series: the second parameter's values (or one series). Points are laid out in product
  // order; zip sweeps and single parameters give one series.
  std::vector<std::string> series{""};
  if (grid.parameters.size() >= 2 && grid.points.size() == [&] {
        std::size_t n = 1;
        for (const auto& p : grid.parameters) n *= p.values.size();
        return n;
      }()) {
    series.clear();
    const std::string& path = grid.parameters[1].path;
    const std::string name = path.substr(path.find_last_of('.') == std::string::npos ? 0 : path.find_last_of('.') + 1);
    for (const auto& v : grid.parameters[1].values) series.push_back(name + "=" + value_text(v));
  }
  // The point drawn for (first parameter = value xi, second = value si, the rest at their first).
  const auto point_at = [&](std::size_t xi, std::size_t si) -> std::optional<std::size_t> {
    for (std::size_t p = 0; p < grid.points.size(); ++p) {
      const auto& settings = grid.points[p].settings;
      if (settings[0].second != first.values[xi]) continue;
      if (series.size() > 1 && settings[1].second != grid.parameters[1].values[si]) continue;
      bool rest_first = true;
      for (std::size_t k = series.size() > 1 ? 2 : 1; k < settings.size(); ++k)
        rest_first = rest_first && settings[k].second == grid.parameters[k].values.front();
      if (rest_first || grid.points.size() == first.values.size()) return p;
    }
    return std::nullopt;
  };
  const auto x_of = [&](std::size_t xi) { return numeric_x ? value_text(first.values[xi]) : std::to_string(xi); };
  const auto chosen = table.cheapest_meeting();
  std::optional<std::size_t> chosen_x;
  if (chosen)
    for (std::size_t xi = 0; xi < first.values.size(); ++xi)
      if (grid.points[*chosen].settings[0].second == first.values[xi]) chosen_x = xi;
  std::vector<std::string> scripts;
  for (const Plot& plot : kPlots) {
    std::ostringstream data, gp;
    data << "# x";
    for (const auto& panel : plot.panels)
      for (const auto& m : panel.metrics)
        for (const auto& s : series) data << "\t" << m.legend << (s.empty() ? "" : " " + s) << "\tci95";
    data << "\n";
    for (std::size_t xi = 0; xi < first.values.size(); ++xi) {
      data << x_of(xi);
      for (const auto& panel : plot.panels)
        for (const auto& m : panel.metrics)
          for (std::size_t si = 0; si < series.size(); ++si) {
            const auto p = point_at(xi, si);
            const auto stat = p ? table.stat(*p, m.metric) : std::nullopt;
            data << "\t" << (stat ? std::to_string(stat->mean) : "NaN") << "\t"
                 << (stat && stat->ci95 ? std::to_string(*stat->ci95) : "0");
          }
      data << "\n";
    }
    std::ofstream(fs::path(dir) / (plot.name + ".dat")) << data.str();
    gp << "# " << plot.panels.front().title << " against " << first.path << " (data: " << plot.name << ".dat)\n";
    std::string body;
    std::size_t column = 2;
    const bool several = plot.panels.size() > 1;
    for (const auto& panel : plot.panels) {
      std::ostringstream p;
      std::string objective;
      for (const auto& o : grid.objectives)
        for (const auto& m : panel.metrics)
          if (o.metric == m.metric) objective += (objective.empty() ? "" : ", ") + o.describe();
      p << "set title " << gnuplot_string((several ? panel.title : scenario + ": " + panel.title) + (objective.empty() ? "" : " (objective " + objective + ")"))
        << "\nset xlabel " << gnuplot_string(first.path) << "\nset ylabel " << gnuplot_string(panel.ylabel) << "\n"
        << (panel.log_y ? "set logscale y\nset yrange [*:*]\n" : "unset logscale y\nset yrange [0:*]\n")  // counts are ≥ 0
        << (several ? "set key top right font ',8' samplen 1 spacing 0.8\n" : "set key top right\n") << "set grid\nunset arrow\n";
      if (!numeric_x) {
        p << "set xtics (";
        for (std::size_t xi = 0; xi < first.values.size(); ++xi) p << (xi ? ", " : "") << gnuplot_string(value_text(first.values[xi])) << " " << xi;
        p << ")\n";
      }
      for (const auto& o : grid.objectives)
        for (const auto& m : panel.metrics)
          for (const auto& bound : {o.max, o.min})
            if (o.metric == m.metric && bound && (!panel.log_y || *bound > 0))
              p << "set arrow from graph 0, first " << *bound << " to graph 1, first " << *bound
                << " nohead dt 2 lw 2 lc rgb 'red'\n";
      std::string cmd = "plot ";
      bool any = false;
      // References first, so the measured series are drawn over them.
      std::vector<std::pair<const Series*, std::size_t>> order;
      for (const auto& m : panel.metrics) {
        order.push_back({&m, column});
        column += 2 * series.size();
      }
      std::stable_partition(order.begin(), order.end(), [](const auto& o) { return o.first->reference; });
      for (const auto& [m, start] : order)
        for (std::size_t si = 0; si < series.size(); ++si) {
          const std::size_t c = start + 2 * si;
          // One colour per series, its bound dashed and thin, its measurement solid on top.
          cmd += (any ? ", " : "") + std::string("'") + plot.name + ".dat' using 1:" + std::to_string(c) +
                 (m->reference ? " with lines dt 2 lw 1" : ":" + std::to_string(c + 1) + " with yerrorlines lw 2") +
                 " lc " + std::to_string(si + 1) + " title " + gnuplot_string(m->legend + (series[si].empty() ? "" : " " + series[si]));
          any = true;
        }
      if (chosen && chosen_x)
        for (const auto& m : panel.metrics)
          if (!m.reference)
            if (const auto stat = table.stat(*chosen, m.metric))
              cmd += ", '+' using (" + x_of(*chosen_x) + "):(" + std::to_string(stat->mean) +
                     ") every ::0::0 with points pt 3 ps 3 lc rgb 'black' title 'cheapest meeting the objectives'";
      p << cmd << "\n";
      body += p.str();
    }
    for (const char* format : {"svg", "png"}) {
      gp << "set terminal " << (std::string(format) == "svg" ? "svg size 900,540" : "pngcairo size 900,540") << " noenhanced\n"
         << "set output '" << plot.name << "." << format << "'\n";
      if (several) gp << "set multiplot layout 2,2 title " << gnuplot_string(scenario + ": throttles and ordering violations") << "\n";
      gp << body;
      if (several) gp << "unset multiplot\n";
    }
    std::ofstream(fs::path(dir) / (plot.name + ".gp")) << gp.str();
    scripts.push_back(plot.name + ".gp");
  }
  return scripts;
}

}  // namespace shardsim
