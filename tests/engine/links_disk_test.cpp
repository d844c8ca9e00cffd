// --links disk (ExploreOptions::links_on_disk): the parent links in a trace
// file (engine/trace_file.h), the closed levels' fingerprints in a key-only
// table (engine/key_set.h). The two parts on their own, then whole runs
// against the in-RAM links: the same states, transitions, coverage,
// verdicts, and traces call by call (the same parent rule, so the same
// counterexample), with level-table growth, limits, planted bugs and threads.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <set>

#include "engine/explorer.h"
#include "engine/key_set.h"
#include "engine/trace_file.h"
#include "planted_rules.h"
#include "same_run.h"
#include "test_worlds.h"

namespace entmc::engine {
namespace {

using test::fresh_dir;
using test::small_model;

TEST(KeySet, HoldsWhatWasAddedAcrossGrowths) {
  KeySet set(4);  // 16 home slots: many growths
  std::mt19937_64 rng(11);
  std::set<uint64_t> in;
  for (int level = 0; level < 12; ++level) {
    std::vector<uint64_t> add;
    for (int i = 0; i < 100 << (level % 6); ++i) {
      uint64_t fp = rng();
      if (i == 0 && level == 3) fp = 0;  // stored as 1, as FingerprintSet does
      if (in.insert(fp == 0 ? 1 : fp).second) add.push_back(fp);
    }
    set.grow(set.capacity_for(add.size()));
    for (uint64_t fp : add) set.add(fp);
    ASSERT_EQ(set.size(), in.size());
    EXPECT_LE(double(set.size()), KeySet::kMaxLoad * double(set.capacity()) + 1);
  }
  for (uint64_t fp : in) ASSERT_TRUE(set.contains(fp)) << fp;
  EXPECT_TRUE(set.contains(0));  // 0 is stored as 1, and 1 was added
  int absent = 0;
  for (int i = 0; i < 10000; ++i) {
    const uint64_t fp = rng();
    if (!in.count(fp)) absent += !set.contains(fp);
  }
  EXPECT_EQ(absent, 10000);
  // A key added twice is stored once.
  const size_t n = set.size();
  set.add(*in.begin());
  EXPECT_EQ(set.size(), n);
  // Between growths the set is 85-92% full, and a growth is at least 1/8.
  EXPECT_GE(double(set.size()), 0.5 * double(set.capacity()));
  const size_t cap = set.capacity();
  EXPECT_EQ(set.capacity_for(0), cap);
  EXPECT_GE(set.capacity_for(cap), cap + cap / 8);
  KeySet full(4);
  for (uint64_t i = 0; i < 15; ++i) full.add(i * 0x1111111111111111ull + 5);
  EXPECT_THROW(full.add(99), std::logic_error);
}

// Keys whose homes are all the last home slot: their run goes on into the
// spare slots past it, which double when it would fill them (no wrap-around
// to the table's start), through a growth too; and runs of equal homes
// elsewhere stay in key order, so a miss stops early and a hit is found.
TEST(KeySet, RunsPastTheLastHomeSlotAndEqualHomes) {
  KeySet set(12);  // 4096 home slots, 1028 spare ones
  std::vector<uint64_t> keys;
  for (uint64_t i = 0; i < 3000; ++i) keys.push_back(~uint64_t(0) - 2 * i);  // home 4095, every other key
  for (uint64_t i = 0; i < 500; ++i) keys.push_back((uint64_t(7) << 52) + 1000 - 2 * i);  // home 7, reversed order
  for (uint64_t k : keys) set.add(k);
  EXPECT_GT(set.bytes(), (4096 + 1028 + 1) * sizeof(uint64_t) - 8);  // the spare grew
  for (uint64_t k : keys) ASSERT_TRUE(set.contains(k)) << k;
  for (uint64_t k : keys) EXPECT_FALSE(set.contains(k - 1)) << k;  // the odd neighbours are absent
  set.grow(set.capacity_for(1000));
  for (uint64_t k : keys) ASSERT_TRUE(set.contains(k)) << k;
  EXPECT_FALSE(set.contains(~uint64_t(0) - 1));
  EXPECT_EQ(set.size(), keys.size());
}

// add_all on two threads (each its share of the slots, the runs at a share's
// end added after): the same set as one key at a time; keys already in are
// skipped.
void add_all_as_one_by_one(unsigned threads) {
  std::mt19937_64 rng(29);
  std::vector<uint64_t> keys(200000);
  for (auto& k : keys) k = rng();
  for (size_t i = 0; i < 3000; ++i) keys[i] = (uint64_t(1) << 63) - 1 - i;  // one run across the shares' border
  KeySet one(10), all(10);
  one.grow(one.capacity_for(keys.size()));
  all.grow(all.capacity_for(keys.size()));
  for (uint64_t k : keys) one.add(k);
  all.add_all(keys, threads);
  EXPECT_EQ(all.size(), keys.size());
  all.add_all(std::span<const uint64_t>(keys).first(1000), threads);  // already in: skipped
  EXPECT_EQ(all.size(), keys.size());
  for (uint64_t k : keys) ASSERT_TRUE(all.contains(k)) << k;
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(all.contains(rng()), false);
  EXPECT_EQ(all.bytes(), one.bytes());
}
TEST(KeySet, AddAllOnOneThread) { add_all_as_one_by_one(1); }
TEST(KeySetThreaded, AddAllOnTwoThreadsAsOneByOne) { add_all_as_one_by_one(2); }

TEST(TraceFile, RecordsReadBackAcrossTheBufferAndLeaveNoFile) {
  const std::string dir = fresh_dir("trace-file");
  {
    TraceFile f(dir);
    EXPECT_TRUE(std::filesystem::is_empty(dir));  // unlinked at once
    std::mt19937_64 rng(3);
    std::vector<TraceFile::Record> want;
    for (uint32_t i = 0; i < 200000; ++i) {  // 2.4 MB: flushed twice, the rest in the buffer
      const TraceFile::Record r{i == 0 ? TraceFile::kRoot : uint32_t(rng() % i), rng()};
      ASSERT_EQ(f.append(r.parent, r.fp), i);
      want.push_back(r);
    }
    EXPECT_EQ(f.size(), want.size());
    EXPECT_EQ(f.bytes(), want.size() * 12);
    for (uint32_t i : {0u, 1u, 87380u, 87381u, 150000u, 199999u}) {
      const auto r = f.read(i);
      EXPECT_EQ(r.parent, want[i].parent) << i;
      EXPECT_EQ(r.fp, want[i].fp) << i;
    }
    EXPECT_THROW(f.read(200000), std::out_of_range);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  EXPECT_THROW(TraceFile("/proc/entmc-no-such-dir"), std::runtime_error);
  std::filesystem::remove_all(dir);
}

ExploreOptions options(unsigned threads, const std::string& dir) {
  ExploreOptions o;
  o.threads = threads;
  o.keep_going = true;
  o.frontier_disk.work_dir = dir;
  for (const Property& p : all_properties()) o.properties.push_back(&p);
  return o;
}

void expect_same_run(const ExploreResult& ram, const ExploreResult& disk) {
  test::expect_same_run(ram, disk, {.limit = true, .calls = true});
  for (size_t i = 0; i < ram.sometimes.size() && i < disk.sometimes.size(); ++i) {
    ASSERT_EQ(ram.sometimes[i].trace.steps.size(), disk.sometimes[i].trace.steps.size());
    for (size_t s = 0; s < ram.sometimes[i].trace.steps.size(); ++s)
      EXPECT_EQ(ram.sometimes[i].trace.steps[s].call, disk.sometimes[i].trace.steps[s].call);
  }
  EXPECT_TRUE(disk.links_on_disk);
  EXPECT_FALSE(ram.links_on_disk);
  EXPECT_EQ(disk.trace_file_bytes % 12, 0u);
  EXPECT_GE(disk.trace_file_bytes, 12u);
}

void compare_with_ram(unsigned threads) {
  const std::string dir = fresh_dir("links-" + std::to_string(threads));
  const auto m = small_model(1, 1);
  for (bool symmetry : {true, false}) {
    SCOPED_TRACE(symmetry);
    auto o = options(threads, dir);
    o.symmetry = symmetry;
    o.table_log2 = 10;  // the level table grows within levels
    const auto ram = explore(m.world, m.names, m.bounds, Rules::standard(), o);
    o.links_on_disk = true;
    const auto disk = explore(m.world, m.names, m.bounds, Rules::standard(), o);
    expect_same_run(ram, disk);
    EXPECT_EQ(disk.stop, ExploreResult::Stop::Exhausted);
    EXPECT_GT(disk.states, 1000u);
    EXPECT_GT(disk.growths, 0u);
    // Every state but those of the last level has its record; the table of
    // closed levels holds the states at 8 bytes a slot.
    EXPECT_LE(disk.trace_file_bytes, 12 * disk.states + 12 * 64);
    EXPECT_GE(disk.table_load, 0.79);
    EXPECT_LE(disk.table_load, KeySet::kMaxLoad);
  }
  // Every planted bug: the same violations, details and traces, call by call.
  for (const planted::PlantedBug& bug : planted::planted_bugs()) {
    SCOPED_TRACE(bug.name);
    auto o = options(threads, dir);
    o.symmetry = false;
    const auto ram = explore(m.world, m.names, m.bounds, bug.rules, o);
    o.links_on_disk = true;
    const auto disk = explore(m.world, m.names, m.bounds, bug.rules, o);
    expect_same_run(ram, disk);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));  // the trace files went with their runs
  std::filesystem::remove_all(dir);
}

TEST(LinksOnDisk, SameRunAsLinksInRam) { compare_with_ram(1); }
TEST(LinksOnDiskThreaded, SameRunAsLinksInRamOnTwoThreads) { compare_with_ram(2); }

TEST(LinksOnDisk, LimitsDepthBoundAndRefusedCombinations) {
  const std::string dir = fresh_dir("links-limits");
  auto m = small_model(1, 1);
  auto o = options(1, dir);
  o.keep_going = false;
  // --max-states, --max-depth and a depth bound in the model: the same run.
  for (int which = 0; which < 3; ++which) {
    SCOPED_TRACE(which);
    auto mm = m;
    auto oo = o;
    if (which == 0) oo.max_states = 2000;
    if (which == 1) oo.max_depth = 3;
    if (which == 2) mm.bounds.max_depth = 4;
    const auto ram = explore(mm.world, mm.names, mm.bounds, Rules::standard(), oo);
    oo.links_on_disk = true;
    const auto disk = explore(mm.world, mm.names, mm.bounds, Rules::standard(), oo);
    expect_same_run(ram, disk);
    EXPECT_EQ(disk.stop, which == 2 ? ExploreResult::Stop::Exhausted : ExploreResult::Stop::Limit);
  }
  o.links_on_disk = true;
  for (int which = 0; which < 2; ++which) {
    auto oo = o;
    if (which == 0) oo.exact = true;
    if (which == 1) oo.frontier_on_disk = true;
    EXPECT_THROW(explore(m.world, m.names, m.bounds, Rules::standard(), oo), std::invalid_argument) << which;
  }
  o.frontier_disk.work_dir = "/proc/entmc-no-such-dir";
  EXPECT_THROW(explore(m.world, m.names, m.bounds, Rules::standard(), o), std::runtime_error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace entmc::engine
