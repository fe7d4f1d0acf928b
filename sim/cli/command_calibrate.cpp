// shardsim calibrate: a scenario from a real pipeline's metrics (sim/studies/calibrate.hpp),
// written, then run with the same CloudWatch period and set beside what was observed.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "sim/cli/commands.hpp"
#include "sim/run/simulate.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/studies/calibrate.hpp"
#include "sim/studies/plots.hpp"

namespace shardsim {
namespace {
// Writes `text` to `path`; false (said on stderr) when it cannot.
bool write_output(const std::string& option, const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (out) return true;
  std::cerr << "shardsim calibrate: " << option << " " << path << ": cannot be written\n";
  return false;
}
}  // namespace

int calibrate_command(const CliOptions& o) {
  CalibrationInputs inputs{o.calibrate_export, o.calibrate_queries, o.stream_summary, o.mapping_config, o.function_config,
                           o.calibrate_arrivals};
  Calibration c;
  try {
    c = calibrate(inputs);
  } catch (const CalibrationError& e) {
    std::cerr << "shardsim calibrate: " << e.what() << "\n";
    return kExitInvalidInput;
  }
  const std::string text = c.scenario.dump(2) + "\n";
  auto loaded = load_scenario_text(o.calibrate_out, text);
  if (!loaded.scenario) {  // a setting the describe calls gave that the model refuses
    std::cerr << loaded.diagnostics.format();
    return kExitInvalidInput;
  }
  if (!write_output("--out", o.calibrate_out, text)) return kExitInvalidInput;
  std::cout << "calibrated scenario: " << o.calibrate_out << " (" << c.observed.periods << " periods of " << c.observed.period_s
            << " s from " << c.observed.start << ")\n";
  if (c.fit_periods)
    std::cout << "handler: " << c.per_invocation_s * 1000 << " ms per invocation + " << c.per_record_s * 1000
              << " ms per record, fitted on " << c.fit_periods << " periods (R² " << c.r_squared << ")\n";
  for (const auto& line : c.notes) std::cout << "note: " << line << "\n";
  if (o.no_run) return kExitOk;
  RunOptions options;
  options.cloudwatch_period_s = c.observed.period_s;
  const SimulationOutcome outcome = simulate(*loaded.scenario, o.simgrid_args, options, 100, c.observed.start);
  const auto comparison = observed_beside_simulated(c.observed, nlohmann::json::parse(outcome.cloudwatch_results),
                                                    nlohmann::json::parse(outcome.cloudwatch_queries));
  std::cout << "\nobserved beside simulated\n" << comparison_text(comparison);
  if (!o.comparison_path.empty() && !write_output("--comparison", o.comparison_path, comparison.dump(2) + "\n"))
    return kExitInvalidInput;
  if (!o.calibrate_plots.empty()) {
    try {
      const std::string plots = (std::filesystem::path(o.calibrate_plots) / "plots").string();
      const std::string script = write_comparison_plot(comparison, plots, c.scenario["name"].get<std::string>());
      std::cout << render_plots(o.calibrate_plots, {script});
    } catch (const std::filesystem::filesystem_error& e) {
      std::cerr << "shardsim calibrate: --plots " << o.calibrate_plots << ": " << e.code().message() << "\n";
      return kExitInvalidInput;
    }
  }
  return kExitOk;
}

}  // namespace shardsim
