// The frontier on disk (engine/frontier_store.h): the block files round-trip,
// runs merge in fingerprint order, and a run with the frontier on disk finds
// exactly the states, transitions, depth, verdicts and trace lengths of the
// in-RAM run, with spills, many blocks, table growth and limits in play.
#include "engine/frontier_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>

#include "engine/explorer.h"
#include "engine/trace.h"
#include "same_run.h"
#include "test_worlds.h"

namespace entmc::engine {
namespace {

using test::fresh_dir;
using test::small_model;

// Small runs and blocks, so that even the small model spills many runs per
// level and its frontier has many blocks.
FrontierDiskOptions tiny(const std::string& dir, int zstd = 1) {
  FrontierDiskOptions d;
  d.work_dir = dir;
  d.zstd_level = zstd;
  d.run_bytes = 4096;
  d.block_bytes = 1024;
  return d;
}

TEST(FrontierStore, RunsMergeIntoOneFrontierInFingerprintOrder) {
  for (int zstd : {0, 1}) {
    const std::string dir = fresh_dir("merge");
    std::string store_dir;
    {
      FrontierStore store(tiny(dir, zstd), 3);
      store_dir = store.dir();
      EXPECT_TRUE(std::filesystem::is_directory(store_dir));
      std::mt19937_64 rng(7);
      std::map<uint64_t, std::vector<uint8_t>> want;
      for (int i = 0; i < 2000; ++i) {
        const uint64_t fp = rng();
        std::vector<uint8_t> bytes(1 + rng() % 300, uint8_t(i));  // compressible and not
        bytes[0] = uint8_t(rng());
        want[fp] = bytes;
        store.add(unsigned(i % 3), fp, bytes);
      }
      store.advance();
      ASSERT_EQ(store.size(), want.size());
      EXPECT_GT(store.disk_bytes(), 0u);
      // Two cursors take the blocks between them; every position once, in order within a block.
      FrontierStore::Cursor a, b;
      std::map<uint32_t, std::pair<uint64_t, std::vector<uint8_t>>> got;
      uint32_t pos = 0;
      uint64_t fp = 0;
      std::span<const uint8_t> packed;
      for (bool more = true; more;) {
        more = false;
        for (auto* c : {&a, &b})
          if (store.next(*c, pos, fp, packed)) {
            more = true;
            EXPECT_TRUE(got.emplace(pos, std::make_pair(fp, std::vector<uint8_t>(packed.begin(), packed.end()))).second);
          }
      }
      ASSERT_EQ(got.size(), want.size());
      auto it = want.begin();
      for (const auto& [p, rec] : got) {
        EXPECT_EQ(rec.first, it->first) << "position " << p;
        EXPECT_EQ(rec.second, it->second);
        ++it;
      }
      EXPECT_EQ(store.taken(), store.size());
      if (zstd) {
        EXPECT_LT(store.bytes_written(), store.raw_bytes_written());
      }
      store.advance();  // an empty level
      EXPECT_EQ(store.size(), 0u);
    }
    EXPECT_FALSE(std::filesystem::exists(store_dir));  // removed with its files
    std::filesystem::remove_all(dir);
  }
}

ExploreOptions options(unsigned threads, bool disk, const std::string& dir) {
  ExploreOptions o;
  o.threads = threads;
  o.frontier_on_disk = disk;
  o.frontier_disk = tiny(dir);
  return o;
}

// The same run with the frontier on disk as in RAM (test/same_run.h).
void expect_same_run(const ExploreResult& ram, const ExploreResult& disk) {
  test::expect_same_run(ram, disk);
  EXPECT_TRUE(disk.frontier_on_disk);
  EXPECT_FALSE(ram.frontier_on_disk);
}

// A trace is a real run: each step's call, applied to the state before it,
// gives the state after it.
void expect_replays(const Trace& t, const Rules& rules) {
  World w = t.start;
  for (const auto& step : t.steps) {
    apply(w, step.call, nullptr, rules);
    EXPECT_EQ(w, step.after);
  }
}

void compare_on_small_model(unsigned threads) {
  const std::string dir = fresh_dir("small");
  for (bool symmetry : {true, false}) {
    auto m = small_model();
    auto o = options(threads, false, dir);
    o.symmetry = symmetry;
    o.table_log2 = 10;  // the table grows while the frontier is on disk
    o.properties = {&test::kOneActive, &test::kSomeWorkload, &test::kExpired};
    const auto ram = explore(m.world, m.names, m.bounds, Rules::standard(), o);
    o.frontier_on_disk = true;
    const auto disk = explore(m.world, m.names, m.bounds, Rules::standard(), o);
    expect_same_run(ram, disk);
    EXPECT_EQ(disk.stop, ExploreResult::Stop::Exhausted);
    EXPECT_GT(disk.peak_disk_bytes, 0u);
    for (const auto& s : disk.sometimes)
      if (s.reached) expect_replays(s.trace, Rules::standard());
  }
  // A planted bug: the same verdict, a shortest trace of the same length that replays.
  auto m = small_model();
  const Rules buggy = test::rules_with(Op::AcceptAndActivateGrant, test::accept_activate_unchecked);
  m.bounds.operations = {Op::Subscribe, Op::CreateGrant, Op::AcceptAndActivateGrant, Op::LeaveOrganization};
  m.bounds.max_licenses = 2;
  m.bounds.max_grants = 2;
  m.bounds.max_grant_version = 3;  // the wrong Accept & Activate leaves version 3: the second one is expanded
  for (bool keep_going : {false, true}) {
    auto o = options(threads, false, dir);
    o.keep_going = keep_going;
    o.properties = {&test::kOneActive, &test::kFailedNothing};
    const auto ram = explore(m.world, m.names, m.bounds, buggy, o);
    o.frontier_on_disk = true;
    const auto disk = explore(m.world, m.names, m.bounds, buggy, o);
    expect_same_run(ram, disk);
    ASSERT_EQ(disk.stop, ExploreResult::Stop::Violation);
    EXPECT_EQ(disk.violations[0].trace.steps.size(), 5u);  // a subscription, two grants, two Accept & Activate
    expect_replays(disk.violations[0].trace, buggy);
    EXPECT_TRUE(test::one_active(disk.violations[0].trace.last(), m.names).has_value());
  }
  // Every store was removed at the end of its run.
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::filesystem::remove_all(dir);
}

// State numbers: each frontier's states numbered after the previous ones'
// in frontier order; the numbers file gives each number's fingerprint, and a
// checkpoint's copy (the numbers below the current frontier) restored in a
// fresh store followed by the adopted frontier numbers them the same.
TEST(FrontierStore, StateNumbersFollowTheFrontiers) {
  const std::string dir = fresh_dir("numbers");
  FrontierStore store(tiny(dir, 1), 2);
  std::vector<uint64_t> all;
  std::mt19937_64 rng(5);
  for (int level = 0; level < 3; ++level) {
    std::vector<uint64_t> fps;
    for (int i = 0; i < 300 * (level + 1); ++i) fps.push_back(rng());
    for (size_t i = 0; i < fps.size(); ++i) store.add(unsigned(i % 2), fps[i], std::vector<uint8_t>(3, uint8_t(i)));
    store.advance();
    std::sort(fps.begin(), fps.end());
    EXPECT_EQ(store.base(), all.size());
    all.insert(all.end(), fps.begin(), fps.end());
    EXPECT_EQ(store.numbered(), all.size());
  }
  for (uint64_t n = 0; n < all.size(); ++n) ASSERT_EQ(store.fingerprint_of(n), all[n]) << n;
  const std::string saved = dir + "/saved-numbers";
  store.save_numbers(saved);
  EXPECT_EQ(std::filesystem::file_size(saved), store.base() * 8);
  FrontierStore again(tiny(dir, 1), 1);
  again.load_numbers(saved);
  again.adopt([&](const std::function<void(uint64_t, std::span<const uint8_t>)>& add) {
    store.for_each_frontier(add);
  });
  EXPECT_EQ(again.base(), store.base());
  EXPECT_EQ(again.size(), store.size());
  for (uint64_t n = 0; n < all.size(); ++n) ASSERT_EQ(again.fingerprint_of(n), all[n]) << n;
}

TEST(FrontierOnDisk, SameStatesVerdictsAndTraceLengthsAsInRam) { compare_on_small_model(1); }

TEST(FrontierOnDiskThreaded, TwoThreadsAgreeWithRamAndWithEachOther) {
  compare_on_small_model(2);
  // The disk order does not depend on the thread count: the same trace, call by call.
  const std::string dir = fresh_dir("threads");
  auto m = small_model();
  const Rules buggy = test::rules_with(Op::AcceptAndActivateGrant, test::accept_activate_unchecked);
  m.bounds.operations = {Op::Subscribe, Op::CreateGrant, Op::AcceptAndActivateGrant, Op::LeaveOrganization};
  m.bounds.max_licenses = 2;
  m.bounds.max_grants = 2;
  m.bounds.max_grant_version = 3;  // the wrong Accept & Activate leaves version 3: the second one is expanded
  auto o1 = options(1, true, dir), o2 = options(2, true, dir);
  o1.properties = o2.properties = {&test::kOneActive};
  o2.table_log2 = 10;
  const auto a = explore(m.world, m.names, m.bounds, buggy, o1);
  for (int i = 0; i < 2; ++i) {
    const auto b = explore(m.world, m.names, m.bounds, buggy, o2);
    ASSERT_EQ(a.violations.size(), 1u);
    ASSERT_EQ(b.violations.size(), 1u);
    ASSERT_EQ(a.violations[0].trace.steps.size(), b.violations[0].trace.steps.size());
    for (size_t s = 0; s < a.violations[0].trace.steps.size(); ++s)
      EXPECT_EQ(a.violations[0].trace.steps[s].call, b.violations[0].trace.steps[s].call);
  }
  std::filesystem::remove_all(dir);
}

TEST(FrontierOnDisk, ExactModeDepthBoundAndLimits) {
  const std::string dir = fresh_dir("limits");
  auto m = small_model();
  auto o = options(1, false, dir);
  o.exact = true;
  const auto ram_exact = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  o.frontier_on_disk = true;
  expect_same_run(ram_exact, explore(m.world, m.names, m.bounds, Rules::standard(), o));
  o.exact = false;
  // A depth bound in the model (exhaustive) and --max-depth (a limit).
  m.bounds.max_depth = 3;
  o.frontier_on_disk = false;
  const auto ram_bounded = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  o.frontier_on_disk = true;
  expect_same_run(ram_bounded, explore(m.world, m.names, m.bounds, Rules::standard(), o));
  m.bounds.max_depth = 0;
  o.max_depth = 2;
  o.frontier_on_disk = false;
  const auto ram_limited = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  o.frontier_on_disk = true;
  const auto disk_limited = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  expect_same_run(ram_limited, disk_limited);
  EXPECT_EQ(disk_limited.limit, "max-depth");
  // The disk limit: the frontier's files outgrow 2 KiB at the first levels.
  o.max_depth = 0;
  o.frontier_disk.disk_limit = 2048;
  const auto full = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  EXPECT_EQ(full.stop, ExploreResult::Stop::Limit);
  EXPECT_EQ(full.limit, "disk");
  EXPECT_LT(full.states, ram_exact.states);
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace entmc::engine
