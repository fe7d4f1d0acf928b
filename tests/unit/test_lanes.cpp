#include <catch2/catch.hpp>

#include <map>

#include "models/lanes.hpp"
#include "models/base/rng.hpp"

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
  lanes->take(0, {10, 1 << 20}, batch);
  CHECK(sequences(batch) == std::vector<std::uint64_t>{2, 5});
  lanes->take(1, {2, 1 << 20}, batch);
  CHECK(sequences(batch) == std::vector<std::uint64_t>{1, 3});
  CHECK(lanes->buffered() == 1);
  CHECK(lanes->lowest_buffered_position() == 3);  // sequence 4 is log position 3
}

TEST_CASE("dynamic lanes skip keys in flight elsewhere and free them on release") {
  Fixture f;
  auto lanes = make_lane_assignment(LaneAssignmentType::dynamic, 3, f.keys);
  for (const char* k : {"a", "b", "a", "c"}) lanes->add(f.record(k));
  std::vector<Record> first, second, third;
  lanes->take(0, {2, 1 << 20}, first);   // a, b
  CHECK(sequences(first) == std::vector<std::uint64_t>{1, 2});
  lanes->take(1, {2, 1 << 20}, second);  // the second a waits for lane 0; c is free
  CHECK(sequences(second) == std::vector<std::uint64_t>{4});
  CHECK(lanes->preview(2, {2, 1 << 20}).records == 0);
  lanes->release(0, first);
  lanes->take(2, {2, 1 << 20}, third);
  CHECK(sequences(third) == std::vector<std::uint64_t>{3});
  CHECK(lanes->buffered() == 0);
}

TEST_CASE("batches stop at the byte limit") {
  Fixture f;
  for (auto type : {LaneAssignmentType::hash, LaneAssignmentType::dynamic}) {
    auto lanes = make_lane_assignment(type, 1, f.keys);
    for (int i = 0; i < 5; ++i) lanes->add(f.record("k"));
    const BatchPreview p = lanes->preview(0, {10, 250});  // 100 bytes each: two fit
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
      lanes->take(lane, {1 + rng.below(5), 1 << 20}, in_flight[lane]);
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
