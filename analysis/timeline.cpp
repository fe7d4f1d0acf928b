#include "analysis/timeline.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

namespace shardsim {
namespace {

std::uint64_t track_of(const Invocation& inv) { return inv.shard * 1000 + inv.lane; }

std::string lane_name(const TimelineNames& names, const Invocation& inv) {
  return names.consumers[inv.consumer] + " " + (*names.shards)[inv.shard] + " lane " + std::to_string(inv.lane);
}

const char* outcome_name(const HandlerOutcome& o) {
  if (o.timed_out) return "timeout";
  if (o.function_error) return "error";
  if (!o.failed.empty()) return "partial failure";
  return "ok";
}

bool resharded(const std::vector<ShardLifetime>& lifetimes) {
  return std::any_of(lifetimes.begin(), lifetimes.end(), [](const ShardLifetime& l) { return l.opened_s > 0 || !std::isinf(l.closed_s); });
}

struct Stage {
  const char* name;
  char symbol;  // in the Gantt chart
  double from, to;
};

// A shard's stages, cut at end_s: open and waiting for its first reader (a child behind its
// parents), open and read, closed and still read (a parent draining).
std::vector<Stage> shard_stages(const ShardLifetime& l, double end_s) {
  const double closed = std::min(l.closed_s, end_s), read_from = std::min(l.read_from_s, end_s),
               read_until = std::min(l.read_until_s, end_s);
  return {{"open, not read yet", '.', l.opened_s, std::min(read_from, closed)},
          {"open, read", '=', std::max(l.opened_s, read_from), closed},
          {"closed, read to the end", '-', std::max(closed, read_from), read_until}};
}

}  // namespace

void TraceRecorder::invocation(const Invocation& inv, const HandlerOutcome& outcome) {
  if (invocations_++ >= limit_) return;
  const std::uint64_t tid = track_of(inv);
  if (std::find(tracks_.begin(), tracks_.end(), std::make_pair(inv.consumer, tid)) == tracks_.end()) {
    tracks_.emplace_back(inv.consumer, tid);
    events_.push_back(nlohmann::json{{"name", "thread_name"}, {"ph", "M"}, {"pid", inv.consumer}, {"tid", tid},
                                     {"args", {{"name", lane_name(names_, inv)}}}}
                          .dump());
  }
  nlohmann::json keys = nlohmann::json::array(), sequences = nlohmann::json::array();
  for (const Record& r : *inv.batch) {
    keys.push_back(keys_.name(r.order_key));
    sequences.push_back(r.sequence);
  }
  const double ts = inv.start_s * 1e6;
  const std::string name = inv.batch->empty() ? "final invocation of a tumbling window"
                                               : "batch of " + std::to_string(inv.batch->size());
  events_.push_back(nlohmann::json{{"name", name},
                                   {"ph", "X"},
                                   {"ts", ts},
                                   {"dur", (inv.end_s - inv.start_s) * 1e6},
                                   {"pid", inv.consumer},
                                   {"tid", tid},
                                   {"args", {{"outcome", outcome_name(outcome)}, {"keys", keys}, {"sequence_numbers", sequences}}}}
                        .dump());
  if (inv.cold_start)
    events_.push_back(nlohmann::json{{"name", "cold start"}, {"ph", "i"}, {"s", "t"}, {"ts", ts}, {"pid", inv.consumer},
                                     {"tid", tid}, {"args", {{"init_s", inv.init_s}}}}
                          .dump());
}

void TraceRecorder::throttled(std::size_t consumer, bool scaling, double now) {
  if (invocations_ >= limit_) return;
  events_.push_back(nlohmann::json{{"name", scaling ? "throttled (scaling rate)" : "throttled (concurrency)"},
                                   {"ph", "i"}, {"s", "p"}, {"ts", now * 1e6}, {"pid", consumer}, {"tid", 0}}
                        .dump());
}

std::string TraceRecorder::json(double end_s) const {
  std::vector<std::string> all;
  for (std::size_t c = 0; c < names_.consumers.size(); ++c)
    all.push_back(
        nlohmann::json{{"name", "process_name"}, {"ph", "M"}, {"pid", c}, {"args", {{"name", names_.consumers[c]}}}}.dump());
  all.insert(all.end(), events_.begin(), events_.end());
  // The stream's shards, when it changed shape: a track each, with its stages as slices.
  const auto& lifetimes = *names_.lifetimes;
  if (resharded(lifetimes)) {
    const std::size_t pid = names_.consumers.size();
    all.push_back(nlohmann::json{{"name", "process_name"}, {"ph", "M"}, {"pid", pid}, {"args", {{"name", "stream"}}}}.dump());
    for (std::size_t i = 0; i < lifetimes.size(); ++i) {
      all.push_back(nlohmann::json{{"name", "thread_name"}, {"ph", "M"}, {"pid", pid}, {"tid", i},
                                   {"args", {{"name", (*names_.shards)[i]}}}}
                        .dump());
      for (const Stage& stage : shard_stages(lifetimes[i], end_s))
        if (stage.to > stage.from)
          all.push_back(nlohmann::json{{"name", stage.name}, {"ph", "X"}, {"ts", stage.from * 1e6},
                                       {"dur", (stage.to - stage.from) * 1e6}, {"pid", pid}, {"tid", i}}
                            .dump());
    }
  }
  std::string out = "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n";
  for (std::size_t i = 0; i < all.size(); ++i) out += all[i] + (i + 1 < all.size() ? ",\n" : "\n");
  return out + "]}\n";
}

void Gantt::invocation(const Invocation& inv, const HandlerOutcome& outcome, std::size_t from, std::size_t to) {
  const std::uint64_t id = inv.consumer * 1'000'000'000ull + track_of(inv);
  auto it = std::find(row_ids_.begin(), row_ids_.end(), id);
  std::size_t row = static_cast<std::size_t>(it - row_ids_.begin());
  if (it == row_ids_.end()) {
    row_ids_.push_back(id);
    row_names_.push_back(lane_name(names_, inv));
  }
  const double handler_start = inv.start_s + inv.init_s;
  for (std::size_t i = from; i < to; ++i) {
    if (!outcome.ran(i)) continue;
    if (bars_.size() >= limit_) {
      truncated_ = true;
      return;
    }
    bars_.push_back({row, handler_start + outcome.record_start_s[i], handler_start + outcome.record_end_s[i],
                     (*inv.batch)[i].order_key});
  }
}

std::string Gantt::render(std::size_t width) const {
  if (bars_.empty()) return "gantt: no record ran\n";
  double end = 0;
  for (const Bar& b : bars_) end = std::max(end, b.end_s);
  // One character per key: the key itself when every key is one character, else a letter.
  std::map<KeyId, char> symbol;
  bool single = true;
  for (const Bar& b : bars_) single = single && keys_.name(b.key).size() == 1;
  const std::string letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (const Bar& b : bars_)
    if (!symbol.count(b.key))
      symbol[b.key] = single ? keys_.name(b.key)[0] : (symbol.size() < letters.size() ? letters[symbol.size()] : '*');
  const double scale = static_cast<double>(width) / end;
  const auto column = [&](double t) { return std::min(width, static_cast<std::size_t>(std::lround(t * scale))); };
  // After a reshard, a row per shard first: '.' open but not read yet, '=' open and read,
  // '-' closed and still read.
  std::vector<std::string> names, lines;
  const auto& lifetimes = *names_.lifetimes;
  if (resharded(lifetimes))
    for (std::size_t i = 0; i < lifetimes.size(); ++i) {
      std::string line(width, ' ');
      for (const Stage& stage : shard_stages(lifetimes[i], end))
        for (std::size_t k = column(stage.from); k < column(stage.to); ++k) line[k] = stage.symbol;
      names.push_back((*names_.shards)[i]);
      lines.push_back(line);
    }
  const std::size_t shard_rows = names.size();
  for (const auto& n : row_names_) {
    names.push_back(n);
    lines.emplace_back(width, ' ');
  }
  for (const Bar& b : bars_) {
    const auto from = std::min(width - 1, static_cast<std::size_t>(b.start_s * scale));
    const auto to = std::max(from + 1, column(b.end_s));
    for (std::size_t c = from; c < to; ++c) lines[shard_rows + b.row][c] = symbol[b.key];
  }
  std::size_t label = 0;
  for (const auto& n : names) label = std::max(label, n.size());
  std::ostringstream out;
  out << "timeline: each character is " << end / static_cast<double>(width) << " s; a lane's row shows the key of the record it ran\n";
  if (shard_rows) out << "shards: '.' open, not read yet (behind its parents); '=' open and read; '-' closed, read to the end\n";
  for (std::size_t r = 0; r < lines.size(); ++r)
    out << names[r] << std::string(label - names[r].size(), ' ') << " |" << lines[r] << "|\n";
  out << std::string(label, ' ') << " 0" << std::string(width > 8 ? width - 8 : 0, ' ');
  char end_label[32];
  std::snprintf(end_label, sizeof end_label, "%8.3g s", end);
  out << end_label << "\n";
  if (!single) {
    out << "keys:";
    for (const auto& [key, c] : symbol) out << " " << c << "=" << keys_.name(key);
    out << "\n";
  }
  if (truncated_) out << "(only the first " << limit_ << " records are drawn)\n";
  return out.str();
}

std::string markup_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {
// A round step for about `ticks` ticks over [0, end]: 1, 2 or 5 × 10^k.
double tick_step(double end, int ticks) {
  const double raw = end / ticks, power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * power >= raw) return m * power;
  return 10 * power;
}
}  // namespace

std::string Gantt::svg() const {
  if (bars_.empty()) return "";
  double end = 0;
  for (const Bar& b : bars_) end = std::max(end, b.end_s);
  // Layout in px: labels at the left (about 7 px per character of a 12 px sans-serif font).
  const auto& lifetimes = *names_.lifetimes;
  std::vector<std::string> names;
  std::vector<std::size_t> shard_of_row;
  if (resharded(lifetimes))
    for (std::size_t i = 0; i < lifetimes.size(); ++i) names.push_back((*names_.shards)[i]);
  const std::size_t shard_rows = names.size();
  names.insert(names.end(), row_names_.begin(), row_names_.end());
  std::size_t longest = 0;
  for (const auto& n : names) longest = std::max(longest, n.size());
  const double label_w = 7.0 * static_cast<double>(longest) + 12, chart_w = 720, row_h = 22, bar_h = 16, top = 8;
  const double height = top + row_h * static_cast<double>(names.size()) + 28, width = label_w + chart_w + 16;
  const auto x = [&](double t) { return label_w + chart_w * t / end; };
  const auto y = [&](std::size_t row) { return top + row_h * static_cast<double>(row); };
  // Colours: a key's by its order of first appearance, from a palette readable on white.
  static const char* palette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
                                  "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295"};
  std::map<KeyId, std::size_t> colour;
  for (const Bar& b : bars_) colour.emplace(b.key, colour.size());
  std::ostringstream out;
  char number[64];
  const auto fmt = [&](double v) {
    std::snprintf(number, sizeof number, "%.4g", v);
    return std::string(number);
  };
  out << "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << fmt(width) << "\" height=\""
      << fmt(height) << "\" viewBox=\"0 0 " << fmt(width) << " " << fmt(height)
      << "\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">\n";
  for (std::size_t r = 0; r < names.size(); ++r) {
    out << "<text class=\"row-label\" x=\"4\" y=\"" << fmt(y(r) + bar_h - 3) << "\">" << markup_escaped(names[r]) << "</text>\n";
    out << "<line x1=\"" << fmt(label_w) << "\" x2=\"" << fmt(label_w + chart_w) << "\" y1=\"" << fmt(y(r) + row_h - 3)
        << "\" y2=\"" << fmt(y(r) + row_h - 3) << "\" stroke=\"#eee\"/>\n";
  }
  // Shards: light while open and not read yet, grey while read, hatched grey once closed.
  for (std::size_t i = 0; i < shard_rows; ++i)
    for (const Stage& stage : shard_stages(lifetimes[i], end)) {
      if (stage.to <= stage.from) continue;
      const char* fill = stage.symbol == '.' ? "#e8e8e8" : stage.symbol == '=' ? "#9aa5b1" : "#cfd5db";
      out << "<rect class=\"shard\" x=\"" << fmt(x(stage.from)) << "\" y=\"" << fmt(y(i)) << "\" width=\""
          << fmt(x(stage.to) - x(stage.from)) << "\" height=\"" << fmt(bar_h) << "\" fill=\"" << fill << "\"><title>"
          << markup_escaped((*names_.shards)[i]) << ": " << stage.name << ", " << fmt(stage.from) << "–" << fmt(stage.to)
          << " s</title></rect>\n";
    }
  for (const Bar& b : bars_) {
    const std::string key = markup_escaped(keys_.name(b.key));
    const double x0 = x(b.start_s), w = std::max(1.0, x(b.end_s) - x0), y0 = y(shard_rows + b.row);
    out << "<rect class=\"record\" data-key=\"" << key << "\" x=\"" << fmt(x0) << "\" y=\"" << fmt(y0) << "\" width=\""
        << fmt(w) << "\" height=\"" << fmt(bar_h) << "\" fill=\"" << palette[colour[b.key] % 12]
        << "\" stroke=\"white\" stroke-width=\"0.5\"><title>key " << key << ": " << fmt(b.start_s) << "–" << fmt(b.end_s)
        << " s</title></rect>\n";
    if (w >= 7.0 * static_cast<double>(keys_.name(b.key).size()) + 4)
      out << "<text x=\"" << fmt(x0 + w / 2) << "\" y=\"" << fmt(y0 + bar_h - 4) << "\" text-anchor=\"middle\" fill=\"white\">"
          << key << "</text>\n";
  }
  // The time axis.
  const double axis = y(names.size()) + 2, step = tick_step(end, 8);
  out << "<line x1=\"" << fmt(label_w) << "\" x2=\"" << fmt(label_w + chart_w) << "\" y1=\"" << fmt(axis) << "\" y2=\""
      << fmt(axis) << "\" stroke=\"#555\"/>\n";
  for (double t = 0; t <= end * (1 + 1e-9); t += step)
    out << "<text x=\"" << fmt(x(t)) << "\" y=\"" << fmt(axis + 14) << "\" text-anchor=\"middle\" fill=\"#555\">" << fmt(t)
        << (t == 0 ? " s" : "") << "</text>\n";
  out << "</svg>\n";
  return out.str();
}

}  // namespace shardsim
