// A planted bug in the rules (a test-only Rules variant: leaving the
// organization does not disable the account's organization children) is
// caught by the simulator's incremental checks in a mid-size simulation,
// written as a scenario, shrunk to a few steps, and the shrunk scenario
// reproduces the same invariant violation when replayed (scenario runner, the
// engine of `entmc replay`, with the same Rules).
#include <gtest/gtest.h>

#include <filesystem>

#include "planted_rules.h"
#include "scenario/scenario.h"
#include "scenario/scenario_run.h"
#include "sim/failure.h"

namespace entmc::sim {
namespace {

// Leaving or removal that keeps the account's organization children ACTIVE.
Rules planted_rules() { return planted::planted_bug("leave-keeps-org-children").rules; }

// The failures a scenario run reports for invariant `property`.
size_t invariant_failures(const Scenario& s, const Rules& rules, const std::string& property) {
  ScenarioRun run(s, rules);
  run.run_all();
  size_t n = 0;
  for (const StepReport& r : run.reports())
    for (const StepFailure& f : r.failures) n += f.kind == StepFailure::Kind::Invariant && f.what == property;
  return n;
}

TEST(SimPlantedViolation, IsStoppedShrunkAndReplayable) {
  SimConfig c = load_config(std::string(ENTMC_SOURCE_DIR) + "/scenarios/sim/small.yaml");
  c.members = 1000;  // mid-size
  c.events = 50000;
  const Rules rules = planted_rules();
  Simulation sim(c, all_properties(), rules);
  RunOptions opt;
  opt.events = c.events;
  const RunResult r = sim.run(opt);
  ASSERT_TRUE(r.violation) << "the planted bug went unnoticed";
  EXPECT_EQ(r.violation->property, "org-grant-covers-members") << r.violation->detail;
  EXPECT_LT(r.events, c.events) << "the simulation stops at the violation";

  const auto dir = std::filesystem::temp_directory_path() / "entmc_sim_planted";
  std::filesystem::create_directories(dir);
  ShrinkInput limits{};
  limits.max_seconds = 30;
  const FailureFiles f = write_failure(c, all_properties(), rules, r, (dir / "planted").string(), limits);
  EXPECT_EQ(f.full_steps, r.setup_calls + r.events);
  EXPECT_LE(f.shrunk_steps, 8u) << "shrunk to " << f.shrunk_steps << " steps";
  EXPECT_LE(f.shrunk_accounts, 4u);

  // Both files parse and, with the planted rules, violate the same invariant.
  const Scenario full = parse_scenario_file(f.full_path);
  EXPECT_EQ(full.steps.size(), f.full_steps);
  EXPECT_GE(invariant_failures(full, rules, r.violation->property), 1u);
  const Scenario shrunk = parse_scenario_file(f.shrunk_path);
  EXPECT_EQ(shrunk.steps.size(), f.shrunk_steps);
  EXPECT_GE(invariant_failures(shrunk, rules, r.violation->property), 1u);
  // With the real rules the same steps keep the invariant: the planted bug is the cause.
  EXPECT_EQ(invariant_failures(shrunk, Rules::standard(), r.violation->property), 0u);
}

}  // namespace
}  // namespace entmc::sim
