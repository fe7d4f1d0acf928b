// The question catalog: every question under scenarios/questions/ is listed, and every stated
// answer holds when its scenario runs.
#include <filesystem>
#include <sstream>

#include "tests/cli/support.hpp"

using namespace cli_test;

TEST_CASE("every question of the catalog is listed, and every answer holds") {
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/questions"))
    files += e.path().extension() == ".json";
  REQUIRE(files >= 15);
  const auto list = shardsim("questions --source-dir " + std::string(SHARDSIM_SOURCE_DIR));
  REQUIRE(list.exit_code == 0);
  CHECK(static_cast<std::size_t>(std::count(list.out.begin(), list.out.end(), '\n')) == files);
  CHECK_THAT(list.out, Catch::Contains("keys-1-2-1-3.json\tRecords with keys 1,2,1,3,4,1,2,1 arrive together"));
  const auto run = shardsim("questions --run --jobs 2 --source-dir " + std::string(SHARDSIM_SOURCE_DIR));
  INFO(run.out);
  CHECK(run.exit_code == 0);
  std::size_t held = 0;
  for (std::size_t at = run.out.find("✔"); at != std::string::npos; at = run.out.find("✔", at + 1)) ++held;
  CHECK(held == files);
  CHECK_THAT(run.out, Catch::Contains("every answer holds (" + std::to_string(files) + " questions"));
}

TEST_CASE("a catalog entry without its answer, or with a wrong one, is marked") {
  const std::string dir = temp_dir();
  std::filesystem::create_directories(dir + "/scenarios/questions");
  const std::string base = R"({"producers": [{}], "consumers": [{}], "functions": {"f": {}}, "duration_s": 2, )";
  write_temp(dir + "/scenarios/questions", "a-no-answer.json", base + R"("question": "q?", "expect": {"ordering.safe": {"equals": 1}}})");
  write_temp(dir + "/scenarios/questions", "b-wrong.json",
             base + R"("question": "q?", "answer": "a.", "expect": {"concurrency.peak": {"min": 50}}})");
  const auto run = shardsim("questions --run --source-dir " + dir);
  CHECK(run.exit_code == 4);
  CHECK_THAT(run.out, Catch::Contains("✘ a-no-answer.json"));
  CHECK_THAT(run.out, Catch::Contains("a catalog entry needs question, answer and expect"));
  CHECK_THAT(run.out, Catch::Contains("✘ b-wrong.json  q?  (an expectation failed"));
  const auto none = shardsim("questions --source-dir " + dir + "/scenarios");
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.out, Catch::Contains("no questions under"));
}

TEST_CASE("a stop of the tour prints the question, its run with the lanes' timeline, and the answer") {
  // Update after a deliberate change: build/shardsim tour 2 > tests/cli/golden/tour-2.txt
  const auto r = shardsim("tour 2 --source-dir " + std::string(SHARDSIM_SOURCE_DIR));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == read_file(std::string(SHARDSIM_SOURCE_DIR) + "/tests/cli/golden/tour-2.txt"));
  const auto whole = shardsim("tour --source-dir " + std::string(SHARDSIM_SOURCE_DIR));
  REQUIRE(whole.exit_code == 0);
  // Every stop, in tour.txt's order, the first and the last as it lists them.
  CHECK_THAT(whole.out, Catch::StartsWith("── 1 of "));
  CHECK_THAT(whole.out, Catch::Contains(" · same-key-never-concurrent.json\n"));
  CHECK_THAT(whole.out, Catch::Contains(" · adapter-vs-raw-reader.json\n"));
  CHECK(whole.out.find("answer: ") != std::string::npos);
  CHECK(shardsim("tour 99 --source-dir " + std::string(SHARDSIM_SOURCE_DIR)).exit_code == 2);
}

TEST_CASE("following an answer's tip runs and says which of the scenario's expectations no longer apply") {
  // Every "Try --set PATH=VALUE" of the catalog's answers: the run succeeds (exit 0) even where
  // the tip changes what the scenario shows.
  std::size_t tips = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/questions")) {
    if (e.path().extension() != ".json") continue;
    const std::string text = read_file(e.path().string());
    for (auto at = text.find("Try --set "); at != std::string::npos; at = text.find("Try --set ", at + 1)) {
      // The tip's "--set PATH=VALUE" words, one after another.
      std::istringstream words(text.substr(at + 4, text.find('"', at) - (at + 4)));
      std::string word, tip;
      while (words >> word && word == "--set" && words >> word) {
        while (!word.empty() && std::string(".,:;").find(word.back()) != std::string::npos) word.pop_back();
        tip += " --set " + word;
      }
      const auto r = shardsim("run " + e.path().string() + " --quiet" + tip);
      INFO(e.path().filename().string() << ":" << tip << "\n" << r.out);
      CHECK(r.exit_code == 0);
      ++tips;
    }
  }
  CHECK(tips >= 4);
  // The lineage question's tip keeps keys in order: its expectation (a lineage reordering) no
  // longer applies, and the run says so. Another change that breaks it is a failure.
  const std::string lineage = std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/questions/shard-lineage.json";
  const auto tip = shardsim("run " + lineage + " --quiet --set consumers.0.lineage=parent_first");
  CHECK(tip.exit_code == 0);
  CHECK_THAT(tip.out, Catch::Contains("no longer apply"));
  CHECK(shardsim("run " + lineage + " --quiet --set consumers.0.lineage=parent_firs").exit_code == 2);
  CHECK(shardsim("run " + lineage + " --quiet --set stream.reshard=[]").exit_code == 4);
}
