#include "sim/scenario/diagnostics.hpp"

#include <algorithm>
#include <sstream>

namespace shardsim {

std::string Diagnostic::format() const {
  std::ostringstream out;
  out << (where.file.empty() ? "<scenario>" : where.file);
  if (where.line > 0) out << ':' << where.line << ':' << where.column;
  out << ": " << (severity == Severity::error ? "error" : "warning") << ": ";
  if (!path.empty()) out << path << ": ";
  out << message;
  return out.str();
}

void Diagnostics::error(SourceLocation where, std::string path, std::string message) {
  items_.push_back({Diagnostic::Severity::error, std::move(where), std::move(path), std::move(message)});
}

void Diagnostics::warning(SourceLocation where, std::string path, std::string message) {
  items_.push_back({Diagnostic::Severity::warning, std::move(where), std::move(path), std::move(message)});
}

bool Diagnostics::has_errors() const {
  return std::any_of(items_.begin(), items_.end(),
                     [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::error; });
}

std::vector<Diagnostic> Diagnostics::warnings() const {
  std::vector<Diagnostic> result;
  for (const auto& d : items_)
    if (d.severity == Diagnostic::Severity::warning) result.push_back(d);
  return result;
}

std::string Diagnostics::format() const {
  // Command-line problems first, then the file's in reading order.
  std::vector<const Diagnostic*> ordered;
  for (const auto& d : items_) ordered.push_back(&d);
  std::stable_sort(ordered.begin(), ordered.end(), [](const Diagnostic* a, const Diagnostic* b) {
    return std::make_pair(a->where.line, a->where.column) < std::make_pair(b->where.line, b->where.column);
  });
  std::string text;
  for (const auto* d : ordered) text += d->format() + "\n";
  return text;
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  // A name the word begins (`rate` → rate_per_s) says more than one a few edits away (`name`):
  // the shortest such first; then the closest by edits; then one that contains the word.
  std::string best;
  if (word.size() >= 3)
    for (const auto& c : candidates)
      if (c.size() > word.size() && c.compare(0, word.size(), word) == 0 && (best.empty() || c.size() < best.size())) best = c;
  if (!best.empty()) return best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    const bool affix = word.size() >= 4 && (c.find(word) != std::string::npos || word.find(c) != std::string::npos);
    if (d < best_distance || (affix && best.empty())) {
      best = c;
      best_distance = std::min(d, best_distance);
    }
  }
  return best;
}

bool valid_utf8(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

namespace {
bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }
}  // namespace

bool has_control_character(const std::string& text) { return std::any_of(text.begin(), text.end(), is_control); }

std::string printable(const std::string& text) {
  std::string out = text;
  std::replace_if(out.begin(), out.end(), is_control, '?');
  return out;
}

bool is_digits(const std::string& text) {
  return !text.empty() && text.size() < 10 && text.find_first_not_of("0123456789") == std::string::npos;
}

std::string quote(const nlohmann::json& value) {
  constexpr std::size_t kMost = 80;
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() <= kMost) return text;
  // Cut at a character boundary (not inside a UTF-8 sequence).
  std::size_t cut = kMost;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "… (" + std::to_string(text.size()) + " characters)";
}

}  // namespace shardsim
