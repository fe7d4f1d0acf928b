#include "sim/studies/questions.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/static_estimate.hpp"
#include "sim/studies/children.hpp"

namespace shardsim {
namespace fs = std::filesystem;

std::vector<CatalogQuestion> read_catalog(const std::string& root) {
  std::vector<CatalogQuestion> catalog;
  const fs::path dir = fs::path(root) / "scenarios" / "questions";
  if (!fs::is_directory(dir)) return catalog;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".json") catalog.push_back({entry.path().string(), "", "", ""});
  std::sort(catalog.begin(), catalog.end(), [](const auto& a, const auto& b) { return a.file < b.file; });
  for (auto& q : catalog) {
    const LoadedScenario loaded = load_scenario(q.file, {});
    if (!loaded.scenario) {
      q.problem = "not a valid scenario (shardsim validate " + q.file + ")";
      continue;
    }
    q.question = loaded.scenario->question;
    q.answer = loaded.scenario->answer;
    if (q.question.empty() || q.answer.empty() || loaded.scenario->expect.is_null())
      q.problem = "a catalog entry needs question, answer and expect";
  }
  return catalog;
}

std::vector<CatalogQuestion> tour_order(const std::vector<CatalogQuestion>& catalog, const std::string& root,
                                        std::string& problem) {
  std::vector<CatalogQuestion> ordered;
  std::vector<bool> taken(catalog.size(), false);
  std::ifstream in(fs::path(root) / "scenarios" / "questions" / "tour.txt");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto it = std::find_if(catalog.begin(), catalog.end(),
                                 [&](const CatalogQuestion& q) { return fs::path(q.file).filename() == line; });
    if (it == catalog.end()) {
      problem = "scenarios/questions/tour.txt names " + line + ", which is not in the catalog";
      continue;
    }
    taken[static_cast<std::size_t>(it - catalog.begin())] = true;
    ordered.push_back(*it);
  }
  for (std::size_t i = 0; i < catalog.size(); ++i)
    if (!taken[i]) ordered.push_back(catalog[i]);
  return ordered;
}

std::string tour_stop(const CatalogQuestion& q, std::size_t step, std::size_t steps, const std::string& self) {
  std::ostringstream out;
  out << "── " << step << " of " << steps << " · " << fs::path(q.file).filename().string() << "\n" << q.question << "\n\n";
  // A timeline is readable up to a few hundred records; beyond, the expectations are the figures.
  const LoadedScenario loaded = load_scenario(q.file, {});
  const bool small = loaded.scenario && static_estimate(*loaded.scenario).records_per_s_mean * loaded.scenario->duration_s <= 300;
  std::vector<std::string> command{self, "run", q.file, "--quiet"};
  if (small) command.insert(command.end(), {"--gantt", "--gantt-width", "72"});
  out << run_captured(command).output;
  out << "\nanswer: " << q.answer << "\n\n";
  return out.str();
}

std::string run_catalog(const std::vector<CatalogQuestion>& catalog, const std::string& self, std::size_t jobs,
                        bool& all_met) {
  std::vector<std::vector<std::string>> commands;
  for (const auto& q : catalog) commands.push_back({self, "run", q.file, "--quiet"});
  const std::vector<int> codes = run_children(commands, jobs);
  std::ostringstream out;
  all_met = true;
  for (std::size_t i = 0; i < catalog.size(); ++i) {
    // run: 0 every expectation met, 4 one was not; anything else the run itself failed.
    const int code = catalog[i].problem.empty() ? codes[i] : 2;
    const char* mark = code == 0 ? "✔" : "✘";
    all_met = all_met && code == 0;
    out << mark << " " << fs::path(catalog[i].file).filename().string() << "  " << catalog[i].question;
    if (code == 4) out << "  (an expectation failed: shardsim run " << catalog[i].file << ")";
    else if (code != 0) out << "  (" << (catalog[i].problem.empty() ? "the run failed, exit " + std::to_string(code) : catalog[i].problem) << ")";
    out << "\n";
  }
  return out.str();
}

}  // namespace shardsim
