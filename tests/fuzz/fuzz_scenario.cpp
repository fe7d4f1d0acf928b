// libFuzzer harness: any bytes as a scenario file, and as a --set override of a valid one. The
// loader must answer every input with a scenario or diagnostics: no crash, no hang, no
// sanitizer report. Build with -DSHARDSIM_FUZZ=ON and clang (README, "Development").
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_writer.hpp"

namespace {
const char* kValid = R"({"duration_s": 5, "stream": {"shards": 2}, "producers": [{"rate_per_s": 10}],
  "consumers": [{}], "functions": {"f": {}}})";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto as_file = shardsim::load_scenario_text("fuzz.json", text);
  (void)as_file.diagnostics.format();
  if (as_file.scenario) (void)shardsim::ScenarioWriter::write(*as_file.scenario).dump();
  auto as_override = shardsim::load_scenario_text("fuzz.json", kValid, {text});
  (void)as_override.diagnostics.format();
  return 0;
}
