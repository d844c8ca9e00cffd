#include "engine/fingerprint_set.h"

#include <gtest/gtest.h>

#include <random>
#include <thread>

namespace entmc::engine {
namespace {

TEST(FingerprintSet, InsertFindAndGrowKeepParents) {
  FingerprintSet set(4);
  std::mt19937_64 rng(7);
  std::vector<uint64_t> fps;
  std::vector<uint32_t> slots;
  auto first = set.insert(rng(), FingerprintSet::kRoot);
  fps.push_back(set.fingerprint(first.slot));
  slots.push_back(first.slot);
  for (int i = 1; i < 1000; ++i) {
    if (set.wants_grow()) {
      std::vector<uint32_t> remap;
      set.grow(remap);
      for (auto& s : slots) s = remap[s];
    }
    const uint64_t fp = rng();
    auto r = set.insert(fp, slots[size_t(i) / 2]);  // parent: an earlier state's slot
    ASSERT_TRUE(r.inserted);
    fps.push_back(fp);
    slots.push_back(r.slot);
    EXPECT_FALSE(set.insert(fp, FingerprintSet::kLevelTag).inserted);  // a later level: keeps the parent
  }
  EXPECT_EQ(set.size(), 1000u);
  EXPECT_GE(set.capacity() * 9, set.size() * 10 - 10);  // grown at 9/10 load
  for (size_t i = 0; i < fps.size(); ++i) {
    ASSERT_EQ(set.find(fps[i]), slots[i]);
    if (i > 0) {
      EXPECT_EQ(set.parent(slots[i]), slots[i / 2]);
    }
  }
  EXPECT_EQ(set.parent(slots[0]), FingerprintSet::kRoot);
  EXPECT_EQ(set.find(12345), FingerprintSet::kNotFound);
}

// Grown at 9/10 load by 1/6 (the step of tables past kDoublingBytes, here
// asked for by name): right after a growth the table is still 77% full, so a
// table grown so never costs more than 16 bytes per stored state.
TEST(FingerprintSet, TableGrownByTheLeastStepCostsAtMost16BytesPerState) {
  FingerprintSet set(10);
  std::mt19937_64 rng(11);
  int grows = 0;
  for (int i = 0; i < 300000; ++i) {
    if (set.wants_grow()) {
      std::vector<uint32_t> remap;
      set.grow(remap, 1, set.least_grown_capacity());
      ++grows;
      EXPECT_LE(set.table_bytes(), 16 * set.size()) << "after growth " << grows;
    }
    ASSERT_TRUE(set.insert(rng(), FingerprintSet::kRoot).inserted);
    if (grows > 0) {
      ASSERT_LE(set.table_bytes(), 16 * set.size());
    }
  }
  EXPECT_GT(grows, 10);
  EXPECT_NE(set.capacity() & (set.capacity() - 1), 0u);  // not a power of two: grown by 1/6
}

// A small table doubles (its growths, not its memory, are the cost); one
// whose doubling would pass kDoublingBytes grows by 1/6. Untouched slots
// cost no memory, so the large tables here are cheap.
TEST(FingerprintSet, GrowthDoublesWhileTheTableIsSmall) {
  FingerprintSet small(10);
  EXPECT_EQ(small.grown_capacity(), size_t(2) << 10);
  std::mt19937_64 rng(5);
  std::vector<uint64_t> fps;
  while (!small.wants_grow()) {
    fps.push_back(rng());
    ASSERT_TRUE(small.insert(fps.back(), FingerprintSet::kRoot).inserted);
  }
  std::vector<uint32_t> remap;
  small.grow(remap);
  EXPECT_EQ(small.capacity(), size_t(2) << 10);
  for (uint64_t fp : fps) EXPECT_NE(small.find(fp), FingerprintSet::kNotFound);

  const size_t half = FingerprintSet::kDoublingBytes / 2 / small.bytes_per_slot();
  unsigned log2 = 0;
  while ((size_t(1) << (log2 + 1)) <= half) ++log2;  // the largest table that still doubles
  FingerprintSet last_doubling(log2);
  EXPECT_EQ(last_doubling.grown_capacity(), size_t(2) << log2);
  FingerprintSet large(log2 + 1);  // its double would pass the bound
  EXPECT_EQ(large.grown_capacity(), (size_t(1) << (log2 + 1)) * 7 / 6);
  EXPECT_EQ(large.least_grown_capacity(), (size_t(1) << (log2 + 1)) * 7 / 6);
}

// --expect-states: a table reserved for N states holds them 4/5 full, or as
// full as the table that grew as they came where that is fuller (its 1/6
// steps), does not ask to grow before it holds them, and finds them all.
TEST(FingerprintSet, ReserveHoldsTheStatesFourFifthsFull) {
  for (size_t doubling : {FingerprintSet::kDoublingBytes, size_t(1) << 16}) {
    FingerprintSet grown(10);
    grown.set_doubling_bytes(doubling);
    std::mt19937_64 rng(17);
    std::vector<uint64_t> fps;
    for (size_t n : {1000u, 5000u, 40000u, 150000u}) {
      while (fps.size() < n) {
        if (grown.wants_grow()) {
          std::vector<uint32_t> remap;
          grown.grow(remap);
        }
        fps.push_back(rng());
        ASSERT_TRUE(grown.insert(fps.back(), FingerprintSet::kRoot).inserted);
      }
      FingerprintSet reserved(10);
      reserved.set_doubling_bytes(doubling);
      reserved.reserve(n);
      EXPECT_EQ(reserved.capacity(), std::min(grown.capacity(), n + n / 4 + 1))
          << n << " states, doubling to " << doubling << " bytes";
      EXPECT_EQ(FingerprintSet::capacity_for_states(n, 1024, 12, doubling), reserved.capacity());
      for (uint64_t fp : fps) {
        ASSERT_FALSE(reserved.wants_grow()) << reserved.size() << " of " << n;
        ASSERT_TRUE(reserved.insert(fp, FingerprintSet::kRoot).inserted);
      }
      EXPECT_EQ(reserved.size(), n);
      for (uint64_t fp : fps) ASSERT_NE(reserved.find(fp), FingerprintSet::kNotFound);
      EXPECT_EQ(reserved.find(rng()), FingerprintSet::kNotFound);  // and no more
    }
  }
  FingerprintSet small(12);
  small.reserve(10);  // fits already: unchanged
  EXPECT_EQ(small.capacity(), size_t(1) << 12);
  small.insert(1, FingerprintSet::kRoot);
  EXPECT_THROW(small.reserve(100000), std::logic_error);  // only while empty
  FingerprintSet huge(10);
  EXPECT_THROW(huge.reserve(size_t(1) << 31), std::length_error);  // past 2^31 - 1 slots: allocates nothing
  EXPECT_EQ(huge.capacity(), size_t(1) << 10);
}

TEST(FingerprintSet, HeadroomIsKeptFree) {
  FingerprintSet set(10);
  set.set_headroom(5000);
  EXPECT_TRUE(set.wants_grow());
  std::vector<uint32_t> remap;
  set.grow(remap);
  EXPECT_FALSE(set.wants_grow());
  EXPECT_GE(set.capacity(), 5000u);
}

TEST(FingerprintSet, SameLevelParentIsTheLeastFrontierPosition) {
  FingerprintSet set(8);
  set.insert(42, FingerprintSet::kLevelTag | 9);
  set.insert(42, FingerprintSet::kLevelTag | 3);
  set.insert(42, FingerprintSet::kLevelTag | 5);
  EXPECT_EQ(set.parent(set.find(42)), FingerprintSet::kLevelTag | 3);
}

TEST(FingerprintSet, ExactModeSeparatesEqualFingerprints) {
  FingerprintSet set(8, true);
  StateArena arena;
  const std::vector<uint8_t> a{1, 2, 3}, b{4, 5};
  auto ra = set.insert(99, FingerprintSet::kRoot, a, &arena);
  auto rb = set.insert(99, FingerprintSet::kRoot, b, &arena);  // a collision: same fingerprint, other state
  EXPECT_TRUE(ra.inserted);
  EXPECT_TRUE(rb.inserted);
  EXPECT_NE(ra.slot, rb.slot);
  EXPECT_FALSE(set.insert(99, 0, b, &arena).inserted);
  EXPECT_EQ(set.find(99, b), rb.slot);
  EXPECT_EQ(std::vector<uint8_t>(set.state(ra.slot).begin(), set.state(ra.slot).end()), a);
}

// A table past 2^20 slots: the growth hands the old arrays' read parts back
// to the kernel as it goes (release_pages every 2^20 slots); every key and
// parent link must survive it.
TEST(FingerprintSet, GrowthThatReleasesPagesKeepsKeysAndParents) {
  FingerprintSet set(21);
  std::mt19937_64 rng(11);
  std::vector<uint64_t> fps;
  std::vector<uint32_t> slots;
  while (!set.wants_grow()) {
    const uint64_t fp = rng();
    const uint32_t parent = fps.empty() ? FingerprintSet::kRoot : slots[fps.size() / 2];
    auto r = set.insert(fp, parent);
    ASSERT_TRUE(r.inserted);
    fps.push_back(fp);
    slots.push_back(r.slot);
  }
  ASSERT_GT(set.capacity(), size_t(1) << 20);
  std::vector<uint32_t> remap;
  set.grow(remap);
  for (auto& s : slots) s = remap[s];
  for (size_t i = 0; i < fps.size(); ++i) {
    ASSERT_EQ(set.find(fps[i]), slots[i]);
    ASSERT_EQ(set.parent(slots[i]), i == 0 ? FingerprintSet::kRoot : slots[i / 2]);
  }
}

TEST(FingerprintSetThreaded, GrowOnTwoThreadsKeepsKeysAndParents) {
  FingerprintSet set(10);
  std::mt19937_64 rng(5);
  std::vector<uint64_t> fps;
  std::vector<uint32_t> slots;
  for (int i = 0; i < 50000; ++i) {
    if (set.wants_grow()) {
      std::vector<uint32_t> remap;
      set.grow(remap, 2);
      for (auto& s : slots) s = remap[s];
    }
    const uint64_t fp = rng();
    const uint32_t parent = i == 0 ? FingerprintSet::kRoot : slots[size_t(i) / 2];
    auto r = set.insert(fp, parent);
    ASSERT_TRUE(r.inserted);
    fps.push_back(fp);
    slots.push_back(r.slot);
  }
  for (size_t i = 0; i < fps.size(); ++i) {
    ASSERT_EQ(set.find(fps[i]), slots[i]);
    ASSERT_EQ(set.parent(slots[i]), i == 0 ? FingerprintSet::kRoot : slots[i / 2]);
  }
}

TEST(FingerprintSetThreaded, ConcurrentInsertsCountEachOnce) {
  FingerprintSet set(16);
  constexpr int kPerThread = 20000;
  std::atomic<int> inserted{0};
  auto work = [&](int seed) {
    for (int i = 0; i < kPerThread; ++i) {
      // both threads insert the same keys, in different orders
      const uint64_t fp = 0x9e3779b97f4a7c15ull * uint64_t(seed ? kPerThread - i : i + 1);
      if (set.insert(fp, FingerprintSet::kLevelTag | uint32_t(seed)).inserted) ++inserted;
    }
  };
  std::thread t1(work, 0), t2(work, 1);
  t1.join();
  t2.join();
  EXPECT_EQ(inserted.load(), kPerThread);
  EXPECT_EQ(set.size(), size_t(kPerThread));
  EXPECT_EQ(set.parent(set.find(0x9e3779b97f4a7c15ull)), FingerprintSet::kLevelTag | 0);
}

// The disk frontier's links are state numbers: a growth moves each key with
// its link in one pass, with no remap array, on 1 and 2 threads (and --exact).
TEST(FingerprintSet, LinksThatAreNotSlotsSurviveGrowthUnchanged) {
  for (const bool exact : {false, true})
    for (const unsigned threads : {1u, 2u}) {
      FingerprintSet set(10, exact);
      set.set_links_are_slots(false);
      StateArena arena;
      std::mt19937_64 rng(threads * 31 + (exact ? 1 : 0));
      std::vector<uint64_t> fps;
      int grows = 0;
      for (uint32_t i = 0; i < 50000; ++i) {
        if (set.wants_grow()) {
          std::vector<uint32_t> remap{1, 2, 3};
          set.grow(remap, threads);
          EXPECT_TRUE(remap.empty());
          ++grows;
        }
        const uint64_t fp = rng();
        const uint8_t byte = uint8_t(i);
        ASSERT_TRUE(set.insert(fp, i * 7 + 1, std::span<const uint8_t>(&byte, 1), &arena).inserted);
        fps.push_back(fp);
      }
      EXPECT_GT(grows, 3);
      ASSERT_EQ(set.size(), fps.size());
      for (uint32_t i = 0; i < fps.size(); ++i) {
        const uint32_t slot = set.find(fps[i]);
        ASSERT_NE(slot, FingerprintSet::kNotFound);
        EXPECT_EQ(set.parent(slot), i * 7 + 1);
        if (exact) {
          ASSERT_EQ(set.state(slot).size(), 1u);
          EXPECT_EQ(set.state(slot)[0], uint8_t(i));
        }
      }
    }
}

}  // namespace
}  // namespace entmc::engine
