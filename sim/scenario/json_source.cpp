#include "sim/scenario/json_source.hpp"

#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <sstream>
#include <vector>

namespace shardsim {
namespace {

using nlohmann::json;

// An input iterator over the text that tells how far the parser has read.
struct CountingIterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  const char* p;
  std::size_t* consumed;
  reference operator*() const { return *p; }
  CountingIterator& operator++() {
    ++p;
    ++*consumed;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const CountingIterator& o) const { return p == o.p; }
  bool operator!=(const CountingIterator& o) const { return p != o.p; }
};

class LineIndex {
public:
  explicit LineIndex(const std::string& text) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') starts_.push_back(i + 1);
  }
  std::pair<int, int> at(std::size_t offset) const {
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    const auto line = static_cast<std::size_t>(it - starts_.begin());
    return {static_cast<int>(line), static_cast<int>(offset - starts_[line - 1] + 1)};
  }

private:
  std::vector<std::size_t> starts_;
};

std::string escape_pointer_token(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// Builds the document through nlohmann's own DOM builder and records positions on the way.
class PositionRecorder {
public:
  PositionRecorder(json& target, const std::size_t& consumed, const std::string& file, const LineIndex& lines,
                   std::map<std::string, SourceLocation>& positions, Diagnostics& diagnostics)
      : dom_(target, false), consumed_(consumed), file_(file), lines_(lines), positions_(positions),
        diagnostics_(diagnostics) {}

  bool null() { return value(), dom_.null(); }
  bool boolean(bool v) { return value(), dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return value(), dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return value(), dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const std::string& s) { return value(), dom_.number_float(v, s); }
  bool string(std::string& v) { return value(), dom_.string(v); }
  bool binary(json::binary_t& v) { return value(), dom_.binary(v); }
  bool start_object(std::size_t n) {
    value();
    frames_.push_back({true, 0, {}, {}});
    return within_depth() && dom_.start_object(n);
  }
  bool end_object() {
    frames_.pop_back();
    return dom_.end_object();
  }
  bool start_array(std::size_t n) {
    value();
    frames_.push_back({false, 0, {}, {}});
    return within_depth() && dom_.start_array(n);
  }
  bool end_array() {
    frames_.pop_back();
    return dom_.end_array();
  }
  bool key(std::string& k) {
    Frame& f = frames_.back();
    f.key = k;
    // The parser has just read the closing quote; the key started length + 2 bytes earlier.
    const std::size_t end = consumed_;
    const std::size_t start = end >= k.size() + 2 ? end - k.size() - 2 : 0;
    key_location_ = location(start);
    if (!f.seen.insert(k).second)
      diagnostics_.error(key_location_, display_path(pointer_of_parent() + "/" + escape_pointer_token(k)),
                         "duplicate key \"" + k + "\": each field may appear once in an object");
    return dom_.key(k);
  }
  bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& e) {
    std::string what = e.what();
    const auto colon = what.find(": syntax error");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    diagnostics_.error(location(position > 0 ? position - 1 : 0), "",
                       "invalid JSON: " + what + (token.empty() ? "" : " (near '" + token + "')"));
    return false;
  }

private:
  // A scenario nests a few levels; thousands only cost time, memory and stack.
  static constexpr std::size_t kMaxDepth = 64;
  bool within_depth() {
    if (frames_.size() <= kMaxDepth) return true;
    diagnostics_.error(location(consumed_ > 0 ? consumed_ - 1 : 0), "",
                       "the JSON nests deeper than " + std::to_string(kMaxDepth) + " levels; a scenario needs a few");
    return false;
  }

  struct Frame {
    bool is_object;
    std::size_t next_index;
    std::string key;
    std::set<std::string> seen;
  };

  SourceLocation location(std::size_t offset) const {
    auto [line, column] = lines_.at(offset);
    return {file_, line, column};
  }
  // The pointer of the container being filled: each enclosing frame contributes the key or
  // index of the child currently open in it.
  std::string pointer_of_parent() const {
    std::string p;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i)
      p += "/" + (frames_[i].is_object ? escape_pointer_token(frames_[i].key) : std::to_string(frames_[i].next_index - 1));
    return p;
  }
  // Called at every value: records where it stands under its pointer.
  void value() {
    if (frames_.empty()) {
      positions_[""] = location(consumed_ > 0 ? consumed_ - 1 : 0);
      return;
    }
    Frame& f = frames_.back();
    std::string p = pointer_of_parent();
    if (f.is_object) {
      p += "/" + escape_pointer_token(f.key);
      positions_[p] = key_location_;
    } else {
      p += "/" + std::to_string(f.next_index++);
      positions_[p] = location(consumed_ > 0 ? consumed_ - 1 : 0);
    }
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  const std::size_t& consumed_;
  const std::string& file_;
  const LineIndex& lines_;
  std::map<std::string, SourceLocation>& positions_;
  Diagnostics& diagnostics_;
  std::vector<Frame> frames_;
  SourceLocation key_location_;
};

}  // namespace

std::string display_path(const std::string& pointer) {
  std::string out;
  std::size_t start = 1;
  while (start <= pointer.size() && !pointer.empty()) {
    const auto slash = pointer.find('/', start);
    const std::string token = pointer.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    const bool index = !token.empty() && token.find_first_not_of("0123456789") == std::string::npos;
    if (index) out += "[" + token + "]";
    else out += (out.empty() ? "" : ".") + token;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

JsonSource::JsonSource(std::string file, const std::string& text, Diagnostics& diagnostics) : file_(std::move(file)) {
  const LineIndex lines(text);
  std::size_t consumed = 0;
  PositionRecorder recorder(document_, consumed, file_, lines, positions_, diagnostics);
  CountingIterator first{text.data(), &consumed};
  CountingIterator last{text.data() + text.size(), &consumed};
  parsed_ = json::sax_parse(first, last, &recorder);
  if (!parsed_) document_ = json();
}

JsonSource JsonSource::from_file(const std::string& file, Diagnostics& diagnostics) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    diagnostics.error({file, 0, 0}, "", "cannot open the scenario file (does it exist and is it readable?)");
    JsonSource empty;
    empty.file_ = file;
    return empty;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return JsonSource(file, buffer.str(), diagnostics);
}

SourceLocation JsonSource::locate(const std::string& pointer) const {
  // The nearest recorded ancestor: a field added by an override has no position of its own.
  std::string p = pointer;
  while (true) {
    auto it = positions_.find(p);
    if (it != positions_.end()) return p == pointer || it->second.line == 0 ? it->second : SourceLocation{file_, 0, 0};
    const auto slash = p.rfind('/');
    if (slash == std::string::npos) return {file_, 0, 0};
    p.erase(slash);
  }
}

void JsonSource::mark_overridden(const std::string& pointer, const std::string& origin) {
  for (auto it = positions_.lower_bound(pointer); it != positions_.end() && it->first.rfind(pointer, 0) == 0;)
    it = positions_.erase(it);
  positions_[pointer] = {origin, 0, 0};
}

}  // namespace shardsim
