#pragma once
// The question catalog: scenarios/questions/*.json, each a small scenario that answers one real
// question (`question`, `answer`) and states the answer as an `expect` block. `shardsim
// questions` lists them; with --run it runs each (its own process) and checks its expectations.
#include <string>
#include <vector>

namespace shardsim {

struct CatalogQuestion {
  std::string file;      // path under the source tree
  std::string question, answer;
  std::string problem;   // why it is not a proper catalog entry (empty when it is)
};

// The catalog under `root`/scenarios/questions, by file name.
std::vector<CatalogQuestion> read_catalog(const std::string& root);

// The catalog in the tour's order (scenarios/questions/tour.txt; files it does not name follow
// by name). Problems (a listed file that is not there) go to `problem`.
std::vector<CatalogQuestion> tour_order(const std::vector<CatalogQuestion>& catalog, const std::string& root,
                                        std::string& problem);

// One stop of the tour: the question, its scenario run by `self` (the lanes' timeline when the
// run is small enough to read, else its expectations as the key figures), the answer.
std::string tour_stop(const CatalogQuestion& q, std::size_t step, std::size_t steps, const std::string& self);

// Runs every question with `self` (this binary), `jobs` at a time; returns the table and sets
// `all_met` when every run met its expectations.
std::string run_catalog(const std::vector<CatalogQuestion>& catalog, const std::string& self, std::size_t jobs,
                        bool& all_met);

}  // namespace shardsim
