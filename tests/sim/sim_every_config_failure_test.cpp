// Every shipped simulation config (scenarios/sim/) with a planted bug: the
// simulator stops at the violation, writes the run so far and the shrunk run
// as scenarios, and both replay into the same violation. The configs make 5%
// of their events invalid on purpose (unknown accounts, products, grants), so
// the writer must express those calls too ("account#N", "product#N").
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "planted_rules.h"
#include "scenario/scenario.h"
#include "scenario/scenario_run.h"
#include "sim/failure.h"

namespace entmc::sim {
namespace {

// The number of the first step whose replay reports `property` (0: none).
size_t first_failing_step(const Scenario& s, const Rules& rules, const std::string& property, size_t& failing_steps) {
  ScenarioRun run(s, rules);
  run.run_all();
  size_t first = 0;
  failing_steps = 0;
  for (const StepReport& r : run.reports()) {
    bool hit = false;
    for (const StepFailure& f : r.failures) {
      EXPECT_EQ(f.kind, StepFailure::Kind::Invariant) << "step " << r.number << ": " << f.what << ": " << f.detail;
      hit |= f.what == property;
    }
    failing_steps += !r.ok();
    if (hit && !first) first = r.number;
  }
  return first;
}

class EveryShippedConfig : public testing::TestWithParam<std::string> {};

TEST_P(EveryShippedConfig, PlantedViolationIsWrittenAndReplays) {
  SimConfig c = load_config(std::string(ENTMC_SOURCE_DIR) + "/scenarios/sim/" + GetParam() + ".yaml");
  c.members = std::min<uint32_t>(c.members, 300);  // large.yaml's million members, scaled down
  c.members = std::max<uint32_t>(c.members, uint32_t(c.member_ids.size()));
  c.events = 200000;
  c.invalid_share = std::max(c.invalid_share, 0.2);  // more invalid events before the violation
  const Rules rules = planted::planted_bug("leave-keeps-org-children").rules;
  Simulation sim(c, all_properties(), rules);
  RunOptions opt;
  opt.events = c.events;
  const RunResult r = sim.run(opt);
  ASSERT_TRUE(r.violation) << "the planted bug went unnoticed in " << GetParam();

  const auto dir = std::filesystem::temp_directory_path() / ("entmc_sim_every_" + GetParam());
  std::filesystem::create_directories(dir);
  ShrinkInput limits{};
  limits.max_seconds = 30;
  FailureFiles f;
  ASSERT_NO_THROW(f = write_failure(c, all_properties(), rules, r, (dir / "planted").string(), limits));

  std::ifstream in(f.full_path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("#"), std::string::npos) << "no deliberately unknown reference was written";

  // The full run: every step but the last holds; the last violates the property.
  const Scenario full = parse_scenario_file(f.full_path);
  ASSERT_EQ(full.steps.size(), f.full_steps);
  size_t failing = 0;
  EXPECT_EQ(first_failing_step(full, rules, r.violation->property, failing), full.steps.size());
  EXPECT_EQ(failing, 1u);
  // The shrunk run violates it too, and not with the real rules.
  const Scenario shrunk = parse_scenario_file(f.shrunk_path);
  EXPECT_GT(first_failing_step(shrunk, rules, r.violation->property, failing), 0u);
  EXPECT_EQ(first_failing_step(shrunk, Rules::standard(), r.violation->property, failing), 0u);
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Configs, EveryShippedConfig, testing::Values("small", "seed-org", "large", "start"),
                         [](const auto& p) { return p.param == "seed-org" ? std::string("seed_org") : p.param; });

// A config added to scenarios/sim/ joins the list above.
TEST(EveryShippedConfig, ListIsComplete) {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(ENTMC_SOURCE_DIR) + "/scenarios/sim"))
    n += e.path().extension() == ".yaml";
  EXPECT_EQ(n, 4u);
}

}  // namespace
}  // namespace entmc::sim
