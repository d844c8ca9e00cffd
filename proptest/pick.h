// Small helpers for writing generators inside rc::gen::exec: every choice is
// one RapidCheck draw, so a run is a function of the rc::Random it is
// generated from.
#pragma once

#include <rapidcheck.h>

#include <utility>
#include <vector>

namespace entmc::proptest::pick {

// Uniform in [lo, hi] (inclusive), whatever RapidCheck's current size: a
// check's early, small sizes would otherwise always pick the first kind of
// call and one-step runs; finding small counterexamples is the shrinker's
// job (shrink.h). Only inside rc::gen::exec.
inline int range(int lo, int hi) {
  return hi <= lo ? lo : *rc::gen::resize(rc::kNominalSize, rc::gen::inRange(lo, hi + 1));
}
inline bool chance(int percent) { return range(0, 99) < percent; }

template <typename T>
const T& one_of(const std::vector<T>& v) {
  return v[size_t(range(0, int(v.size()) - 1))];
}

// Picks an index of `weights` with probability proportional to its weight;
// -1 when every weight is 0.
inline int weighted(const std::vector<int>& weights) {
  int total = 0;
  for (int w : weights) total += w;
  if (total <= 0) return -1;
  int r = range(0, total - 1);
  for (size_t i = 0; i < weights.size(); ++i) {
    if (r < weights[i]) return int(i);
    r -= weights[i];
  }
  return -1;
}

}  // namespace entmc::proptest::pick
