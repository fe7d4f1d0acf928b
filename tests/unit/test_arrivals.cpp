#include <catch2/catch.hpp>

#include <cmath>

#include "models/producers/arrivals.hpp"

using namespace shardsim;

namespace {
std::vector<double> first(ArrivalProcess& p, Rng& rng, int n) {
  std::vector<double> times;
  for (int i = 0; i < n; ++i) times.push_back(p.next(rng));
  return times;
}
}  // namespace

TEST_CASE("constant on_off arrivals fill each burst and skip the pauses") {
  ArrivalSpec spec;
  spec.type = ArrivalSpec::Type::on_off;
  spec.within = ArrivalSpec::Within::constant;
  spec.on_s = 1;
  spec.off_s = 2;
  ArrivalProcess p(spec, 4, 10);  // 4/s from t = 10: 10, 10.25, 10.5, 10.75, then 13, …
  Rng rng(1);
  const auto t = first(p, rng, 6);
  CHECK(t[0] == Approx(10));
  CHECK(t[3] == Approx(10.75));
  CHECK(t[4] == Approx(13.0));
  CHECK(t[5] == Approx(13.25));
}

TEST_CASE("a step schedule changes the rate and skips silent stretches") {
  ArrivalSpec spec;
  spec.type = ArrivalSpec::Type::schedule;
  spec.within = ArrivalSpec::Within::constant;
  spec.points = {{0, 1}, {1, 0}, {5, 2}};  // 2/s until 1 s, nothing until 5 s, then 4/s
  ArrivalProcess p(spec, 2, 0);
  Rng rng(1);
  const auto t = first(p, rng, 5);
  CHECK(t[0] == Approx(0));
  CHECK(t[1] == Approx(0.5));
  CHECK(t[2] == Approx(5.0));  // the gap from 0.5 would end at 1.0, where the rate is 0
  CHECK(t[3] == Approx(5.25));
  CHECK(t[4] == Approx(5.5));
}

TEST_CASE("linear schedules interpolate the factor") {
  ArrivalSpec spec;
  spec.type = ArrivalSpec::Type::schedule;
  spec.shape = ArrivalSpec::Shape::linear;
  spec.points = {{0, 0}, {10, 2}};
  ArrivalProcess p(spec, 1, 0);
  CHECK(p.factor(5) == Approx(1.0));
  CHECK(p.factor(20) == Approx(2.0));
}

TEST_CASE("constant schedule arrivals: a second at a steady rate holds exactly that many records") {
  // 2,000/s, then 3,000/s from 60 s: the records of [0, 1) are 0, 1/2000, …, 1999/2000 (the
  // 2,000th is at 1 s exactly), and [60, 61) holds 3,000. Adding 1/2,000 s gaps one by one put a
  // 2,001st record inside the first second.
  ArrivalSpec spec;
  spec.type = ArrivalSpec::Type::schedule;
  spec.within = ArrivalSpec::Within::constant;
  spec.points = {{0, 1}, {60, 1.5}};
  ArrivalProcess p(spec, 2000, 0);
  Rng rng(1);
  std::vector<int> per_second(62, 0);
  for (double t = p.next(rng); t < 62; t = p.next(rng)) ++per_second[static_cast<std::size_t>(std::floor(t))];
  CHECK(per_second[0] == 2000);
  CHECK(per_second[59] == 2000);
  CHECK(per_second[60] == 3000);
  CHECK(per_second[61] == 3000);
}

TEST_CASE("constant schedule arrivals on a ramp: the k-th record comes when the rate's integral reaches k") {
  // The factor ramps from 0 to 2 over 10 s at 1/s: the integral is t² / 10, so record k (from
  // k = 1: none accrues at a zero rate) comes at sqrt(10 k): 3.162 s, 4.472 s, …, and the 10th at 10 s.
  ArrivalSpec spec;
  spec.type = ArrivalSpec::Type::schedule;
  spec.within = ArrivalSpec::Within::constant;
  spec.shape = ArrivalSpec::Shape::linear;
  spec.points = {{0, 0}, {10, 2}};
  ArrivalProcess p(spec, 1, 0);
  Rng rng(1);
  const auto t = first(p, rng, 11);
  CHECK(t[0] == Approx(std::sqrt(10.0)));
  CHECK(t[1] == Approx(std::sqrt(20.0)));
  CHECK(t[8] == Approx(std::sqrt(90.0)));
  CHECK(t[9] == Approx(10));     // the next stretch starts at 10 s, at 2/s
  CHECK(t[10] == Approx(10.5));
}

TEST_CASE("Poisson arrivals on a ramp: the count matches the integral of the rate") {
  // Rate ramps from 0 to 200/s over 100 s: expected count ∫ = 10,000, standard deviation 100.
  ArrivalSpec spec;
  spec.type = ArrivalSpec::Type::schedule;
  spec.shape = ArrivalSpec::Shape::linear;
  spec.points = {{0, 0}, {100, 1}};
  ArrivalProcess p(spec, 200, 0);
  Rng rng(9, 0, "ramp");
  int n = 0, first_half = 0;
  for (double t = p.next(rng); t < 100; t = p.next(rng)) {
    ++n;
    first_half += t < 50;
  }
  CHECK(n == Approx(10000).margin(500));       // 5 σ
  CHECK(first_half == Approx(2500).margin(250)); // ∫0..50 = 2,500, σ = 50
}

TEST_CASE("Poisson on_off arrivals average rate × on / (on + off)") {
  ArrivalSpec spec;
  spec.type = ArrivalSpec::Type::on_off;
  spec.on_s = 1;
  spec.off_s = 3;
  ArrivalProcess p(spec, 100, 0);
  Rng rng(4, 0, "bursts");
  int n = 0, in_pause = 0;
  for (double t = p.next(rng); t < 400; t = p.next(rng)) {
    ++n;
    in_pause += std::fmod(t, 4.0) >= 1.0;
  }
  CHECK(n == Approx(10000).margin(500));  // 100 bursts × 100, σ = 100
  CHECK(in_pause == 0);
}

TEST_CASE("trace arrivals are the rows' times, then none") {
  ArrivalSpec spec;
  spec.type = ArrivalSpec::Type::trace;
  spec.rows = {{0.5, "a", 10, ""}, {0.5, "b", 10, ""}, {2, "a", 10, ""}};
  ArrivalProcess p(spec, 1, 0);
  Rng rng(1);
  const auto t = first(p, rng, 4);
  CHECK(t[0] == 0.5);
  CHECK(t[1] == 0.5);
  CHECK(t[2] == 2);
  CHECK(std::isinf(t[3]));
}
