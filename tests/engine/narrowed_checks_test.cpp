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

ExploreResult run(const World& start, const Names& names, const Bounds& bounds, const Rules& rules, bool narrow,
                  bool symmetry = false) {
  ExploreOptions o;
  o.symmetry = symmetry;
  o.keep_going = true;
  o.narrow_checks = narrow;
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
  expect_same(run(in.start, names, in.bounds, Rules::standard(), true, true),
              run(in.start, names, in.bounds, Rules::standard(), false, true));
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
