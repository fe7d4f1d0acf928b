#pragma once
// A scenario's stated answer (`expect`): bounds on numbers of its result, checked after a run.
// {"result.path": {"min": x, "max": y, "equals": v}, …} with the paths objectives take, plus
// ordering cause counts (`ordering.causes.out_of_order/lineage`, per consumer too), which are
// 0 when the cause did not occur.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shardsim {

struct Expectation {
  std::string path;
  std::optional<double> min, max, equals;  // equals: a number, or true/false as 1/0
};

struct ExpectationCheck {
  Expectation expectation;
  std::optional<double> actual;  // empty: the result has no such number
  bool met = false;
  std::string describe() const;  // "latency_s.p99 ≤ 2: 1.35 ✔"
};

// Reads an `expect` block; a malformed entry is reported in `problems` as (path, message).
std::vector<Expectation> read_expectations(const nlohmann::json& expect,
                                           std::vector<std::pair<std::string, std::string>>& problems);

// Whether `path` names an ordering cause count ("ordering.causes.overlap/lineage",
// "consumers.0.ordering.causes.out_of_order/producer_retry").
bool is_ordering_cause_path(const std::string& path);

std::vector<ExpectationCheck> check_expectations(const std::vector<Expectation>& expectations,
                                                 const nlohmann::json& result);

}  // namespace shardsim
