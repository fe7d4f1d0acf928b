#pragma once
// What held a run back, in one sentence: the cause that took the largest share of the records'
// mean latency (analysis/README.md, "Diagnosis"), named as the limit or choice behind it, with
// what raising it would give. Built from the result's own numbers after the run.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shardsim {

struct RunResult;

struct Diagnosis {
  std::string bound;     // the limit or choice: write_limit, poll_interval, read_limit, …
  std::string cause;     // its latency cause (models/core/latency_split.hpp)
  double share = 0;      // of the mean latency
  std::string sentence;  // for people
};

// None when the run processed nothing.
std::optional<Diagnosis> diagnose(const RunResult& result);

// What most of several replications' result JSON name as their bound, with the sentence of the
// first that does; none when none has a diagnosis.
std::optional<Diagnosis> common_diagnosis(const std::vector<nlohmann::json>& replications);

}  // namespace shardsim
