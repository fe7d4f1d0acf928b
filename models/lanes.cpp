#include "models/lanes.hpp"

#include <algorithm>
#include <limits>
#include <type_traits>

#include "models/base/block_queue.hpp"

namespace shardsim {
namespace {

constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();
std::uint64_t position_of(const Record& r) { return r.sequence - 1; }

class HashLanes final : public LaneAssignment {
public:
  HashLanes(std::size_t lanes, const KeyTable& keys) : queues_(lanes), keys_(keys) {}

  void add(const Record& r) override {
    queues_[hash_lane(keys_.hash_key(r.key), queues_.size())].push_back(r);
    ++buffered_;
  }
  void prefetch(const Record& r) const override { keys_.prefetch(r.key); }
  std::size_t buffered() const override { return buffered_; }

  BatchPreview preview(std::size_t lane, const BatchLimits& limits) const override {
    BatchPreview p;
    std::uint64_t bytes = 0;
    const auto& q = queues_[lane];
    for (std::size_t i = 0; i < q.size(); ++i) {
      const Record& r = q[i];
      if (p.records == limits.max_records || bytes + r.bytes > limits.max_bytes) return {p.records, true};
      ++p.records;
      bytes += r.bytes;
    }
    p.full = p.records == limits.max_records;
    return p;
  }
  void take(std::size_t lane, const BatchLimits& limits, std::vector<Record>& out) override {
    out.clear();
    auto& q = queues_[lane];
    const std::size_t n = preview(lane, limits).records;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out.push_back(q[i]);
    q.pop_front(n);
    buffered_ -= n;
  }
  void release(std::size_t, const std::vector<Record>&) override {}
  void for_each_buffered(const std::function<void(const Record&)>& f) const override {
    for (const auto& q : queues_)
      for (std::size_t i = 0; i < q.size(); ++i) f(q[i]);
  }
  std::uint64_t lowest_buffered_position() const override {
    std::uint64_t lowest = kNone;
    for (const auto& q : queues_)
      if (!q.empty()) lowest = std::min(lowest, position_of(q.front()));
    return lowest;
  }

private:
  std::vector<BlockQueue<Record>> queues_;
  const KeyTable& keys_;
  std::size_t buffered_ = 0;
};

class DynamicLanes final : public LaneAssignment {
public:
  explicit DynamicLanes(std::size_t) {}

  void add(const Record& r) override {
    buffer_.push_back({r, false});
    ++buffered_;
  }
  void prefetch(const Record&) const override {}
  std::size_t buffered() const override { return buffered_; }

  BatchPreview preview(std::size_t lane, const BatchLimits& limits) const override {
    return scan(*this, lane, limits, nullptr);
  }
  void take(std::size_t lane, const BatchLimits& limits, std::vector<Record>& out) override {
    out.clear();
    scan(*this, lane, limits, &out);
    for (const Record& r : out) {
      grow(r.key);
      owner_[r.key] = static_cast<std::uint32_t>(lane + 1);
      ++in_flight_[r.key];
    }
    buffered_ -= out.size();
    while (!buffer_.empty() && buffer_.front().taken) buffer_.pop_front();
  }
  void release(std::size_t, const std::vector<Record>& batch) override {
    for (const Record& r : batch)
      if (--in_flight_[r.key] == 0) owner_[r.key] = 0;
  }
  std::uint64_t lowest_buffered_position() const override {
    return buffer_.empty() ? kNone : position_of(buffer_.front().record);
  }
  void for_each_buffered(const std::function<void(const Record&)>& f) const override {
    for (std::size_t i = 0; i < buffer_.size(); ++i)
      if (!buffer_[i].taken) f(buffer_[i].record);
  }

private:
  struct Slot {
    Record record;
    bool taken;
  };
  bool free_for(std::size_t lane, KeyId key) const {
    return key >= owner_.size() || owner_[key] == 0 || owner_[key] == lane + 1;
  }
  void grow(KeyId key) {
    if (key >= owner_.size()) {
      owner_.resize(key + 1, 0);
      in_flight_.resize(key + 1, 0);
    }
  }
  // The lane's next batch: buffered records in shard order whose key is not in flight in
  // another lane (so a blocked key's later records are skipped too: per-key order holds). With
  // `out` (only on a non-const self), the records are taken.
  template <class Self>
  static BatchPreview scan(Self& self, std::size_t lane, const BatchLimits& limits, std::vector<Record>* out) {
    BatchPreview p;
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < self.buffer_.size(); ++i) {
      auto& s = self.buffer_[i];
      if (s.taken || !self.free_for(lane, s.record.key)) continue;
      if (p.records == limits.max_records || bytes + s.record.bytes > limits.max_bytes) return {p.records, true};
      ++p.records;
      bytes += s.record.bytes;
      if constexpr (!std::is_const_v<Self>) {
        if (out) {
          out->push_back(s.record);
          s.taken = true;
        }
      }
    }
    p.full = p.records == limits.max_records;
    return p;
  }

  BlockQueue<Slot> buffer_;
  std::size_t buffered_ = 0;
  LargeVector<std::uint32_t> owner_;      // per key: lane + 1 while in flight, else 0
  LargeVector<std::uint32_t> in_flight_;  // per key: records in flight
};

}  // namespace

const std::vector<std::string>& lane_assignment_names() {
  static const std::vector<std::string> names{"hash", "dynamic"};
  return names;
}

std::unique_ptr<LaneAssignment> make_lane_assignment(LaneAssignmentType type, std::size_t lanes,
                                                     const KeyTable& keys) {
  if (type == LaneAssignmentType::hash) return std::make_unique<HashLanes>(lanes, keys);
  return std::make_unique<DynamicLanes>(lanes);
}

}  // namespace shardsim
