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
#include "models/core/latency_split.hpp"
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

// Where the mean latency went, as a bar of its causes (each as wide as its share of the mean),
// and what held the run back.
std::string latency_bar(const nlohmann::json& r) {
  static const char* kColours[kLatencyCauseCount] = {"#e15759", "#4e79a7", "#f28e2b", "#bab0ac", "#edc948", "#b07aa1",
                                                     "#ff9da7", "#9c755f", "#76b7b2", "#59a14f", "#8cd17d"};
  const auto mean = result_value(r, "latency_s.mean");
  if (!mean || *mean <= 0 || !r.contains("latency_causes_s") || !r["latency_causes_s"].is_object()) return "";
  std::ostringstream bar, legend;
  for (std::size_t c = 0; c < kLatencyCauseCount; ++c) {
    const char* name = latency_cause_names()[c];
    const double part = r["latency_causes_s"][name].value("mean", 0.0), share = part / *mean;
    if (share < 0.005) continue;
    char width[32], text[96];
    std::snprintf(width, sizeof width, "%.2f", 100 * share);
    std::snprintf(text, sizeof text, "%s %.3f s (%.0f %%)", name, part, 100 * share);
    bar << "<span class=\"cause\" style=\"width:" << width << "%;background:" << kColours[c] << "\" title=\"" << text << "\"></span>";
    legend << "<span class=\"key\" style=\"border-color:" << kColours[c] << "\">" << text << "</span> ";
  }
  std::ostringstream out;
  out << "<figure class=\"causes\"><div class=\"bar\">" << bar.str() << "</div><figcaption>Where the mean latency ("
      << figure(r, "latency_s.mean") << " s) went: " << legend.str() << "</figcaption></figure>\n";
  if (r.contains("diagnosis") && r["diagnosis"].is_object())
    out << "<p class=\"diagnosis\">" << markup_escaped(r["diagnosis"].value("sentence", "")) << "</p>\n";
  return out.str();
}

const char* kStyle = R"(body{font-family:sans-serif;max-width:1060px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{font-size:1.2em;border-top:1px solid #ccc;padding-top:1em;margin-top:2em}
.step{color:#777;font-weight:normal;margin-right:.5em}figure{margin:1em 0;overflow-x:auto}
figcaption,.try{color:#555;font-size:.9em}ul.expectations{list-style:none;padding-left:0}
li.met::before{content:"✔ ";color:#2a7d2a}li.unmet::before{content:"✘ ";color:#b22}
.answer{background:#f4f7fb;border-left:4px solid #4e79a7;padding:.6em 1em}
table.figures{border-collapse:collapse;font-size:.9em}table.figures th{text-align:left;font-weight:normal;color:#555;padding:.2em 1em .2em 0}
table.figures td{padding:.2em 2em .2em 0;font-variant-numeric:tabular-nums}code{background:#f2f2f2;padding:0 .2em}
.causes .bar{display:flex;height:1.4em;width:100%;border:1px solid #ccc}.causes .cause{display:block;height:100%}
figure.causes{overflow:visible}.causes .key{display:inline-block;border-left:1em solid;padding-left:.3em;margin-right:.6em}.diagnosis{font-style:italic})";

// Counts the timelines the browser laid out (a box of nonzero size holding records).
const char* kScript = R"(<script>
document.addEventListener("DOMContentLoaded", function () {
  var rendered = 0;
  document.querySelectorAll("svg.timeline").forEach(function (svg) {
    var box = svg.getBBox();
    if (box.width > 0 && box.height > 0 && svg.querySelectorAll("rect.record").length > 0) rendered++;
  });
  document.body.setAttribute("data-rendered-timelines", String(rendered));
  var bars = 0;
  document.querySelectorAll(".causes .bar").forEach(function (bar) {
    var parts = Array.prototype.filter.call(bar.querySelectorAll(".cause"), function (c) { return c.offsetWidth > 0; });
    if (bar.offsetWidth > 0 && parts.length > 0) bars++;
  });
  document.body.setAttribute("data-rendered-latency-bars", String(bars));
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
         "lane (one batch at a time) and a bar per record, coloured by its key; the bar below it shows where the "
         "records' mean latency went. The expectations are the answer, checked on the run.</p>\n<ol class=\"contents\">\n";
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
      out << key_figures(result) << latency_bar(result) << "<ul class=\"expectations\">\n";
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
