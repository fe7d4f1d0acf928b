#include "models/core/lanes.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <set>

#include "models/base/block_queue.hpp"

namespace shardsim {
namespace {

constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();

class HashLanes final : public LaneAssignment {
public:
  HashLanes(std::size_t lanes, const KeyTable& keys) : queues_(lanes), bytes_(lanes, 0), keys_(keys) {}

  void add(const Record& r) override {
    const std::size_t lane = hash_lane(keys_.hash_key(r.key), queues_.size());
    queues_[lane].push_back(r);
    bytes_[lane] += r.bytes;
    ++buffered_;
  }
  void prefetch(KeyId key) const override { keys_.prefetch(key); }
  std::size_t buffered() const override { return buffered_; }

  BatchPreview preview(std::size_t lane, const BatchLimits& limits) const override {
    const auto& q = queues_[lane];
    // The usual case, asked at every wake-up while a batch gathers: the whole queue fits (a
    // queue is in shard order, so in arrival order: its first and last records bound its windows).
    if (q.size() <= limits.max_records && bytes_[lane] <= limits.max_bytes &&
        (!limits.window.on() || q.empty() || limits.window.index(q.front().arrival_s) == limits.window.index(q[q.size() - 1].arrival_s)))
      return {q.size(), q.size() == limits.max_records, bytes_[lane], q.empty() ? 0 : q.front().arrival_s};
    BatchPreview p;
    p.first_arrival_s = q.front().arrival_s;
    if (!limits.window.on()) {
      // Without windows, the first max_records records unless max_bytes cuts the batch short:
      // only their bytes are looked at, a block's run at a time.
      const std::size_t n = std::min(q.size(), limits.max_records);
      while (p.records < n) {
        const Record* r = nullptr;
        const std::size_t run = std::min(q.contiguous(p.records, r), n - p.records);
        for (const Record* end = r + run; r < end; ++r) {
          if (p.bytes + r->bytes > limits.max_bytes) {
            p.full = true;
            return p;
          }
          ++p.records;
          p.bytes += r->bytes;
        }
      }
      p.full = p.records == limits.max_records;
      return p;
    }
    for (std::size_t i = 0; i < q.size(); ++i) {
      const Record& r = q[i];
      if (limits.full(p.records, p.bytes, p.first_arrival_s, r)) {
        p.full = true;
        return p;
      }
      ++p.records;
      p.bytes += r.bytes;
    }
    p.full = p.records == limits.max_records;
    return p;
  }
  void take(std::size_t lane, const BatchLimits& limits, std::vector<Record>& out) override {
    out.clear();
    auto& q = queues_[lane];
    const BatchPreview p = preview(lane, limits);
    out.reserve(p.records);
    q.copy_front(p.records, out);
    q.pop_front(p.records);
    bytes_[lane] -= p.bytes;
    buffered_ -= p.records;
  }
  void release(std::size_t, const std::vector<Record>&) override {}
  void for_each_buffered(const std::function<void(const Record&)>& f) const override {
    for (const auto& q : queues_)
      for (std::size_t i = 0; i < q.size(); ++i) f(q[i]);
  }
  const Record* lowest_buffered() const override {
    const Record* lowest = nullptr;
    for (const auto& q : queues_)
      if (!q.empty() && (!lowest || q.front().sequence < lowest->sequence)) lowest = &q.front();
    return lowest;
  }

private:
  std::vector<BlockQueue<Record>> queues_;
  std::vector<std::uint64_t> bytes_;  // per lane: the bytes of its queue
  const KeyTable& keys_;
  std::size_t buffered_ = 0;
};

// The state of the keys a dynamic assignment holds records of (buffered or in flight): an
// open-addressing table that stays as small as the buffer, however many keys the stream has.
class KeyStates {
public:
  struct Entry {
    KeyId key = kEmpty;
    std::uint32_t owner = 0;                    // lane + 1 while in flight, else 0
    std::uint64_t first = kNone, last = kNone;  // its first and last buffered record
  };

  KeyStates() : slots_(kInitial) {}
  Entry* find(KeyId key) {
    for (std::size_t i = home(key);; i = (i + 1) & mask()) {
      if (slots_[i].key == key) return &slots_[i];
      if (slots_[i].key == kEmpty) return nullptr;
    }
  }
  Entry& at(KeyId key) { return *find(key); }  // a key known to be there
  Entry& find_or_add(KeyId key) {
    if (2 * (used_ + 1) > slots_.size()) grow();
    std::size_t i = home(key);
    while (slots_[i].key != key && slots_[i].key != kEmpty) i = (i + 1) & mask();
    if (slots_[i].key == kEmpty) {
      slots_[i] = Entry{};
      slots_[i].key = key;
      ++used_;
    }
    return slots_[i];
  }
  // Forgets a key (linear probing's backward shift: no tombstones).
  void erase(KeyId key) {
    std::size_t hole = home(key);
    while (slots_[hole].key != key) hole = (hole + 1) & mask();
    for (std::size_t i = (hole + 1) & mask(); slots_[i].key != kEmpty; i = (i + 1) & mask()) {
      const std::size_t h = home(slots_[i].key);
      // Move the entry back into the hole unless its home lies cyclically in (hole, i].
      if (((i - h) & mask()) >= ((i - hole) & mask())) {
        slots_[hole] = slots_[i];
        hole = i;
      }
    }
    slots_[hole].key = kEmpty;
    --used_;
  }
  void prefetch(KeyId key) const { __builtin_prefetch(&slots_[home(key)], 1); }

private:
  static constexpr KeyId kEmpty = std::numeric_limits<KeyId>::max();
  static constexpr std::size_t kInitial = 1024;  // a power of two
  std::size_t mask() const { return slots_.size() - 1; }
  std::size_t home(KeyId key) const {
    return static_cast<std::size_t>((std::uint64_t{key} * 0x9E3779B97F4A7C15ull) >> 32) & mask();
  }
  void grow() {
    std::vector<Entry> old(slots_.size() * 2);
    old.swap(slots_);
    used_ = 0;
    for (const Entry& e : old)
      if (e.key != kEmpty) find_or_add(e.key) = e;
  }
  std::vector<Entry> slots_;
  std::size_t used_ = 0;
};

// Records wait in one buffer in shard order, each linked to the next buffered record of its key,
// so a key's records form a chain. Keys with buffered records are indexed by the position of
// their first one: unowned keys in `fresh_` (in order: a key's first record is the newest when it
// enters) or, after a batch of theirs ended, in `returned_`; keys in flight in a lane in that
// lane's set. A lane's next batch is a merge, in shard order, of the chains of the keys free
// for it: it looks at about as many records as it takes, however many records of blocked keys
// wait in between, and a new record costs a list append.
class DynamicLanes final : public LaneAssignment {
public:
  explicit DynamicLanes(std::size_t lanes) : owned_(lanes) {}

  void add(const Record& r) override {
    const std::uint64_t at = front_ + buffer_.size();
    buffer_.push_back({r, kNone, false});
    ++buffered_;
    KeyStates::Entry& k = keys_.find_or_add(r.key);
    if (k.first == kNone) {
      k.first = at;
      if (k.owner) owned_[k.owner - 1].insert({at, r.key});
      else fresh_.push_back({at, r.key});  // the newest position: fresh_ stays in order
    } else {
      slot(k.last).next = at;
    }
    k.last = at;
  }
  void prefetch(KeyId key) const override { keys_.prefetch(key); }
  std::size_t buffered() const override { return buffered_; }

  BatchPreview preview(std::size_t lane, const BatchLimits& limits) const override {
    return merge(lane, limits, [](std::uint64_t) {});
  }
  void take(std::size_t lane, const BatchLimits& limits, std::vector<Record>& out) override {
    out.clear();
    merge(lane, limits, [&](std::uint64_t at) { out.push_back(slot(at).record); });
    // Each key's records leave its chain from the front, in order; the keys whose first record
    // was taken are a prefix of each index, met here in position order.
    for (const Record& r : out) {
      KeyStates::Entry& k = keys_.at(r.key);
      if (k.owner == 0) {
        const Head head{k.first, r.key};
        if (!fresh_.empty() && fresh_.front() == head) fresh_.pop_front();
        else returned_.erase(head);
        k.owner = static_cast<std::uint32_t>(lane + 1);
      } else {
        owned_[lane].erase({k.first, r.key});
      }
      Slot& s = slot(k.first);
      s.taken = true;
      k.first = s.next;
    }
    for (const Record& r : out) {
      const KeyStates::Entry& k = keys_.at(r.key);
      if (k.first != kNone) owned_[lane].insert({k.first, r.key});
    }
    buffered_ -= out.size();
    while (!buffer_.empty() && buffer_.front().taken) {
      buffer_.pop_front();
      ++front_;
    }
  }
  // A lane runs one batch at a time, so its batch holds every record in flight of its keys.
  void release(std::size_t lane, const std::vector<Record>& batch) override {
    for (const Record& r : batch) {
      KeyStates::Entry* k = keys_.find(r.key);
      if (!k || k->owner == 0) continue;  // a key met earlier in this batch
      k->owner = 0;
      if (k->first == kNone) {
        keys_.erase(r.key);
        continue;
      }
      owned_[lane].erase({k->first, r.key});
      returned_.insert({k->first, r.key});
    }
  }
  const Record* lowest_buffered() const override { return buffer_.empty() ? nullptr : &buffer_.front().record; }
  void for_each_buffered(const std::function<void(const Record&)>& f) const override {
    for (std::size_t i = 0; i < buffer_.size(); ++i)
      if (!buffer_[i].taken) f(buffer_[i].record);
  }

private:
  struct Slot {
    Record record;
    std::uint64_t next;  // the next buffered record of the same key (absolute index), or kNone
    bool taken;
  };
  using Head = std::pair<std::uint64_t, KeyId>;  // (first buffered record's index, key)

  Slot& slot(std::uint64_t at) { return buffer_[at - front_]; }
  const Slot& slot(std::uint64_t at) const { return buffer_[at - front_]; }
  // The lane's next batch: buffered records in shard order whose key is not in flight in another
  // lane (a blocked key's later records are skipped too: per-key order holds), up to the limits;
  // `visit` sees each record's index. fresh_ is walked in order; a heap holds the rest: the
  // first max_records entries of the two sets (only they can hold a record of the batch, a key's
  // first record coming before its others) and each visited key's next record.
  template <class Visit>
  BatchPreview merge(std::size_t lane, const BatchLimits& limits, Visit visit) const {
    std::vector<Head>& heap = heap_;
    heap.clear();
    for (const auto* set : {&returned_, &owned_[lane]}) {
      std::size_t k = 0;
      for (auto it = set->begin(); it != set->end() && k < limits.max_records; ++it, ++k) heap.push_back(*it);
    }
    const auto later = std::greater<Head>();
    std::make_heap(heap.begin(), heap.end(), later);
    BatchPreview p;
    std::size_t cursor = 0;  // in fresh_
    while (true) {
      const bool from_fresh = cursor < fresh_.size() && (heap.empty() || fresh_[cursor].first < heap.front().first);
      if (!from_fresh && heap.empty()) break;
      const std::uint64_t at = from_fresh ? fresh_[cursor].first : heap.front().first;
      const Slot& s = slot(at);
      if (p.records == 0) p.first_arrival_s = s.record.arrival_s;
      if (limits.full(p.records, p.bytes, p.first_arrival_s, s.record)) {
        p.full = true;
        return p;
      }
      ++p.records;
      p.bytes += s.record.bytes;
      visit(at);
      if (from_fresh) {
        ++cursor;
        if (s.next != kNone) {
          heap.push_back({s.next, s.record.key});
          std::push_heap(heap.begin(), heap.end(), later);
        }
      } else {
        std::pop_heap(heap.begin(), heap.end(), later);
        if (s.next != kNone) {
          heap.back().first = s.next;
          std::push_heap(heap.begin(), heap.end(), later);
        } else {
          heap.pop_back();
        }
      }
    }
    p.full = p.records == limits.max_records;
    return p;
  }

  BlockQueue<Slot> buffer_;
  std::uint64_t front_ = 0;  // absolute index of buffer_[0]
  std::size_t buffered_ = 0;
  KeyStates keys_;
  BlockQueue<Head> fresh_;              // unowned keys, in order of their first record
  std::set<Head> returned_;             // unowned keys whose last batch ended (any position)
  std::vector<std::set<Head>> owned_;   // per lane: its keys in flight with buffered records
  mutable std::vector<Head> heap_;      // merge's scratch space
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
