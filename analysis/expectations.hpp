#pragma once
// A scenario's stated answer (`expect`): bounds on numbers of its result, checked after a run.
// {"result.path": {"min": x, "max": y, "equals": v}, …} with the paths objectives take, plus
// ordering cause counts (`ordering.causes.out_of_order/lineage`, per consumer too), which are
// 0 when the cause did not occur, and the diagnosis's words (`diagnosis.bound`,
// `diagnosis.cause`: {"equals": "keys"}).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shardsim {

struct Expectation {
  std::string path;
  std::optional<double> min, max, equals;  // equals: a number, or true/false as 1/0
  std::optional<std::string> equals_text;   // a text path's word
};

struct ExpectationCheck {
  Expectation expectation;
  std::optional<double> actual;  // empty: the result has no such number
  std::optional<std::string> actual_text;  // a text path's word, if the result has it
  bool met = false;
  std::string describe() const;  // "latency_s.p99 ≤ 2: 1.35 ✔"
};

// Reads an `expect` block; a malformed entry is reported in `problems` as (path, message).
std::vector<Expectation> read_expectations(const nlohmann::json& expect,
                                           std::vector<std::pair<std::string, std::string>>& problems);

// Whether `path` names a word of the result an expectation can check: diagnosis.bound, diagnosis.cause.
bool is_text_path(const std::string& path);

// Whether `path` names an ordering cause count ("ordering.causes.overlap/lineage",
// "consumers.0.ordering.causes.out_of_order/producer_retry").
bool is_ordering_cause_path(const std::string& path);

std::vector<ExpectationCheck> check_expectations(const std::vector<Expectation>& expectations,
                                                 const nlohmann::json& result);

// A sweep point's or a comparison variant's expectations over its replications: each result is
// checked against the expect block its own run had (result.configuration.expect: the base
// scenario's, or the one a variant or a sweep parameter set). An expectation holds when every
// replication meets it; `checks` keeps, per expectation, the first replication that failed it
// (else the last one).
struct PointExpectations {
  std::string label;
  std::vector<ExpectationCheck> checks;
  std::vector<std::int64_t> replication;  // per check: the replication it shows
  bool met() const;
  nlohmann::ordered_json json() const;    // [{"expectation", "actual", "met", "replication"}, …]
};
PointExpectations judge_point(const std::string& label, const std::vector<nlohmann::json>& replications);
// A section for the points that have expectations ("" when none has): a line per point, and
// one per unmet expectation.
std::string expectations_text(const std::vector<PointExpectations>& points);

}  // namespace shardsim
