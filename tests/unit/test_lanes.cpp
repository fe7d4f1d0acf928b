#include <catch2/catch.hpp>

#include <map>

#include "models/base/rng.hpp"
#include "models/core/lanes.hpp"

using namespace shardsim;

namespace {

struct Fixture {
  KeyTable keys;
  std::uint64_t next_sequence = 1;
  Record record(const std::string& key) {
    Record r;
    r.key = keys.intern(key);
    r.sequence = next_sequence++;
    r.bytes = 100;
    return r;
  }
};

std::vector<std::uint64_t> sequences(const std::vector<Record>& batch) {
  std::vector<std::uint64_t> out;
  for (const auto& r : batch) out.push_back(r.sequence);
  return out;
}

}  // namespace

TEST_CASE("hash lanes send a key always to the same lane") {
  Fixture f;
  auto lanes = make_lane_assignment(LaneAssignmentType::hash, 2, f.keys);
  // MD5 low 64 bits mod 2: "2" and "4" → lane 0, "1" and "3" → lane 1.
  for (const char* k : {"1", "2", "1", "3", "4"}) lanes->add(f.record(k));
  std::vector<Record> batch;
  lanes->take(0, {10, 1 << 20, {}}, batch);
  CHECK(sequences(batch) == std::vector<std::uint64_t>{2, 5});
  lanes->take(1, {2, 1 << 20, {}}, batch);
  CHECK(sequences(batch) == std::vector<std::uint64_t>{1, 3});
  CHECK(lanes->buffered() == 1);
  REQUIRE(lanes->lowest_buffered() != nullptr);
  CHECK(lanes->lowest_buffered()->sequence == 4);
}

TEST_CASE("dynamic lanes skip keys in flight elsewhere and free them on release") {
  Fixture f;
  auto lanes = make_lane_assignment(LaneAssignmentType::dynamic, 3, f.keys);
  for (const char* k : {"a", "b", "a", "c"}) lanes->add(f.record(k));
  std::vector<Record> first, second, third;
  lanes->take(0, {2, 1 << 20, {}}, first);   // a, b
  CHECK(sequences(first) == std::vector<std::uint64_t>{1, 2});
  lanes->take(1, {2, 1 << 20, {}}, second);  // the second a waits for lane 0; c is free
  CHECK(sequences(second) == std::vector<std::uint64_t>{4});
  CHECK(lanes->preview(2, {2, 1 << 20, {}}).records == 0);
  lanes->release(0, first);
  lanes->take(2, {2, 1 << 20, {}}, third);
  CHECK(sequences(third) == std::vector<std::uint64_t>{3});
  CHECK(lanes->buffered() == 0);
}

TEST_CASE("batches stop at the byte limit") {
  Fixture f;
  for (auto type : {LaneAssignmentType::hash, LaneAssignmentType::dynamic}) {
    auto lanes = make_lane_assignment(type, 1, f.keys);
    for (int i = 0; i < 5; ++i) lanes->add(f.record("k"));
    const BatchPreview p = lanes->preview(0, {10, 250, {}});  // 100 bytes each: two fit
    CHECK(p.records == 2);
    CHECK(p.full);
  }
}

TEST_CASE("under any interleaving, a key is in one lane at a time and its records stay in order") {
  for (auto type : {LaneAssignmentType::hash, LaneAssignmentType::dynamic}) {
    Fixture f;
    Rng rng(5, 0, "lanes-property");
    const std::size_t n_lanes = 4;
    auto lanes = make_lane_assignment(type, n_lanes, f.keys);
    std::vector<std::vector<Record>> in_flight(n_lanes);
    std::map<KeyId, std::uint64_t> last_delivered;
    std::map<KeyId, std::size_t> owner;
    std::size_t added = 0, delivered = 0;
    for (int step = 0; step < 20000; ++step) {
      if (rng.below(3) == 0 && added < 5000) {
        lanes->add(f.record("k" + std::to_string(rng.below(12))));
        ++added;
        continue;
      }
      const std::size_t lane = rng.below(n_lanes);
      if (!in_flight[lane].empty()) {
        for (const auto& r : in_flight[lane]) owner.erase(r.key);
        lanes->release(lane, in_flight[lane]);
        in_flight[lane].clear();
        continue;
      }
      lanes->take(lane, {1 + rng.below(5), 1 << 20, {}}, in_flight[lane]);
      for (const auto& r : in_flight[lane]) {
        auto [it, fresh] = owner.emplace(r.key, lane);
        CHECK(it->second == lane);  // never in two lanes
        CHECK(r.sequence > last_delivered[r.key]);  // per-key order
        last_delivered[r.key] = r.sequence;
        ++delivered;
      }
    }
    CHECK(delivered + lanes->buffered() == added);  // every record taken once or still buffered
  }
}

namespace {
// The dynamic rule, written as plainly as possible: a lane's batch is the buffered records, in
// shard order, whose key is not in flight in another lane, up to the limits.
struct PlainDynamic {
  std::vector<Record> buffer;
  std::map<KeyId, std::size_t> owner;  // key → lane, while in flight
  BatchPreview preview(std::size_t lane, const BatchLimits& limits, std::vector<Record>* out = nullptr) const {
    BatchPreview p;
    std::uint64_t bytes = 0;
    for (const Record& r : buffer) {
      const auto it = owner.find(r.key);
      if (it != owner.end() && it->second != lane) continue;
      if (p.records == limits.max_records || bytes + r.bytes > limits.max_bytes) return {p.records, true};
      ++p.records;
      bytes += r.bytes;
      if (out) out->push_back(r);
    }
    p.full = p.records == limits.max_records;
    return p;
  }
  void take(std::size_t lane, const BatchLimits& limits, std::vector<Record>& out) {
    out.clear();
    preview(lane, limits, &out);
    for (const Record& r : out) {
      owner[r.key] = lane;
      buffer.erase(std::find_if(buffer.begin(), buffer.end(), [&](const Record& b) { return b.sequence == r.sequence; }));
    }
  }
  void release(const std::vector<Record>& batch) {
    for (const Record& r : batch) owner.erase(r.key);
  }
};
}  // namespace

TEST_CASE("dynamic lanes cut the same batches as the plain rule, under random traffic with hot keys") {
  // 20,000 random steps over 4 lanes: add a record (half of them on two hot keys, the rest over
  // 50 keys, sizes 1–300 bytes), or let a lane take a batch (limits 1–8 records, 600 bytes), or
  // finish a lane's batch. After every step each lane's preview must match the plain rule's,
  // and every batch taken must be the same records.
  Fixture f;
  Rng rng(7, 0, "dynamic-lanes");
  auto lanes = make_lane_assignment(LaneAssignmentType::dynamic, 4, f.keys);
  PlainDynamic plain;
  std::vector<std::vector<Record>> held(4), held_plain(4);
  for (int step = 0; step < 20000; ++step) {
    const double u = rng.uniform01();
    const std::size_t lane = rng.below(4);
    const BatchLimits limits{1 + rng.below(8), 600, {}};
    if (u < 0.5) {
      const std::string key = rng.uniform01() < 0.5 ? "hot-" + std::to_string(rng.below(2)) : "k" + std::to_string(rng.below(50));
      Record r = f.record(key);
      r.bytes = static_cast<std::uint32_t>(1 + rng.below(300));
      lanes->add(r);
      plain.buffer.push_back(r);
    } else if (u < 0.8 && held[lane].empty()) {
      lanes->take(lane, limits, held[lane]);
      plain.take(lane, limits, held_plain[lane]);
      REQUIRE(sequences(held[lane]) == sequences(held_plain[lane]));
    } else if (!held[lane].empty()) {
      lanes->release(lane, held[lane]);
      plain.release(held_plain[lane]);
      held[lane].clear();
      held_plain[lane].clear();
    }
    for (std::size_t l = 0; l < 4; ++l) {
      const BatchPreview a = lanes->preview(l, limits), b = plain.preview(l, limits);
      REQUIRE(a.records == b.records);
      REQUIRE(a.full == b.full);
    }
    REQUIRE(lanes->buffered() == plain.buffer.size());
    if (plain.buffer.empty()) REQUIRE(lanes->lowest_buffered() == nullptr);
    else REQUIRE(lanes->lowest_buffered()->sequence == plain.buffer.front().sequence);
  }
}

TEST_CASE("hash lanes cut each lane's queue by BatchSize and bytes, across the queue's blocks") {
  // 20,000 random steps over 3 lanes: add a record (40 keys, 1-3,000 bytes) or take a lane's
  // batch with BatchSize 1-300 and a byte limit of 2,000-200,000. The plain rule: a lane's
  // queue in shard order, cut at the first record that would pass either limit. Queues grow to
  // hundreds of records, several of a queue's blocks (51 records each), so batches and byte cuts
  // fall inside and across blocks.
  Fixture f;
  Rng rng(11, 0, "hash-lanes");
  auto lanes = make_lane_assignment(LaneAssignmentType::hash, 3, f.keys);
  std::vector<std::vector<Record>> plain(3);
  std::vector<Record> batch;
  for (int step = 0; step < 20000; ++step) {
    const std::size_t lane = rng.below(3);
    const BatchLimits limits{1 + rng.below(300), 2000 + rng.below(198001), {}};
    if (rng.uniform01() < 0.7) {
      Record r = f.record("k" + std::to_string(rng.below(40)));
      r.bytes = static_cast<std::uint32_t>(1 + rng.below(3000));
      lanes->add(r);
      plain[hash_lane(f.keys.hash_key(r.key), 3)].push_back(r);
      continue;
    }
    std::size_t n = 0;
    std::uint64_t bytes = 0;
    auto& q = plain[lane];
    while (n < q.size() && n < limits.max_records && bytes + q[n].bytes <= limits.max_bytes) bytes += q[n++].bytes;
    const bool full = n == limits.max_records || n < q.size();
    const BatchPreview p = lanes->preview(lane, limits);
    REQUIRE(p.records == n);
    REQUIRE(p.full == full);
    REQUIRE(p.bytes == bytes);
    lanes->take(lane, limits, batch);
    REQUIRE(sequences(batch) == sequences(std::vector<Record>(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(n))));
    q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(n));
  }
}

TEST_CASE("with a tumbling window, a batch ends at the first record of a later window") {
  // Arrivals 9.5, 9.9, 10.0 and 10.5 s with a 10 s window: windows 0, 0, 1, 1. Either assignment
  // on one lane cuts [9.5, 9.9] (full: the next record is of window 1), then [10.0, 10.5].
  for (const auto type : {LaneAssignmentType::hash, LaneAssignmentType::dynamic}) {
    Fixture f;
    auto lanes = make_lane_assignment(type, 1, f.keys);
    for (const double arrival : {9.5, 9.9, 10.0, 10.5}) {
      Record r = f.record(arrival < 10 ? "a" : "b");
      r.arrival_s = arrival;
      lanes->add(r);
    }
    const BatchLimits limits{100, 1 << 20, {10, 120}};
    const BatchPreview p = lanes->preview(0, limits);
    CHECK(p.records == 2);
    CHECK(p.full);
    std::vector<Record> batch;
    lanes->take(0, limits, batch);
    CHECK(sequences(batch) == std::vector<std::uint64_t>{1, 2});
    lanes->release(0, batch);
    lanes->take(0, limits, batch);
    CHECK(sequences(batch) == std::vector<std::uint64_t>{3, 4});
  }
}
