// shardsim sweep and merge on a small sweep: 2 × 2 points, 2 replications, a few seconds each.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tests/support/scratch.hpp"

namespace fs = std::filesystem;

namespace {

// Runs the binary; its output goes to a file of this test's own (ctest -j runs tests at once).
int run(const std::string& args, std::string* output = nullptr) {
  static const std::string work = test_scratch::folder("shardsim-sweep-work");  // default outputs go here
  const std::string log = work + "/output.txt";
  const std::string command = "cd '" + work + "' && '" + std::string(SHARDSIM_BINARY) + "' " + args + " > " + log + " 2>&1";
  const int status = std::system(command.c_str());
  if (output) {
    std::ifstream in(log);
    std::ostringstream s;
    s << in.rdbuf();
    *output = s.str();
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh directory with a small sweep scenario: `parameters` are the sweep's, `mode` its mode.
fs::path sweep_dir(const std::string& parameters = R"("stream.shards": [1, 2], "consumers.0.parallelization_factor": [1, 3])",
                   const std::string& mode = "product") {
  const fs::path dir = test_scratch::folder("shardsim-sweep");
  std::ofstream(dir / "sweep.json") << R"({
    "duration_s": 5,
    "producers": [{"rate_per_s": 300, "keys": {"type": "uniform", "count": 50}}],
    "consumers": [{"batch_size": 20}],
    "functions": {"f": {"duration": {"per_invocation": {"type": "exponential", "mean": 0.05}}}},
    "sweep": {"mode": ")" + mode + R"(", "parameters": {)" + parameters + R"(}},
    "replications": 2,
    "objectives": {"latency_s.p99": {"max": 2.5}}
  })";
  return dir;
}

}  // namespace

TEST_CASE("a sweep writes its tables, and the result does not depend on --jobs") {
  const fs::path dir = sweep_dir();
  std::string out;
  REQUIRE(run("sweep " + (dir / "sweep.json").string() + " --out " + (dir / "one").string() + " --jobs 1", &out) == 0);
  INFO(out);
  REQUIRE(run("sweep " + (dir / "sweep.json").string() + " --out " + (dir / "two").string() + " --jobs 2") == 0);
  const std::string csv = read_file(dir / "one" / "results.csv");
  CHECK(csv == read_file(dir / "two" / "results.csv"));
  CHECK_THAT(csv, Catch::StartsWith("point,stream.shards,consumers.0.parallelization_factor,replications,"));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);  // header + 4 points
  CHECK(fs::exists(dir / "one" / "results.md"));
  CHECK(fs::exists(dir / "one" / "plots" / "latency_p99.gp"));
  CHECK_THAT(out, Catch::Contains("cheapest point meeting them"));
  // Two replications with different random streams: intervals exist and are not all zero.
  const auto results = nlohmann::json::parse(read_file(dir / "one" / "results.json"));
  bool spread = false;
  for (const auto& p : results["points"]) {
    CHECK(p["replications_done"] == 2);
    spread = spread || p["metrics"]["latency_s.p50"]["ci95"].get<double>() > 0;
  }
  CHECK(spread);
}

TEST_CASE("slices merged equal the full sweep byte for byte") {
  const fs::path dir = sweep_dir();
  const std::string file = (dir / "sweep.json").string();
  REQUIRE(run("sweep " + file + " --out " + (dir / "full").string()) == 0);
  REQUIRE(run("sweep " + file + " --slice 0/2 --out " + (dir / "s0").string()) == 0);
  REQUIRE(run("sweep " + file + " --slice 1/2 --out " + (dir / "s1").string()) == 0);
  REQUIRE(run("merge " + (dir / "s0").string() + " " + (dir / "s1").string() + " --out " + (dir / "merged").string()) == 0);
  CHECK(read_file(dir / "merged" / "results.csv") == read_file(dir / "full" / "results.csv"));
  CHECK(read_file(dir / "merged" / "results.json") == read_file(dir / "full" / "results.json"));
}

TEST_CASE("a sweep point's result is byte for byte a run of the program with its overrides") {
  // The sweep runs each point in a fork of itself; this run is the program started anew by the
  // shell. Nothing of the sweep's process may reach the point's result.
  const fs::path dir = sweep_dir();
  const std::string file = (dir / "sweep.json").string();
  REQUIRE(run("sweep " + file + " --out " + (dir / "out").string()) == 0);
  const fs::path point = dir / "out" / "points" / "p0003_shards-2_parallelization_factor-3_r1.json";
  REQUIRE(fs::exists(point));
  REQUIRE(run("run " + file + " --quiet --no-expect --replication 1 --set stream.shards=2 --set consumers.0.parallelization_factor=3 --json " +
              (dir / "alone.json").string()) == 0);
  CHECK(read_file(dir / "alone.json") == read_file(point));
}

TEST_CASE("resume reruns only what is missing") {
  const fs::path dir = sweep_dir();
  const std::string args = "sweep " + (dir / "sweep.json").string() + " --out " + (dir / "out").string();
  REQUIRE(run(args) == 0);
  std::vector<fs::path> results;
  for (const auto& e : fs::directory_iterator(dir / "out" / "points")) results.push_back(e.path());
  std::sort(results.begin(), results.end());
  REQUIRE(results.size() == 8);
  const auto kept_time = fs::last_write_time(results[0]);
  const std::string lost = read_file(results[1]);
  fs::remove(results[1]);  // as if the run had been killed before it finished
  REQUIRE(run(args + " --resume") == 0);
  CHECK(fs::last_write_time(results[0]) == kept_time);  // not rerun
  CHECK(read_file(results[1]) == lost);                   // rerun, same result
}

TEST_CASE("a failing point does not sink the sweep and the exit code says so") {
  // Shard count 1 with a tiny backlog limit stops that point's simulation (exit 3).
  const fs::path dir = sweep_dir(R"("limits.max_backlog_records": [1000000, 5])");
  std::string out;
  CHECK(run("sweep " + (dir / "sweep.json").string() + " --out " + (dir / "out").string(), &out) == 3);
  INFO(out);
  const auto results = nlohmann::json::parse(read_file(dir / "out" / "results.json"));
  CHECK(results["points"][0]["replications_done"] == 2);
  CHECK(results["points"][1]["replications_done"] == 0);
  CHECK_THAT(results["points"][1]["failures"][0].get<std::string>(), Catch::Contains("exit code 3"));
}

TEST_CASE("one invalid point stops the sweep before any run") {
  const fs::path dir = sweep_dir(R"("stream.shards": [1, 0])");
  std::string out;
  CHECK(run("sweep " + (dir / "sweep.json").string() + " --out " + (dir / "out").string(), &out) == 2);
  CHECK_THAT(out, Catch::Contains("stream.shards: 0 is not allowed") && Catch::Contains("point 1"));
  CHECK_FALSE(fs::exists(dir / "out" / "points"));
}

TEST_CASE("sweep --slurm writes an array of slices and a merge, and a merge names the points a missing slice left") {
  const fs::path dir = sweep_dir();
  const std::string file = (dir / "sweep.json").string();
  std::string out;
  REQUIRE(run("sweep " + file + " --out " + (dir / "c").string() + " --slurm 2 --slurm-option partition=batch", &out) == 0);
  INFO(out);
  const std::string array = read_file(dir / "c" / "slurm" / "array.sbatch");
  CHECK_THAT(array, Catch::Contains("#SBATCH --array=0-1"));
  CHECK_THAT(array, Catch::Contains("#SBATCH --partition=batch"));
  CHECK_THAT(array, Catch::Contains("--slice \"$SLURM_ARRAY_TASK_ID/2\""));
  CHECK_THAT(array, Catch::Contains("--out '" + (dir / "c" / "slices").string() + "/'\"$SLURM_ARRAY_TASK_ID\""));
  CHECK_THAT(read_file(dir / "c" / "slurm" / "merge.sbatch"), Catch::Contains(" merge '" + (dir / "c" / "slices" / "0").string()));
  CHECK_THAT(read_file(dir / "c" / "slurm" / "submit.sh"), Catch::Contains("--dependency=afterany:"));
  CHECK(run("sweep " + file + " --out " + (dir / "c").string() + " --slurm 2 --slurm-option array=3") == 2);
  CHECK(run("sweep " + file + " --out " + (dir / "c").string() + " --submit") == 2);  // --submit needs --slurm
  // What the array's tasks would run, with task 1 never run: the merge names its points.
  REQUIRE(run("sweep " + file + " --slice 0/2 --out " + (dir / "c" / "slices" / "0").string()) == 0);
  REQUIRE(run("merge " + (dir / "c" / "slices" / "0").string() + " " + (dir / "c" / "slices" / "1").string() + " --out " +
                  (dir / "c").string(),
              &out) == 3);
  CHECK_THAT(out, Catch::Contains("no such directory; its points will be missing"));
  CHECK_THAT(out, Catch::Contains("point 1 (stream.shards=1 consumers.0.parallelization_factor=3) has 0 of 2 replications"));
  CHECK_THAT(out, Catch::Contains("2 point(s) incomplete"));
  // --resume re-submits only the task whose slice lacks runs.
  REQUIRE(run("sweep " + file + " --out " + (dir / "c").string() + " --slurm 2 --resume", &out) == 0);
  CHECK_THAT(read_file(dir / "c" / "slurm" / "array.sbatch"), Catch::Contains("#SBATCH --array=1\n"));
}

TEST_CASE("a sweep checks each point's expectations, which a parameter can set per point") {
  // PF 1 and PF 3 on one shard, zipped with an expect block each, both "at most 1 invocation at
  // once": PF 3 exceeds it (its peak is 2 or 3).
  const fs::path dir = sweep_dir(R"("consumers.0.parallelization_factor": [1, 3],
                                    "expect": [{"concurrency.peak": {"max": 1}}, {"concurrency.peak": {"max": 1}}])",
                                 "zip");
  std::string out;
  CHECK(run("sweep " + (dir / "sweep.json").string() + " --out " + (dir / "out").string(), &out) == 4);
  INFO(out);
  CHECK_THAT(out, Catch::Contains("expectations (1 of 2 meet theirs in every replication)"));
  const auto results = nlohmann::json::parse(read_file(dir / "out" / "results.json"));
  CHECK(results["points"][0]["expectations"][0]["met"] == true);
  CHECK(results["points"][1]["expectations"][0]["met"] == false);
  CHECK(run("sweep " + (dir / "sweep.json").string() + " --out " + (dir / "out").string() + " --resume --no-expect") == 0);
}

TEST_CASE("names and folders with quotes and gnuplot commands in them are drawn as text, never run") {
  // A scenario name that would close a gnuplot string and call system() (a line break, which
  // would end a gnuplot command, is refused in names), and an output folder with a quote and a
  // command substitution (which broke a shell command line): the plots are rendered and nothing
  // is executed.
  const fs::path dir = sweep_dir(R"("consumers.0.lane_assignment": ["hash", "dynamic"], "stream.shards": [1, 2])");
  std::string text = read_file(dir / "sweep.json");
  text.insert(text.find('{') + 1, R"("name": "x'; system('touch PWNED'); print '",)");
  std::ofstream(dir / "sweep.json") << text;
  const fs::path out = dir / "it's $(touch PWNED2)";
  std::string output;
  std::string quoted = "'";  // the folder's name as one shell word, for this test's own shell
  for (char c : out.string()) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  REQUIRE(run("sweep " + (dir / "sweep.json").string() + " --out " + quoted, &output) == 0);
  INFO(output);
  CHECK(fs::exists(out / "plots" / "latency_p99.svg"));
  CHECK_FALSE(fs::exists(out / "plots" / "PWNED"));
  CHECK_FALSE(fs::exists(out / "PWNED2"));
  CHECK_FALSE(fs::exists(dir / "PWNED2"));
  CHECK_FALSE(fs::exists("PWNED"));
  fs::remove_all(dir);
}

TEST_CASE("Slurm scripts run nothing hidden in a folder's or an option's name") {
  const fs::path dir = sweep_dir();
  const std::string file = (dir / "sweep.json").string();
  // A line break would start a command in an #SBATCH line: refused with exit 2.
  // (printf makes the line breaks for the test's own shell.)
  CHECK(run("sweep " + file + " --out " + (dir / "c").string() + " --slurm 2 --slurm-option \"$(printf 'partition=a\\ntouch PWNED')\"") == 2);
  CHECK(run("sweep " + file + " --out \"$(printf '%s\\nx' '" + (dir / "c").string() + "')\" --slurm 2") == 2);
  fs::copy_file(file, dir / "a\nb.json");
  CHECK(run("sweep \"$(printf '%s\\nb.json' '" + (dir / "a").string() + "')\" --out " + (dir / "c").string() + " --slurm 2") == 2);
  // A folder with a command substitution: the scripts quote it, so submitting (with an sbatch
  // that only answers a job id) creates nothing.
  const fs::path out = dir / "d$(touch PWNED)";
  std::string quoted = "'";
  for (char c : out.string()) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  REQUIRE(run(std::string("plan ") + SHARDSIM_SOURCE_DIR + "/scenarios/plan/steady.json --out " + quoted + " --slurm 2") == 0);
  fs::create_directories(dir / "bin");
  std::ofstream(dir / "bin" / "sbatch") << "#!/bin/sh\necho 42\n";
  fs::permissions(dir / "bin" / "sbatch", fs::perms::owner_all);
  const int status = std::system(("PATH='" + (dir / "bin").string() + ":/usr/bin:/bin' bash '" +
                                  (out / "slurm" / "submit.sh").string() + "' > '" + (dir / "submitted.txt").string() + "' 2>&1")
                                     .c_str());
  const std::string submitted = read_file(dir / "submitted.txt");
  INFO(submitted);
  CHECK(status == 0);
  CHECK_THAT(submitted, Catch::Contains("submitted: plan job 42") && Catch::Contains("d$(touch PWNED)"));
  CHECK_FALSE(fs::exists(dir / "PWNED"));
  CHECK_FALSE(fs::exists("PWNED"));
  fs::remove_all(dir);
}
