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
  events_.push_back(nlohmann::json{{"name", std::string("batch of ") + std::to_string(inv.batch->size())},
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

void Gantt::invocation(const Invocation& inv, const HandlerOutcome& outcome) {
  const std::uint64_t id = inv.consumer * 1'000'000'000ull + track_of(inv);
  auto it = std::find(row_ids_.begin(), row_ids_.end(), id);
  std::size_t row = static_cast<std::size_t>(it - row_ids_.begin());
  if (it == row_ids_.end()) {
    row_ids_.push_back(id);
    row_names_.push_back(lane_name(names_, inv));
  }
  const double handler_start = inv.start_s + inv.init_s;
  for (std::size_t i = 0; i < inv.batch->size(); ++i) {
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

}  // namespace shardsim
