#include "sim/studies/tour_html.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analysis/expectations.hpp"
#include "analysis/sweep_grid.hpp"
#include "analysis/timeline.hpp"
#include "sim/studies/children.hpp"

namespace shardsim {
namespace fs = std::filesystem;
namespace {

constexpr const char* kRecordsDrawn = "400";  // each stop's timeline: its first records

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string figure(const nlohmann::json& result, const std::string& path, int decimals = 3) {
  const auto v = result_value(result, path);
  if (!v) return "–";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", *v == static_cast<double>(static_cast<long long>(*v)) ? 0 : decimals, *v);
  return text;
}

// The figures a class looks at first, from the run's result.
std::string key_figures(const nlohmann::json& r) {
  std::ostringstream out;
  out << "<table class=\"figures\"><tr><th>records processed</th><td>" << figure(r, "records.processed")
      << "</td><th>peak concurrency / bound</th><td>" << figure(r, "concurrency.peak") << " / "
      << figure(r, "concurrency.limit") << "</td></tr>\n<tr><th>p99 latency, s</th><td>" << figure(r, "latency_s.p99")
      << "</td><th>overlaps / out of order</th><td>" << figure(r, "ordering.overlaps") << " / "
      << figure(r, "ordering.out_of_order") << "</td></tr></table>\n";
  return out.str();
}

const char* kStyle = R"(body{font-family:sans-serif;max-width:1060px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{font-size:1.2em;border-top:1px solid #ccc;padding-top:1em;margin-top:2em}
.step{color:#777;font-weight:normal;margin-right:.5em}figure{margin:1em 0;overflow-x:auto}
figcaption,.try{color:#555;font-size:.9em}ul.expectations{list-style:none;padding-left:0}
li.met::before{content:"✔ ";color:#2a7d2a}li.unmet::before{content:"✘ ";color:#b22}
.answer{background:#f4f7fb;border-left:4px solid #4e79a7;padding:.6em 1em}
table.figures{border-collapse:collapse;font-size:.9em}table.figures th{text-align:left;font-weight:normal;color:#555;padding:.2em 1em .2em 0}
table.figures td{padding:.2em 2em .2em 0;font-variant-numeric:tabular-nums}code{background:#f2f2f2;padding:0 .2em})";

// Counts the timelines the browser laid out (a box of nonzero size holding records).
const char* kScript = R"(<script>
document.addEventListener("DOMContentLoaded", function () {
  var rendered = 0;
  document.querySelectorAll("svg.timeline").forEach(function (svg) {
    var box = svg.getBBox();
    if (box.width > 0 && box.height > 0 && svg.querySelectorAll("rect.record").length > 0) rendered++;
  });
  document.body.setAttribute("data-rendered-timelines", String(rendered));
});
</script>
)";

}  // namespace

std::string tour_html(const std::vector<CatalogQuestion>& stops, const std::vector<std::size_t>& steps,
                      std::size_t tour_size, const std::string& self, std::size_t jobs) {
  char pattern[] = "/tmp/shardsim-tour-XXXXXX";
  if (!mkdtemp(pattern)) throw std::runtime_error("cannot create a temporary directory");
  const fs::path tmp = pattern;
  std::vector<std::vector<std::string>> commands;
  for (std::size_t i = 0; i < stops.size(); ++i) {
    const std::string stem = std::to_string(i);
    commands.push_back({self, "run", stops[i].file, "--quiet", "--json", (tmp / (stem + ".json")).string(), "--gantt-svg",
                        (tmp / (stem + ".svg")).string(), "--gantt-limit", kRecordsDrawn});
  }
  const std::vector<int> codes = run_children(commands, jobs);
  std::ostringstream out;
  out << "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>shardsim: questions about streams, Lambda and ordering</title>\n<style>" << kStyle << "</style>\n</head>\n"
      << "<body data-stops=\"" << stops.size() << "\">\n<h1>Streams, Lambda and ordering: " << stops.size()
      << (stops.size() == 1 ? " question" : " questions") << "</h1>\n"
      << "<p>Each question is a small scenario, simulated by shardsim. Its timeline shows what ran where: a row per "
         "lane (one batch at a time) and a bar per record, coloured by its key. The expectations are the answer, "
         "checked on the run.</p>\n<ol class=\"contents\">\n";
  for (std::size_t i = 0; i < stops.size(); ++i)
    out << "<li value=\"" << steps[i] << "\"><a href=\"#stop-" << steps[i] << "\">" << markup_escaped(stops[i].question)
        << "</a></li>\n";
  out << "</ol>\n";
  for (std::size_t i = 0; i < stops.size(); ++i) {
    const CatalogQuestion& q = stops[i];
    const std::string stem = std::to_string(i), file = fs::path(q.file).filename().string();
    const auto result = nlohmann::json::parse(read_text(tmp / (stem + ".json")), nullptr, false);
    const std::string svg = read_text(tmp / (stem + ".svg"));
    out << "<section class=\"stop\" id=\"stop-" << steps[i] << "\" data-file=\"" << markup_escaped(file) << "\">\n<h2><span class=\"step\">"
        << steps[i] << " of " << tour_size << "</span>" << markup_escaped(q.question) << "</h2>\n";
    if (codes[i] != 0 && codes[i] != 4) {
      out << "<p class=\"failed\">The run failed (exit code " << codes[i] << "): <code>shardsim run scenarios/questions/"
          << markup_escaped(file) << "</code> says why.</p>\n</section>\n";
      continue;
    }
    if (!svg.empty())
      out << "<figure>\n" << svg << "<figcaption>The first " << kRecordsDrawn
          << " records at most; hover over a bar for its key and times.</figcaption>\n</figure>\n";
    if (!result.is_discarded()) {
      std::vector<std::pair<std::string, std::string>> problems;
      const auto checks = check_expectations(
          read_expectations(result["configuration"].value("expect", nlohmann::json()), problems), result);
      out << key_figures(result) << "<ul class=\"expectations\">\n";
      for (const auto& c : checks) {
        std::string text = c.describe();
        text = text.substr(0, text.rfind("  "));  // the mark is drawn by the page
        out << "<li class=\"" << (c.met ? "met" : "unmet") << "\">" << markup_escaped(text) << "</li>\n";
      }
      out << "</ul>\n";
    }
    out << "<p class=\"answer\">" << markup_escaped(q.answer) << "</p>\n<p class=\"try\">Run it: <code>shardsim run "
        << "scenarios/questions/" << markup_escaped(file) << " --gantt</code></p>\n</section>\n";
  }
  out << kScript << "</body>\n</html>\n";
  fs::remove_all(tmp);
  return out.str();
}

}  // namespace shardsim
