// The memory limit at a level's end (engine/explorer.cpp,
// report_level_findings_only): when ordering the level's new states would
// pass the limit the run stops there, and the findings of that level are
// still reported, each with a trace that replays.
#include <gtest/gtest.h>

#include "engine/explorer.h"
#include "engine/trace.h"
#include "test_worlds.h"

namespace entmc::engine {
namespace {

// Fires on the first successful call: level 0 (the start state's calls)
// always has one in the small model.
std::optional<std::string> no_call_succeeds(const Transition& t, const Names&) {
  if (t.outcome.ok()) return std::string("a call succeeded");
  return std::nullopt;
}
const Property kNoCallSucceeds{"test-no-call-succeeds", "", "", PropertyKind::Transition, nullptr, nullptr,
                               no_call_succeeds};

TEST(LevelEndMemory, FindingsOfALevelWhoseEndDoesNotFitAreReported) {
  auto m = test::small_model();
  ExploreOptions o;
  o.threads = 1;
  o.properties = {&kNoCallSucceeds};
  // One byte: nothing fits, neither a new state nor the level's end; the
  // start state's calls are still tried and judged.
  o.memory_limit = 1;
  const ExploreResult r = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  EXPECT_EQ(r.limit, "memory");
  EXPECT_NE(r.limit_detail.find("the level's findings are reported"), std::string::npos) << r.limit_detail;
  ASSERT_EQ(r.stop, ExploreResult::Stop::Violation);
  ASSERT_EQ(r.violations.size(), 1u);
  const ViolationReport& v = r.violations[0];
  EXPECT_EQ(v.property, "test-no-call-succeeds");
  ASSERT_TRUE(v.trace_ok);
  ASSERT_EQ(v.trace.steps.size(), 1u);
  EXPECT_TRUE(v.trace.steps[0].outcome.ok());

  // Without the limit the same finding, at the same step.
  o.memory_limit = 0;
  const ExploreResult unlimited = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  ASSERT_EQ(unlimited.violations.size(), 1u);
  EXPECT_EQ(unlimited.violations[0].trace.steps[0].call, v.trace.steps[0].call);
}

}  // namespace
}  // namespace entmc::engine
