// The explorer's narrowed property checks (ExploreOptions::narrow_checks: a
// state invariant only after a change of a kind it reads, a transition
// property only on a call it judges and a change that may break it) against
// the plain path (every check on every new state and every call). Under the
// standard rules and under every planted bug (tests/support), on a small
// model with every property on and --keep-going, both must find the same
// states and transitions, the same violations (property, detail, trace) and
// the same cover examples: the narrowing changes the time, never a verdict.
#include <gtest/gtest.h>

#include <string>

#include "engine/check_input.h"
#include "engine/explorer.h"
#include "planted_rules.h"
#include "test_worlds.h"

namespace entmc::engine {
namespace {

// `narrow` false: the plain path, every check on every state and call, and
// the working state copied back whole after a call that changed it (no
// ExploreOptions::restore_by_log either).
ExploreResult run(const World& start, const Names& names, const Bounds& bounds, const Rules& rules, bool narrow,
                  bool symmetry = false) {
  ExploreOptions o;
  o.symmetry = symmetry;
  o.keep_going = true;
  o.narrow_checks = narrow;
  o.restore_by_log = narrow;
  for (const Property& p : all_properties()) o.properties.push_back(&p);
  return explore(start, names, bounds, rules, o);
}
ExploreResult run(const test::TestModel& m, const Rules& rules, bool narrow) {
  return run(m.world, m.names, m.bounds, rules, narrow);
}

void expect_same(const ExploreResult& narrowed, const ExploreResult& plain) {
  EXPECT_EQ(narrowed.stop, plain.stop);
  EXPECT_EQ(narrowed.states, plain.states);
  EXPECT_EQ(narrowed.transitions, plain.transitions);
  ASSERT_EQ(narrowed.violations.size(), plain.violations.size());
  for (size_t i = 0; i < plain.violations.size(); ++i) {
    const ViolationReport &a = narrowed.violations[i], &b = plain.violations[i];
    EXPECT_EQ(a.property, b.property);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.detail, b.detail);
    EXPECT_EQ(a.trace_ok, b.trace_ok);
    ASSERT_EQ(a.trace.steps.size(), b.trace.steps.size()) << b.property;
    for (size_t s = 0; s < b.trace.steps.size(); ++s) EXPECT_EQ(a.trace.steps[s].call, b.trace.steps[s].call);
  }
  ASSERT_EQ(narrowed.sometimes.size(), plain.sometimes.size());
  for (size_t i = 0; i < plain.sometimes.size(); ++i) {
    EXPECT_EQ(narrowed.sometimes[i].property, plain.sometimes[i].property);
    EXPECT_EQ(narrowed.sometimes[i].reached, plain.sometimes[i].reached);
    EXPECT_EQ(narrowed.sometimes[i].depth, plain.sometimes[i].depth);
  }
}

// restore_by_log alone (a run's shortcuts each against the plain path):
// the same states, transitions, coverage, violations and traces, with and
// without symmetry, under the standard rules and every planted bug.
ExploreResult run_restore(const test::TestModel& m, const Rules& rules, bool by_log, bool symmetry) {
  ExploreOptions o;
  o.symmetry = symmetry;
  o.keep_going = true;
  o.verify_change_log = false;  // the shortcut as release builds run it
  o.restore_by_log = by_log;
  for (const Property& p : all_properties()) o.properties.push_back(&p);
  return explore(m.world, m.names, m.bounds, rules, o);
}

void expect_same_coverage(const ExploreResult& a, const ExploreResult& b) {
  EXPECT_EQ(a.constrained, b.constrained);
  EXPECT_EQ(a.depth, b.depth);
  EXPECT_EQ(a.grant_statuses, b.grant_statuses);
  EXPECT_EQ(a.license_statuses, b.license_statuses);
  for (int op = 0; op < kOpCount; ++op) {
    EXPECT_EQ(a.coverage[op].succeeded, b.coverage[op].succeeded);
    EXPECT_EQ(a.coverage[op].failed, b.coverage[op].failed);
  }
}

TEST(RestoreByLog, SameRunAsCopyingTheWholeState) {
  const auto m = test::small_model(1, 1);
  for (bool symmetry : {false, true}) {
    SCOPED_TRACE(symmetry);
    const auto by_log = run_restore(m, Rules::standard(), true, symmetry);
    const auto whole = run_restore(m, Rules::standard(), false, symmetry);
    expect_same(by_log, whole);
    expect_same_coverage(by_log, whole);
    EXPECT_GT(by_log.states, 1000u);
  }
  for (const planted::PlantedBug& bug : planted::planted_bugs()) {
    SCOPED_TRACE(bug.name);
    const auto by_log = run_restore(m, bug.rules, true, false);
    const auto whole = run_restore(m, bug.rules, false, false);
    expect_same(by_log, whole);
    expect_same_coverage(by_log, whole);
  }
}

TEST(NarrowedChecks, StandardRulesSameStatesAndVerdicts) {
  const auto m = test::small_model(1, 1);
  const auto narrowed = run(m, Rules::standard(), true);
  expect_same(narrowed, run(m, Rules::standard(), false));
  EXPECT_TRUE(narrowed.violations.empty());
  EXPECT_GT(narrowed.states, 1000u);
}

class NarrowedChecksPlanted : public ::testing::TestWithParam<planted::PlantedBug> {};

TEST_P(NarrowedChecksPlanted, SameViolationsAndTraces) {
  const auto m = test::small_model(1, 1);
  const auto narrowed = run(m, GetParam().rules, true);
  expect_same(narrowed, run(m, GetParam().rules, false));
}

INSTANTIATE_TEST_SUITE_P(EveryBug, NarrowedChecksPlanted, ::testing::ValuesIn(planted::planted_bugs()),
                         [](const auto& param_info) {
                           std::string n = param_info.param.name;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

// The CI model set (scenarios/models/ci), with symmetry as `check` runs it:
// the standard rules and every planted bug. Minutes on 2 cores: label long
// (tests/engine/CMakeLists.txt).
class NarrowedChecksCi : public ::testing::TestWithParam<const char*> {};

TEST_P(NarrowedChecksCi, StandardRulesAndEveryPlantedBug) {
  const std::string file = std::string(ENTMC_SOURCE_DIR) + "/scenarios/models/ci/" + GetParam() + ".yaml";
  const CheckInput in = load_check_input(file);
  const Names& names = in.scenario.names;
  const auto narrowed = run(in.start, names, in.bounds, Rules::standard(), true, true);
  const auto plain = run(in.start, names, in.bounds, Rules::standard(), false, true);
  expect_same(narrowed, plain);
  expect_same_coverage(narrowed, plain);
  for (const planted::PlantedBug& bug : planted::planted_bugs()) {
    SCOPED_TRACE(bug.name);
    expect_same(run(in.start, names, in.bounds, bug.rules, true, true),
                run(in.start, names, in.bounds, bug.rules, false, true));
  }
}

INSTANTIATE_TEST_SUITE_P(Models, NarrowedChecksCi,
                         ::testing::Values("delegated-admin", "grants-two-products", "live-distribution",
                                           "prerequisites-govcloud"),
                         [](const auto& param_info) {
                           std::string n = param_info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace entmc::engine
