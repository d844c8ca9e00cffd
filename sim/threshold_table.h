// How many of a sorted list of thresholds are at or below a 53-bit draw: the
// generator's choice of an event's kind by weight (thresholds = cumulative
// weights over 2^53). Asked four times per event (the event and its three
// peeks); counting all 24 thresholds was about 6% of the instructions of an
// event (159 of some 2,800). A table over the top 12 bits of the draw gives the count at the
// start of the draw's bucket; only in a bucket that a threshold cuts (at most
// one per threshold, of 4096) does the count go on past it. Same answer as
// counting, for every draw (tests/sim/sim_rng_test.cpp).
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>

namespace entmc::sim {

template <size_t N>
class ThresholdTable {
 public:
  static constexpr int kDrawBits = 53;
  static constexpr int kBucketBits = 12;
  static_assert(N < 256, "counts are stored in a byte");

  ThresholdTable() = default;
  // `thresholds` nondecreasing.
  explicit ThresholdTable(const std::array<uint64_t, N>& thresholds) : thresholds_(thresholds) {
    for (size_t i = 1; i < N; ++i) assert(thresholds_[i - 1] <= thresholds_[i]);
    for (size_t b = 0; b < first_.size(); ++b) first_[b] = uint8_t(count_by_scan(uint64_t(b) << kShift));
  }

  // The number of thresholds <= draw, draw < 2^53.
  size_t count(uint64_t draw) const {
    size_t k = first_[draw >> kShift];
    while (k < N && thresholds_[k] <= draw) ++k;
    return k;
  }

  // The same by looking at every threshold.
  size_t count_by_scan(uint64_t draw) const {
    size_t k = 0;
    for (size_t i = 0; i < N; ++i) k += thresholds_[i] <= draw;
    return k;
  }

 private:
  static constexpr int kShift = kDrawBits - kBucketBits;
  std::array<uint64_t, N> thresholds_{};
  std::array<uint8_t, size_t(1) << kBucketBits> first_{};
};

}  // namespace entmc::sim
