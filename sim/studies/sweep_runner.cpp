#include "sim/studies/sweep_runner.hpp"

#include "sim/scenario/diagnostics.hpp"
#include "sim/studies/plots.hpp"

#include "sim/studies/children.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "analysis/expectations.hpp"
#include "analysis/sweep_plots.hpp"
#include "models/base/run_control.hpp"
#include "sim/scenario/scenario_load.hpp"
#include "sim/scenario/scenario_writer.hpp"


namespace shardsim {
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out) throw OutputError("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

struct Job {
  std::size_t point;
  std::int64_t replication;
  pid_t pid = 0;
};

// The children still running when the sweep leaves early (an error, an exception) are stopped
// and reaped, never orphaned.
struct Children {
  std::vector<Job> running;
  ~Children() {
    for (const Job& j : running) kill(j.pid, SIGTERM);
    for (const Job& j : running) {
      int status = 0;
      waitpid(j.pid, &status, 0);
    }
  }
};

std::string tail(const std::string& text, std::size_t lines) {
  std::size_t pos = text.size();
  for (std::size_t n = 0; n <= lines && pos > 0; ++n) pos = text.rfind('\n', pos - 1);
  return pos == std::string::npos ? text : text.substr(pos + 1);
}

}  // namespace

std::string point_result_name(const SweepPoint& point, std::int64_t replication) {
  return point.file_stem() + "_r" + std::to_string(replication) + ".json";
}

void write_sweep_manifest(const std::string& dir, const SweepManifest& m) {
  fs::create_directories(dir);
  std::ofstream out(fs::path(dir) / "sweep.json", std::ios::binary);
  out << nlohmann::json{{"scenario_file", m.scenario_file}, {"overrides", m.overrides}}.dump(2) << "\n";
  if (!out) throw OutputError("cannot write " + (fs::path(dir) / "sweep.json").string());
}

std::optional<SweepManifest> read_sweep_manifests(const std::vector<std::string>& dirs, std::string& problem) {
  nlohmann::json manifest;
  for (const auto& dir : dirs) {
    std::ifstream in(fs::path(dir) / "sweep.json");
    const auto m = nlohmann::json::parse(in, nullptr, false);
    if (m.is_discarded() || !m.contains("scenario_file") || !m["scenario_file"].is_string() || !m.contains("overrides") ||
        !m["overrides"].is_array()) {
      problem = dir + " is not a sweep's output directory (no valid sweep.json)";
      return std::nullopt;
    }
    if (manifest.is_null()) manifest = m;
    else if (m != manifest) {
      problem = dir + " holds a different sweep (scenario or overrides differ)";
      return std::nullopt;
    }
  }
  if (manifest.is_null()) {
    problem = "no sweep directories to merge";
    return std::nullopt;
  }
  SweepManifest result{manifest["scenario_file"].get<std::string>(), {}};
  for (const auto& o : manifest["overrides"])
    if (o.is_string()) result.overrides.push_back(o.get<std::string>());
  return result;
}

void merge_sweep_points(const std::vector<std::string>& dirs, const std::string& out_dir) {
  const auto points = fs::path(out_dir) / "points";
  fs::create_directories(points);
  for (const auto& dir : dirs)
    for (const auto& entry : fs::directory_iterator(fs::path(dir) / "points"))
      if (entry.path().extension() == ".json" || entry.path().extension() == ".failed")
        fs::copy_file(entry.path(), points / entry.path().filename(), fs::copy_options::overwrite_existing);
}

std::size_t run_sweep(const SweepGrid& grid, const SweepOptions& o) {
  const fs::path dir = fs::path(o.out_dir) / "points";
  fs::create_directories(dir);
  // A run's partial result from a sweep that was killed is no result.
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".part") fs::remove(entry.path());
  // Ctrl-C or SIGTERM: no new run starts, those running stop without a result, and --resume
  // runs them later.
  handle_interrupts();
  const std::string self = o.executable.empty() ? fs::read_symlink("/proc/self/exe").string() : o.executable;
  // What is to run: this slice's points, every replication, minus results already there.
  std::vector<Job> todo;
  std::size_t skipped = 0;
  for (std::size_t i = 0; i < grid.points.size(); ++i) {
    const SweepPoint& point = grid.points[i];
    if (point.index % o.slices != o.slice) continue;
    std::vector<std::string> overrides = o.overrides;
    for (const auto& s : point.overrides()) overrides.push_back(s);
    const std::string expected = [&] {
      auto loaded = load_scenario(o.scenario_file, overrides);
      return loaded.scenario ? ScenarioWriter::write(*loaded.scenario).dump() : std::string();
    }();
    for (std::int64_t r = 0; r < grid.replications; ++r) {
      const fs::path result = dir / point_result_name(point, r);
      if (o.resume && fs::exists(result)) {
        const auto j = nlohmann::ordered_json::parse(read_text(result), nullptr, false);
        if (!j.is_discarded() && j.contains("configuration") && j["configuration"].dump() == expected &&
            j["scenario"].value("replication", -1) == r) {
          ++skipped;
          continue;
        }
      }
      fs::remove(dir / (point_result_name(point, r) + ".failed"));
      todo.push_back({i, r});
    }
  }
  const std::size_t jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  Children children;
  std::vector<Job>& running = children.running;
  std::size_t next = 0, done = 0, failed = 0;
  const auto start = std::chrono::steady_clock::now();
  auto report = [&] {
    if (!o.progress) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double left = done ? elapsed / static_cast<double>(done) * static_cast<double>(todo.size() - done) : 0;
    std::fprintf(stderr, "\rsweep: %zu/%zu runs done (%zu skipped, %zu failed), %.0f s elapsed, ~%.0f s left   ", done,
                 todo.size(), skipped, failed, elapsed, left);
    std::fflush(stderr);
  };
  while ((next < todo.size() && !interrupt_requested()) || !running.empty()) {
    while (running.size() < jobs && next < todo.size() && !interrupt_requested()) {
      Job job = todo[next++];
      const SweepPoint& point = grid.points[job.point];
      const std::string name = point_result_name(point, job.replication);
      // A point's result is judged by the objectives; the scenario's expect block is for `run`.
      std::vector<std::string> args{self, "run", o.scenario_file, "--quiet", "--no-expect", "--json",
                                    (dir / (name + ".part")).string(), "--replication", std::to_string(job.replication)};
      if (o.cloudwatch_period_s > 0)
        args.insert(args.end(), {"--cloudwatch", (dir / (fs::path(name).stem().string() + ".cloudwatch.json")).string(), "--cloudwatch-period",
                                 format_number(o.cloudwatch_period_s)});
      for (const auto& s : o.overrides) args.insert(args.end(), {"--set", s});
      for (const auto& s : point.overrides()) args.insert(args.end(), {"--set", s});
      args.insert(args.begin(), o.launcher.begin(), o.launcher.end());
      job.pid = spawn_child(std::move(args), (dir / (name + ".log")).string());
      running.push_back(job);
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0 && errno == EINTR) {
      if (interrupt_requested())
        for (const Job& j : running) kill(j.pid, SIGTERM);
      continue;
    }
    if (pid < 0) break;
    auto it = std::find_if(running.begin(), running.end(), [pid](const Job& j) { return j.pid == pid; });
    if (it == running.end()) continue;
    const Job job = *it;
    running.erase(it);
    const SweepPoint& point = grid.points[job.point];
    const std::string name = point_result_name(point, job.replication);
    const fs::path part = dir / (name + ".part"), log = dir / (name + ".log");
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (interrupt_requested()) {  // stopped by the interrupt: not done, not failed
      fs::remove(part);
      fs::remove(log);
      continue;
    }
    if (code == 0 && fs::exists(part)) {
      fs::rename(part, dir / name);
      fs::remove(log);
    } else {
      ++failed;
      fs::remove(part);
      write_atomically(dir / (name + ".failed"),
                       "point " + std::to_string(point.index) + " (" + point.label() + "), replication " +
                           std::to_string(job.replication) + ": exit code " + std::to_string(code) + "\n" +
                           tail(read_text(log), 8));
    }
    ++done;
    report();
  }
  if (o.progress) std::fprintf(stderr, "\n");
  return failed;
}

std::vector<PointResults> collect_results(const SweepGrid& grid, const std::string& dir) {
  std::vector<PointResults> results;
  for (const auto& point : grid.points) {
    PointResults pr{point, {}, {}};
    for (std::int64_t r = 0; r < grid.replications; ++r) {
      const fs::path result = fs::path(dir) / "points" / point_result_name(point, r);
      const fs::path failure = result.string() + ".failed";
      if (fs::exists(result)) {
        auto j = nlohmann::json::parse(read_text(result), nullptr, false);
        if (!j.is_discarded()) pr.replications.push_back(std::move(j));
      } else if (fs::exists(failure)) {
        pr.failures.push_back(read_text(failure));
      }
    }
    results.push_back(std::move(pr));
  }
  return results;
}

std::vector<PointExpectations> judge_points(const std::vector<PointResults>& results,
                                            const std::vector<std::string>& labels) {
  std::vector<PointExpectations> verdicts;
  for (std::size_t i = 0; i < results.size(); ++i)
    verdicts.push_back(judge_point(i < labels.size() ? labels[i] : results[i].point.label(), results[i].replications));
  return verdicts;
}

std::size_t unmet(const std::vector<PointExpectations>& verdicts) {
  return static_cast<std::size_t>(std::count_if(verdicts.begin(), verdicts.end(), [](const PointExpectations& p) { return !p.met(); }));
}

std::string write_sweep_outputs(const SweepGrid& grid, const std::vector<PointResults>& results, const std::string& dir,
                                std::size_t* points_unmet) {
  const SweepTable table(grid, results);
  fs::create_directories(dir);
  write_atomically(fs::path(dir) / "results.csv", table.csv());
  // Each point's expectations (its scenario's expect block, in every replication).
  const auto verdicts = judge_points(results);
  if (points_unmet) *points_unmet = unmet(verdicts);
  auto json = table.json();
  for (std::size_t i = 0; i < verdicts.size() && i < json["points"].size(); ++i)
    if (!verdicts[i].checks.empty()) json["points"][i]["expectations"] = verdicts[i].json();
  write_atomically(fs::path(dir) / "results.json", json.dump(2) + "\n");
  write_atomically(fs::path(dir) / "results.md", table.markdown());
  std::string scenario = "sweep";
  for (const auto& point : results)
    if (!point.replications.empty()) {
      scenario = point.replications.front()["scenario"].value("name", scenario);
      break;
    }
  const std::string plots = render_plots(dir, write_sweep_plots(grid, table, (fs::path(dir) / "plots").string(), scenario));
  return table.text() + plots + expectations_text(verdicts);
}

}  // namespace shardsim
