#include "models/producers/arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace shardsim {
namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

ArrivalProcess::ArrivalProcess(const ArrivalSpec& spec, double rate_per_s, double start_s)
    : spec_(spec), rate_(rate_per_s), start_(start_s), last_(start_s) {
  for (const auto& p : spec.points) max_factor_ = std::max(max_factor_, p.factor);
}

double ArrivalProcess::factor(double t) const {
  const auto& pts = spec_.points;
  if (pts.empty()) return 1.0;
  if (t <= pts.front().at_s) return pts.front().factor;
  auto after = std::upper_bound(pts.begin(), pts.end(), t, [](double x, const SchedulePoint& p) { return x < p.at_s; });
  if (after == pts.end()) return pts.back().factor;
  const SchedulePoint& before = *(after - 1);
  if (spec_.shape == ArrivalSpec::Shape::step || after->at_s == before.at_s) return before.factor;
  const double w = (t - before.at_s) / (after->at_s - before.at_s);
  return before.factor + w * (after->factor - before.factor);
}

double ArrivalProcess::next_in_on_time(Rng& rng) {
  const bool poisson = spec_.within == ArrivalSpec::Within::poisson;
  on_time_ = poisson ? on_time_ + rng.exponential(1.0 / rate_) : static_cast<double>(count_) / rate_;
  const double bursts = std::floor(on_time_ / spec_.on_s);
  return start_ + bursts * (spec_.on_s + spec_.off_s) + (on_time_ - bursts * spec_.on_s);
}

double ArrivalProcess::next_scheduled(Rng& rng) {
  if (max_factor_ <= 0) return kInf;
  double t = last_;
  if (spec_.within == ArrivalSpec::Within::poisson) {
    // Thinning: candidates at the peak rate, each kept with probability rate(t) / peak.
    const double peak = rate_ * max_factor_;
    do {
      t += rng.exponential(1.0 / peak);
      if (t > spec_.points.back().at_s && spec_.points.back().factor <= 0) return kInf;
    } while (rng.uniform01() * max_factor_ >= factor(t));
    return t;
  }
  return next_scheduled_constant();
}

void ArrivalProcess::enter_stretch(double a) {
  stretch_a_ = a;
  stretch_b_ = kInf;
  for (const auto& p : spec_.points)
    if (p.at_s > a) {
      stretch_b_ = p.at_s;
      break;
    }
  stretch_j_ = factor(a) > 0 ? 0 : 1;  // from a zero rate, the first record once one has accrued
}

double ArrivalProcess::next_scheduled_constant() {
  if (count_ == 0) enter_stretch(start_);
  for (;;) {
    const double a = stretch_a_, b = stretch_b_;
    const double fa = factor(a);
    const double fb = spec_.shape == ArrivalSpec::Shape::linear && b != kInf ? factor(b) : fa;
    if (fa > 0 || fb > 0) {
      // The integral from a: rate (fa x + (fb − fa) x² / (2 (b − a))) = j, solved for x in the
      // form that stays exact when the rate is steady (A = 0) and stable when it falls (A < 0).
      const double A = fb == fa ? 0 : rate_ * (fb - fa) / (2 * (b - a));
      const double B = rate_ * fa;
      const double j = stretch_j_;
      const double disc = B * B + 4 * A * j;
      if (disc >= 0) {
        const double x = A == 0 ? j / B : 2 * j / (B + std::sqrt(disc));
        if (a + x < b) {
          stretch_j_ += 1;
          return a + x;
        }
      }
    }
    if (b == kInf) return kInf;
    enter_stretch(b);
  }
}

double ArrivalProcess::next_other(Rng& rng) {
  double t = kInf;
  switch (spec_.type) {
    case ArrivalSpec::Type::poisson: t = last_ + rng.exponential(1.0 / rate_); break;
    case ArrivalSpec::Type::constant: t = start_ + static_cast<double>(count_) / rate_; break;
    case ArrivalSpec::Type::on_off: t = next_in_on_time(rng); break;
    case ArrivalSpec::Type::schedule: t = next_scheduled(rng); break;
    case ArrivalSpec::Type::trace: t = count_ < spec_.rows.size() ? spec_.rows[count_].time_s : kInf; break;
  }
  ++count_;
  last_ = t;
  return t;
}

}  // namespace shardsim
