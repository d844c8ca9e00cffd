// Every planted bug (planted_rules.h) is found by random testing, shrunk to at
// most 10 steps, and the shrunk run, written as a scenario and replayed by the
// scenario runner under the same rules, reports the same violation at the same
// step with the same final state.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "planted_rules.h"
#include "proptest/fuzz.h"
#include "proptest/round_trip.h"
#include "rc_check.h"

namespace entmc::proptest {
namespace {

class PlantedBugTest : public ::testing::TestWithParam<planted::PlantedBug> {};

TEST_P(PlantedBugTest, IsFoundAndShrunkToAShortReplayableScenario) {
  const planted::PlantedBug& bug = GetParam();
  FuzzOptions o;
  o.runs = size_t(testing::scaled_runs(2000));
  o.seed = 1;
  o.rules = &bug.rules;
  o.round_trip = false;  // the replay of the shrunk run is checked below
  FuzzReport r = fuzz(o);
  ASSERT_TRUE(r.failure) << bug.name << " not found in " << r.runs << " runs";
  const FuzzFailure& f = *r.failure;
  const std::string text = scenario_text(f.shrunk, bug.rules, bug.name, {}, f.shrunk_found.violation.property);
  std::cout << fmt::format("{}: found in run {} (seed {}), {} -> {} steps ({} shrink attempts)\n{}\n", bug.name,
                           f.run_index + 1, f.run_seed, f.original.steps.size(), f.shrunk.steps.size(),
                           f.stats.attempts, text);
  // The frame conditions (frame-*) state every call's whole effect, and
  // call-preconditions whether the call may succeed at all, so they may see a
  // planted bug at the very call the bug's own invariant sees it, or earlier:
  // either is the bug found.
  auto expected = [&](const std::string& p) {
    return p == bug.property || p.starts_with("frame-") || p == "call-preconditions";
  };
  EXPECT_TRUE(expected(f.found.violation.property)) << f.found.violation.property << ": " << f.found.violation.detail;
  EXPECT_TRUE(expected(f.shrunk_found.violation.property))
      << f.shrunk_found.violation.property << ": " << f.shrunk_found.violation.detail;
  EXPECT_LE(f.shrunk.steps.size(), 10u);
  EXPECT_EQ(round_trip(f.shrunk, bug.rules), std::nullopt);
  // The standard rules do not violate anything on the same steps.
  ExecOptions standard;
  EXPECT_FALSE(execute(f.shrunk, standard).found);
}

// The planted bugs random testing must find: one per kind of rule (grant
// lifecycle, delegated administrator, organization, distribution).
const std::vector<planted::PlantedBug> kFuzzedBugs = planted::planted_bugs(
    {"delete-stops-workloads", "rejected-grant-reacceptable", "new-admin-manages-former-grants",
     "joiner-without-org-child", "saas-license-grantable", "cancel-keeps-grants", "deregister-keeps-org-grants",
     "skip-recipient-role"});

INSTANTIATE_TEST_SUITE_P(Planted, PlantedBugTest, ::testing::ValuesIn(kFuzzedBugs),
                         [](const auto& param_info) {
                           std::string n = param_info.param.name;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace entmc::proptest
