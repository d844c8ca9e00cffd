#include "engine/explorer.h"

#include <gtest/gtest.h>

#include <mutex>

#include "engine/key_set.h"
#include "engine/trace.h"
#include "same_run.h"
#include "test_worlds.h"

namespace entmc::engine {
namespace {

using test::naive_explore;
using test::small_model;

ExploreOptions options(unsigned threads = 1, bool symmetry = true) {
  ExploreOptions o;
  o.threads = threads;
  o.symmetry = symmetry;
  return o;
}

// The planted bug the counterexample tests share: Accept & Activate without
// its check (test::accept_activate_unchecked) in a model narrowed to the
// calls that reach it, where one-active-license-per-product fails.
const Rules& accept_activate_bug(Bounds& b) {
  static const Rules buggy = test::rules_with(Op::AcceptAndActivateGrant, test::accept_activate_unchecked);
  b.operations = {Op::Subscribe, Op::CreateGrant, Op::AcceptAndActivateGrant, Op::LeaveOrganization};
  b.max_licenses = 2;
  b.max_grants = 2;
  b.max_grant_version = 3;  // the wrong Accept & Activate leaves version 3: the second one is expanded
  return buggy;
}

// The pinned sizes of the small model (tests/engine/test_worlds.h). If the
// model's rules change these move: re-derive them from the naive explorer.
constexpr uint64_t kSmallStates = 91766;
constexpr uint64_t kSmallStatesSymmetric = 47280;

TEST(Explorer, WithoutSymmetryFindsExactlyTheNaiveStateSet) {
  auto m = small_model();
  auto naive = naive_explore(m.world, m.bounds, Rules::standard());
  test::PackedSet seen;
  auto o = options(1, false);
  o.on_new_state = [&](std::span<const uint8_t> s) { seen.emplace(s.begin(), s.end()); };
  auto r = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  EXPECT_EQ(r.stop, ExploreResult::Stop::Exhausted);
  EXPECT_EQ(r.states, naive.states.size());
  EXPECT_EQ(seen, naive.states);
  EXPECT_EQ(r.states, kSmallStates);
  uint32_t deepest = 0;
  for (auto& [k, d] : naive.depth) deepest = std::max(deepest, d);
  EXPECT_EQ(r.depth, deepest);
}

TEST(Explorer, SymmetryFindsExactlyTheCanonicalFormsOfTheNaiveStates) {
  auto m = small_model(3, 0);
  auto naive = naive_explore(m.world, m.bounds, Rules::standard());
  const auto classes = find_symmetry(m.world, m.bounds);
  ASSERT_EQ(classes, (SymmetryClasses{{1, 2, 3}}));
  Canonicalizer canon(classes);
  test::PackedSet expected;
  World w = m.world;
  std::vector<uint8_t> c;
  for (const auto& s : naive.states) {
    unpack(s.data(), w);
    canon.canonical(w, c);
    expected.insert(c);
  }
  test::PackedSet seen;
  auto o = options();
  o.on_new_state = [&](std::span<const uint8_t> s) { seen.emplace(s.begin(), s.end()); };
  auto r = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(r.states, expected.size());
  EXPECT_LT(r.states * 3, naive.states.size());  // three interchangeable members: close to 6x fewer
}

TEST(Explorer, PinnedSmallModelWithSymmetry) {
  auto m = small_model();
  auto r = explore(m.world, m.names, m.bounds, Rules::standard(), options());
  EXPECT_EQ(r.states, kSmallStatesSymmetric);
  EXPECT_EQ(r.symmetry, (SymmetryClasses{{1, 2}}));
}

// A buggy rule (Accept & Activate without the one-active-license check) is
// caught with a shortest trace that really replays through apply().
TEST(Explorer, FindsAShortestCounterexampleThatReplays) {
  for (bool symmetry : {false, true}) {
    auto m = small_model();
    const Rules& buggy = accept_activate_bug(m.bounds);
    auto naive = naive_explore(m.world, m.bounds, buggy, &test::kOneActive);
    ASSERT_TRUE(naive.first_violation_depth);
    auto o = options(1, symmetry);
    o.properties = {&test::kOneActive};
    auto r = explore(m.world, m.names, m.bounds, buggy, o);
    ASSERT_EQ(r.stop, ExploreResult::Stop::Violation);
    ASSERT_EQ(r.violations.size(), 1u);
    const auto& v = r.violations[0];
    EXPECT_EQ(v.property, "test-one-active");
    ASSERT_TRUE(v.trace_ok);
    EXPECT_EQ(v.trace.steps.size(), *naive.first_violation_depth);
    // a subscription, two grants of it to the outside account, two Accept & Activate: an own
    // subscription next to an ACTIVE grant is no violation (the subscription waits behind the grant)
    EXPECT_EQ(v.trace.steps.size(), 5u);
    World w = m.world;
    for (const auto& step : v.trace.steps) {
      apply(w, step.call, nullptr, buggy);
      EXPECT_EQ(w, step.after);
    }
    EXPECT_TRUE(test::one_active(w, m.names).has_value());
  }
}

// stop_and_fail writes without logging (it bypasses the mutation helpers):
// only verify_change_log sees that write.
TEST(Explorer, FailedCallThatChangesTheStateIsATransitionViolation) {
  auto m = small_model();
  const Rules buggy = test::rules_with(Op::StopWorkload, test::stop_and_fail);
  auto naive = naive_explore(m.world, m.bounds, buggy, &test::kFailedNothing);
  auto o = options();
  o.verify_change_log = true;
  o.properties = {&test::kFailedNothing};
  auto r = explore(m.world, m.names, m.bounds, buggy, o);
  ASSERT_EQ(r.violations.size(), 1u);
  const auto& v = r.violations[0];
  EXPECT_EQ(v.kind, PropertyKind::Transition);
  ASSERT_TRUE(v.trace_ok);
  ASSERT_TRUE(naive.first_violation_depth);
  EXPECT_EQ(v.trace.steps.size(), *naive.first_violation_depth);
  EXPECT_EQ(v.trace.steps.back().call.op, Op::StopWorkload);
  EXPECT_FALSE(v.trace.steps.back().outcome.ok());
}

// What the explorer trusts without verify_change_log: a call with an empty
// change log changed nothing. A rule that writes without logging then goes
// unseen (the reason the option exists, and is on in debug builds).
TEST(Explorer, WithoutVerifyingTheChangeLogAnUnloggedWriteIsTrusted) {
  auto m = small_model();
  const Rules buggy = test::rules_with(Op::StopWorkload, test::stop_and_fail);
  auto o = options();
  o.verify_change_log = false;
  o.properties = {&test::kFailedNothing};
  auto r = explore(m.world, m.names, m.bounds, buggy, o);
  EXPECT_TRUE(r.violations.empty());
}

// The standard rules log every write: verifying the log changes nothing,
// on every call of the small model with and without symmetry.
TEST(Explorer, TheStandardRulesLogEveryWrite) {
  auto m = small_model();
  for (bool symmetry : {false, true}) {
    auto o = options(1, symmetry);
    for (const Property& p : all_properties()) o.properties.push_back(&p);
    o.verify_change_log = true;
    auto verified = explore(m.world, m.names, m.bounds, Rules::standard(), o);
    o.verify_change_log = false;
    auto trusted = explore(m.world, m.names, m.bounds, Rules::standard(), o);
    EXPECT_TRUE(verified.violations.empty());
    EXPECT_EQ(verified.states, trusted.states);
    EXPECT_EQ(verified.transitions, trusted.transitions);
    EXPECT_EQ(verified.states, symmetry ? kSmallStatesSymmetric : kSmallStates);
  }
}

TEST(Explorer, KeepGoingReportsEveryViolatedProperty) {
  auto m = small_model();
  Rules buggy = test::rules_with(Op::StopWorkload, test::stop_and_fail);
  buggy[Op::AcceptAndActivateGrant] = test::accept_activate_unchecked;
  m.bounds.operations.push_back(Op::AcceptAndActivateGrant);
  m.bounds.max_grants = 2;
  auto o = options();
  o.verify_change_log = true;  // stop_and_fail's write is not logged
  o.properties = {&test::kOneActive, &test::kFailedNothing};
  auto first = explore(m.world, m.names, m.bounds, buggy, o);
  EXPECT_EQ(first.violations.size(), 1u);
  o.keep_going = true;
  auto all = explore(m.world, m.names, m.bounds, buggy, o);
  ASSERT_EQ(all.violations.size(), 2u);
  EXPECT_NE(all.violations[0].property, all.violations[1].property);
  EXPECT_GT(all.states, first.states);
}

TEST(Explorer, SometimesPropertiesReportExamplesAndMisses) {
  auto m = small_model();
  auto o = options();
  o.properties = {&test::kSomeWorkload, &test::kExpired};
  auto r = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  EXPECT_EQ(r.stop, ExploreResult::Stop::Exhausted);
  ASSERT_EQ(r.sometimes.size(), 2u);
  EXPECT_TRUE(r.sometimes[0].reached);
  EXPECT_EQ(r.sometimes[0].depth, 2u);  // Subscribe, LaunchWorkload
  EXPECT_EQ(r.sometimes[0].trace.steps.size(), 2u);
  EXPECT_FALSE(r.sometimes[1].reached);
}

TEST(Explorer, CoverageAndStatuses) {
  auto m = small_model();
  auto r = explore(m.world, m.names, m.bounds, Rules::standard(), options());
  EXPECT_GT(r.coverage[size_t(Op::CreateGrant)].succeeded, 0u);
  EXPECT_GT(r.coverage[size_t(Op::CreateGrant)].failed, 0u);
  EXPECT_EQ(r.coverage[size_t(Op::ExpireLicense)].succeeded + r.coverage[size_t(Op::ExpireLicense)].failed, 0u);
  EXPECT_TRUE(r.grant_statuses & (1u << unsigned(GrantStatus::REJECTED)));
  EXPECT_FALSE(r.license_statuses & (1u << unsigned(LicenseStatus::EXPIRED)));
  EXPECT_GT(r.transitions, r.states);
  EXPECT_GT(r.constrained, 0u);
}

TEST(Explorer, ExactModeAndTableGrowthAgree) {
  auto m = small_model();
  auto o = options();
  o.table_log2 = 10;  // grows several times
  auto small_table = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  o.exact = true;
  auto exact = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  EXPECT_EQ(small_table.states, kSmallStatesSymmetric);
  EXPECT_EQ(exact.states, kSmallStatesSymmetric);
  EXPECT_EQ(exact.collision_probability, 0.0);
  EXPECT_GT(small_table.collision_probability, 0.0);
  // The time between rounds is reported: the growths are counted and timed
  // (a 2^10-slot table doubles 6 times to hold the small model; the default
  // one, 2^19 slots, holds it without growing), and both parts are within the
  // run's time.
  EXPECT_EQ(small_table.growths, 6u);
  EXPECT_GT(small_table.growth_seconds, 0.0);
  EXPECT_GT(small_table.level_end_seconds, 0.0);
  EXPECT_LE(small_table.growth_seconds + small_table.level_end_seconds, small_table.seconds);
  auto big_table = explore(m.world, m.names, m.bounds, Rules::standard(), options());
  EXPECT_EQ(big_table.growths, 0u);
  EXPECT_EQ(big_table.growth_seconds, 0.0);
}

// The two growth steps (doubling while small, 1/6 beyond) are two paths to
// the same run: the same states, transitions and depth, and the same
// counterexample, call by call, on one thread and on two.
TEST(Explorer, BothGrowthStepsGiveTheSameRun) {
  for (unsigned threads : {1u, 2u}) {
    auto m = small_model();
    auto doubling = options(threads);
    doubling.table_log2 = 10;
    auto sixth = doubling;
    sixth.table_doubling_bytes = 0;  // the 1/6 step from the first growth
    auto d = explore(m.world, m.names, m.bounds, Rules::standard(), doubling);
    auto s = explore(m.world, m.names, m.bounds, Rules::standard(), sixth);
    EXPECT_EQ(d.states, kSmallStatesSymmetric);
    EXPECT_EQ(s.states, d.states);
    EXPECT_EQ(s.transitions, d.transitions);
    EXPECT_EQ(s.depth, d.depth);
    EXPECT_EQ(d.growths, 6u);
    EXPECT_GE(s.growths, 15u);  // 2^10 slots grown by 1/6 (or the headroom) to hold 47,280 states

    const Rules& buggy = accept_activate_bug(m.bounds);
    doubling.properties = sixth.properties = {&test::kOneActive};
    auto a = explore(m.world, m.names, m.bounds, buggy, doubling);
    auto b = explore(m.world, m.names, m.bounds, buggy, sixth);
    ASSERT_EQ(a.violations.size(), 1u);
    ASSERT_EQ(b.violations.size(), 1u);
    ASSERT_TRUE(a.violations[0].trace_ok);
    ASSERT_TRUE(b.violations[0].trace_ok);
    ASSERT_EQ(a.violations[0].trace.steps.size(), b.violations[0].trace.steps.size());
    for (size_t i = 0; i < a.violations[0].trace.steps.size(); ++i)
      EXPECT_EQ(a.violations[0].trace.steps[i].call, b.violations[0].trace.steps[i].call);
  }
}

// --expect-states sizes the visited set up front: no growth until that many
// states, the table 4/5 full with them, and otherwise the same run (the
// same states, transitions, coverage, and the same counterexample call by
// call), on one thread and two, with the links in RAM and on disk. A count
// below the run's states saves some of the growths.
TEST(Explorer, ExpectStatesPresizesTheTableAndChangesNothingElse) {
  for (unsigned threads : {1u, 2u}) {
    for (bool links_on_disk : {false, true}) {
      SCOPED_TRACE(::testing::Message() << threads << " threads, links on disk " << links_on_disk);
      auto m = small_model();
      auto grows = options(threads);
      grows.table_log2 = 10;
      grows.links_on_disk = links_on_disk;
      auto presized = grows;
      presized.expect_states = kSmallStatesSymmetric;
      auto partly = grows;
      partly.expect_states = 5000;
      auto g = explore(m.world, m.names, m.bounds, Rules::standard(), grows);
      auto p = explore(m.world, m.names, m.bounds, Rules::standard(), presized);
      auto q = explore(m.world, m.names, m.bounds, Rules::standard(), partly);
      test::expect_same_run(g, p);
      test::expect_same_run(g, q);
      EXPECT_EQ(g.states, kSmallStatesSymmetric);
      if (!links_on_disk) {  // with links on disk the level table's rounds are counted as growths
        EXPECT_EQ(g.growths, 6u);
        EXPECT_EQ(p.growths, 0u);
        EXPECT_GT(q.growths, 0u);
        EXPECT_LT(q.growths, g.growths);
        EXPECT_EQ(p.growth_seconds, 0.0);
        // The presized table ends 4/5 full (the run reaches the states it
        // was sized for); a growing run's doublings leave it emptier.
        EXPECT_NEAR(p.table_load, 0.8, 0.001);
        EXPECT_LE(g.table_load, p.table_load);
        // Sized for fewer states than the run reaches: it grows from there.
        EXPECT_LE(q.table_load, 0.9);
      } else {  // the closed levels' table: one growth to 85% full instead of several
        EXPECT_NEAR(p.table_load, KeySet::kGrownLoad, 0.01);
      }

      const Rules& buggy = accept_activate_bug(m.bounds);
      grows.properties = presized.properties = {&test::kOneActive};
      auto a = explore(m.world, m.names, m.bounds, buggy, grows);
      auto b = explore(m.world, m.names, m.bounds, buggy, presized);
      ASSERT_EQ(a.violations.size(), 1u);
      test::expect_same_run(a, b, {.calls = true});
    }
  }
}

// --profile times the run's parts and changes nothing else: the same states,
// transitions and coverage as without it, on 1 and 2 threads; every call is
// counted once in its operation's apply part, every successor's fingerprint
// is looked up, and call-preconditions (which judges every call) is timed once
// per call. The parts add up to the workers' time.
TEST(Explorer, ProfileCountsEveryPartAndChangesNothingElse) {
  for (unsigned threads : {1u, 2u}) {
    auto m = small_model(1, 1);  // a few thousand states, every property on
    auto plain = options(threads);
    for (const Property& p : all_properties()) plain.properties.push_back(&p);
    auto timed = plain;
    timed.profile = true;
    const auto a = explore(m.world, m.names, m.bounds, Rules::standard(), plain);
    const auto b = explore(m.world, m.names, m.bounds, Rules::standard(), timed);
    ASSERT_EQ(a.stop, ExploreResult::Stop::Exhausted);
    EXPECT_TRUE(a.profile.empty());
    EXPECT_EQ(b.states, a.states);
    EXPECT_EQ(b.transitions, a.transitions);
    EXPECT_EQ(b.depth, a.depth);
    EXPECT_GT(a.states, 1000u) << a.states;

    uint64_t applied = 0, fingerprinted = 0, looked_up = 0, preconditions = 0;
    double parts = 0;
    bool timers = false, rest = false;
    for (const ProfilePart& p : b.profile) {
      EXPECT_GE(p.seconds, 0) << p.name;
      parts += p.seconds;
      switch (p.kind) {
        case ProfilePart::Kind::Apply: {
          applied += p.calls;
          int op = 0;
          while (op < kOpCount && to_string(Op(op)) != p.name) ++op;
          ASSERT_LT(op, kOpCount) << p.name;
          EXPECT_EQ(p.calls, a.coverage[size_t(op)].succeeded + a.coverage[size_t(op)].failed) << p.name;
          break;
        }
        case ProfilePart::Kind::Fingerprint: fingerprinted += p.calls; break;
        case ProfilePart::Kind::Lookup: looked_up += p.calls; break;
        case ProfilePart::Kind::Property:
          if (p.name == "call-preconditions") preconditions += p.calls;
          break;
        case ProfilePart::Kind::Timers: timers = true; break;
        case ProfilePart::Kind::Rest: rest = true; break;
      }
    }
    EXPECT_EQ(applied, a.transitions);
    EXPECT_GT(fingerprinted, a.states);  // a successor per state reached, and the ones found again
    EXPECT_EQ(looked_up, fingerprinted);
    EXPECT_EQ(preconditions, a.transitions);
    EXPECT_TRUE(timers);
    EXPECT_TRUE(rest);
    EXPECT_GT(b.profile_seconds, 0);
    EXPECT_NEAR(parts, b.profile_seconds, 1e-6 + 1e-9 * b.profile_seconds);
    for (size_t i = 1; i < b.profile.size(); ++i) EXPECT_GE(b.profile[i - 1].seconds, b.profile[i].seconds);
  }
}

TEST(Explorer, LimitsStopTheRun) {
  auto m = small_model();
  auto o = options();
  o.max_states = 100;
  auto r = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  EXPECT_EQ(r.stop, ExploreResult::Stop::Limit);
  EXPECT_EQ(r.limit, "max-states");
  o.max_states = 0;
  o.max_depth = 2;
  r = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  EXPECT_EQ(r.stop, ExploreResult::Stop::Limit);
  EXPECT_EQ(r.limit, "max-depth");
  EXPECT_EQ(r.depth, 2u);
  m.bounds.max_depth = 2;  // a depth bound is part of the model: exhaustive
  o.max_depth = 0;
  r = explore(m.world, m.names, m.bounds, Rules::standard(), o);
  EXPECT_EQ(r.stop, ExploreResult::Stop::Exhausted);
  EXPECT_EQ(r.depth, 2u);
}

TEST(ExplorerThreaded, TwoThreadsFindTheSameStatesAndTheSameTrace) {
  auto m = small_model();
  auto one = explore(m.world, m.names, m.bounds, Rules::standard(), options(1));
  auto o2 = options(2);
  o2.table_log2 = 10;  // growth while two workers run
  auto two = explore(m.world, m.names, m.bounds, Rules::standard(), o2);
  EXPECT_EQ(one.states, two.states);
  EXPECT_EQ(one.transitions, two.transitions);
  EXPECT_EQ(one.depth, two.depth);

  const Rules& buggy = accept_activate_bug(m.bounds);
  auto o1 = options(1);
  o1.properties = o2.properties = {&test::kOneActive};
  auto a = explore(m.world, m.names, m.bounds, buggy, o1);
  for (int i = 0; i < 2; ++i) {
    auto b = explore(m.world, m.names, m.bounds, buggy, o2);
    ASSERT_EQ(a.violations.size(), 1u);
    ASSERT_EQ(b.violations.size(), 1u);
    ASSERT_EQ(a.violations[0].trace.steps.size(), b.violations[0].trace.steps.size());
    for (size_t s = 0; s < a.violations[0].trace.steps.size(); ++s)
      EXPECT_EQ(a.violations[0].trace.steps[s].call, b.violations[0].trace.steps[s].call);
  }
}

}  // namespace
}  // namespace entmc::engine
