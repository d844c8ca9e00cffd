// Checkpoint and resume (engine/checkpoint.h) in process: a run stopped at a
// level boundary and resumed from its checkpoint ends with exactly the
// figures, verdicts, cover depths and trace lengths of an uninterrupted run,
// with the frontier in RAM and on disk, with the parent links on disk
// (--links disk: the closed levels' table and the trace file restored, the
// reports' traces rebuilt through state numbers), with reports made before the
// checkpoint (--keep-going) and after it; a checkpoint of another identity is
// refused.
#include "engine/checkpoint.h"

#include <gtest/gtest.h>
#include <filesystem>

#include "engine/explorer.h"
#include "same_run.h"
#include "test_worlds.h"

namespace entmc::engine {
namespace {

using test::fresh_dir;
using test::small_model;

// A resumed run against the whole one: the same figures, and each violation
// with the same detail and the same calls.
void expect_same(const ExploreResult& whole, const ExploreResult& resumed) {
  test::expect_same_run(whole, resumed, {.limit = false, .calls = true});
}

// Stops the run by --max-depth after `stop_at` levels, writing a checkpoint
// at every level's end, then resumes it to the end.
ExploreResult stop_and_resume(const test::TestModel& m, const Rules& rules, ExploreOptions o, uint32_t stop_at,
                              const std::string& dir) {
  o.checkpoint_dir = dir;
  o.checkpoint_every_s = 0;
  o.max_depth = stop_at;
  const ExploreResult first = explore(m.world, m.names, m.bounds, rules, o);
  EXPECT_EQ(first.limit, "max-depth");  // (the verdict is Violation when --keep-going found one before)
  EXPECT_EQ(first.checkpoints, stop_at);
  o.max_depth = 0;
  o.resume_dir = dir;
  return explore(m.world, m.names, m.bounds, rules, o);
}

TEST(Checkpoint, ResumedRunEndsAsAnUninterruptedOne) {
  for (int mode : {0, 1, 2}) {  // links and frontier in RAM; the frontier on disk; the links on disk
    SCOPED_TRACE(mode);
    auto m = small_model();
    ExploreOptions o;
    o.frontier_on_disk = mode == 1;
    o.links_on_disk = mode == 2;
    o.frontier_disk.work_dir = fresh_dir("ckpt-work", false);
    o.table_log2 = 10;  // growth before and after the resume
    o.properties = {&test::kOneActive, &test::kSomeWorkload, &test::kExpired};
    o.run_identity = "model small";
    const ExploreResult whole = explore(m.world, m.names, m.bounds, Rules::standard(), o);
    ASSERT_EQ(whole.stop, ExploreResult::Stop::Exhausted);
    for (uint32_t stop_at : {1u, 3u, 6u}) {
      const std::string dir = fresh_dir("ckpt-resume", false);
      const ExploreResult resumed = stop_and_resume(m, Rules::standard(), o, stop_at, dir);
      EXPECT_TRUE(resumed.resumed);
      expect_same(whole, resumed);
      std::filesystem::remove_all(dir);
    }
    std::filesystem::remove_all(o.frontier_disk.work_dir);
  }
}

// Reports made before the checkpoint are restored with their traces; the
// ones after it are found as without the interruption.
TEST(Checkpoint, ViolationsBeforeAndAfterTheCheckpoint) {
  auto m = small_model();
  const Rules buggy = test::rules_with(Op::AcceptAndActivateGrant, test::accept_activate_unchecked);
  m.bounds.operations = {Op::Subscribe, Op::CreateGrant, Op::AcceptAndActivateGrant, Op::LeaveOrganization};
  m.bounds.max_licenses = 2;
  m.bounds.max_grants = 2;
  m.bounds.max_grant_version = 3;  // the wrong Accept & Activate leaves version 3 (as in explorer_test)
  for (int run = 0; run < 4; ++run) {
    const bool keep_going = run % 2 == 1, links = run >= 2;
    SCOPED_TRACE(run);
    ExploreOptions o;
    o.keep_going = keep_going;
    o.links_on_disk = links;
    o.properties = {&test::kOneActive, &test::kFailedNothing, &test::kSomeWorkload};
    o.run_identity = "model buggy";
    const ExploreResult whole = explore(m.world, m.names, m.bounds, buggy, o);
    ASSERT_EQ(whole.stop, ExploreResult::Stop::Violation);
    // a subscription, two grants to the outside account, two Accept & Activate (explorer_test)
    ASSERT_EQ(whole.violations[0].trace.steps.size(), 5u);
    for (uint32_t stop_at : {2u, 4u}) {
      if (!keep_going && stop_at == 4u) continue;  // the run stops at the violation's level
      const std::string dir = fresh_dir("ckpt-violation", false);
      expect_same(whole, stop_and_resume(m, buggy, o, stop_at, dir));
      std::filesystem::remove_all(dir);
    }
  }
}

TEST(Checkpoint, AnotherIdentityIsRefused) {
  auto m = small_model();
  ExploreOptions o;
  o.run_identity = "model small\nsymmetry true";
  const std::string dir = fresh_dir("ckpt-identity", false);
  o.checkpoint_dir = dir;
  o.checkpoint_every_s = 0;
  o.max_depth = 2;
  explore(m.world, m.names, m.bounds, Rules::standard(), o);
  o.max_depth = 0;
  o.checkpoint_dir.clear();
  o.resume_dir = dir;
  o.run_identity = "model other\nsymmetry true";
  try {
    explore(m.world, m.names, m.bounds, Rules::standard(), o);
    ADD_FAILURE() << "resumed a checkpoint of another model";
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find("another model or bounds"), std::string::npos) << e.what();
  }
  o.run_identity = "model small\nsymmetry false";
  try {
    explore(m.world, m.names, m.bounds, Rules::standard(), o);
    ADD_FAILURE() << "resumed a checkpoint of another option set";
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find("another symmetry (checkpoint: true; now: false)"), std::string::npos)
        << e.what();
  }
  o.resume_dir = dir + "-missing";
  EXPECT_THROW(explore(m.world, m.names, m.bounds, Rules::standard(), o), CheckpointError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace entmc::engine
