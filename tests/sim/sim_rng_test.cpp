// The simulator's random source (sim/rng.h): per-event streams, and index(),
// whose positions do not move when the size of the index does; the table that
// turns a draw into an event kind (sim/threshold_table.h).
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "sim/rng.h"
#include "sim/threshold_table.h"

namespace entmc::sim {
namespace {

TEST(SimRng, EventStreamsDependOnTheRunSeedAndTheEventAlone) {
  const uint64_t start = stream_start(1);
  EXPECT_EQ(event_seed(start, 7), event_seed(stream_start(1), 7));
  EXPECT_NE(event_seed(start, 7), event_seed(start, 8));
  EXPECT_NE(event_seed(start, 7), event_seed(stream_start(2), 7));
  Rng a(event_seed(start, 3)), b(event_seed(start, 3));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next(), b.next());
  // skip() steps over exactly one value.
  Rng c(event_seed(start, 3)), d(event_seed(start, 3));
  c.skip();
  d.next();
  EXPECT_EQ(c.next(), d.next());
}

TEST(SimRng, IndexIsUniformAndInRange) {
  for (uint32_t n : {1u, 2u, 5u, 8u, 9u, 1000u}) {
    std::array<int, 16> small{};
    Rng r(event_seed(stream_start(42), n));
    const int draws = 64000;
    for (int i = 0; i < draws; ++i) {
      const uint32_t v = r.index(n);
      ASSERT_LT(v, n);
      if (n <= small.size()) ++small[v];
    }
    if (n <= small.size()) {
      for (uint32_t v = 0; v < n; ++v) {
        EXPECT_NEAR(small[v], draws / double(n), draws / double(n) * 0.05) << n;
      }
    }
  }
}

// A position drawn for a size n' is the one drawn for any size n within the
// same power of two that still holds it: a peek made while an index had a few
// entries more or fewer names the entry the event will draw.
TEST(SimRng, IndexPositionsDoNotMoveWithTheSize) {
  int compared = 0;
  for (uint64_t e = 0; e < 2000; ++e) {
    const uint64_t seed = event_seed(stream_start(5), e);
    for (uint32_t n : {600u, 700u, 1000u}) {
      for (uint32_t m : {n + 1, n + 3, n - 2}) {
        Rng a(seed), b(seed);
        const uint32_t at_n = a.index(n), at_m = b.index(m);
        if (at_m < std::min(n, m) && at_n < std::min(n, m)) {
          EXPECT_EQ(at_n, at_m) << e << " " << n << " " << m;
          ++compared;
        }
      }
    }
  }
  EXPECT_GT(compared, 10000);
}

// The table gives the count that looking at every threshold gives: at random
// draws, at each threshold and on either side of it, and at the edges of the
// buckets, for thresholds that repeat (kinds of weight 0), start at 0, crowd
// into one bucket and reach the top of the range.
TEST(SimRng, ThresholdTableCountsLikeAScan) {
  constexpr uint64_t kTop = uint64_t(1) << 53;
  constexpr uint64_t kBucket = kTop >> 12;
  const std::array<uint64_t, 10> thresholds = {0,
                                               0,
                                               5,
                                               kBucket - 1,
                                               kBucket,
                                               kBucket + 1,
                                               7 * kBucket + 12345,
                                               7 * kBucket + 12345,
                                               kTop / 2,
                                               kTop - 1};
  const ThresholdTable<10> table(thresholds);
  std::vector<uint64_t> draws;
  for (uint64_t t : thresholds)
    for (uint64_t d : {t - 1, t, t + 1})
      if (d < kTop) draws.push_back(d);
  for (uint64_t b = 0; b < 4096; ++b)
    for (uint64_t d : {b * kBucket, b * kBucket + kBucket - 1}) draws.push_back(d);
  Rng r(event_seed(stream_start(9), 0));
  for (int i = 0; i < 100000; ++i) draws.push_back(r.next() >> 11);
  size_t differ = 0;
  for (uint64_t d : draws) differ += table.count(d) != table.count_by_scan(d);
  EXPECT_EQ(differ, 0u);
  EXPECT_EQ(table.count(0), 2u);
  EXPECT_EQ(table.count(kBucket), 5u);
  EXPECT_EQ(table.count(kTop - 1), 10u);
}

}  // namespace
}  // namespace entmc::sim
