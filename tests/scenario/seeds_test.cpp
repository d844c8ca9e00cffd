// Every shipped seed scenario replays green, and each has a failing twin: the
// same scenario with one expectation changed must fail at that step, naming
// the expectation (issue 2, scenarios/seed).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "scenario/scenario_run.h"

namespace entmc {
namespace {

std::vector<std::string> seed_files() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(std::string(ENTMC_SOURCE_DIR) + "/scenarios/seed"))
    if (e.path().extension() == ".yaml") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string describe_failures(const ScenarioRun& run) {
  std::string out;
  for (const auto& r : run.reports())
    for (const auto& f : r.failures)
      out += "step " + std::to_string(r.number) + ": " + std::string(to_string(f.kind)) + ": " + f.what + ": " +
             f.detail + "\n";
  return out;
}

// The same assertion, made false.
void falsify(Expectation& e) {
  using W = Expectation::What;
  switch (e.what) {
    case W::GrantStatus:
      e.grant_status = e.grant_status == GrantStatus::ACTIVE ? GrantStatus::DISABLED : GrantStatus::ACTIVE;
      break;
    case W::GrantReason: e.text += " (twin)"; break;
    case W::GrantVersion:
    case W::ChildCount:
    case W::Running: e.number += 1; break;
    case W::LicenseStatus:
      e.license_status = e.license_status == LicenseStatus::AVAILABLE ? LicenseStatus::DELETED : LicenseStatus::AVAILABLE;
      break;
    case W::CanLaunch:
    case W::Member: e.flag = !e.flag; break;
    case W::DelegatedAdmin: e.account = e.account == kNone ? 0 : kNone; break;  // account 0 (management) is never it
  }
}

class Seed : public ::testing::TestWithParam<std::string> {};

TEST_P(Seed, ReplaysGreen) {
  Scenario sc = parse_scenario_file(GetParam());
  ScenarioRun run(sc);
  run.run_all();
  EXPECT_TRUE(run.ok()) << describe_failures(run);
  size_t expectations = 0;
  for (const Step& s : sc.steps) expectations += s.expect.size();
  EXPECT_GE(expectations, 3u) << "a seed scenario checks what its flow promises";
}

TEST_P(Seed, ItsFailingTwinIsReported) {
  Scenario sc = parse_scenario_file(GetParam());
  // Change the last assertion of the last expect step.
  auto it = std::find_if(sc.steps.rbegin(), sc.steps.rend(), [](const Step& s) { return s.is_expect; });
  ASSERT_NE(it, sc.steps.rend());
  Expectation& e = it->expect.back();
  falsify(e);
  const std::string what = describe_expectation(e, sc.names);
  ScenarioRun run(sc);
  EXPECT_FALSE(run.run_all());
  std::vector<StepFailure> found;
  for (const auto& r : run.reports())
    for (const auto& f : r.failures) {
      EXPECT_EQ(r.number, it->number) << f.what;
      EXPECT_FALSE(r.state.empty());
      found.push_back(f);
    }
  ASSERT_EQ(found.size(), 1u) << describe_failures(run);
  EXPECT_EQ(found[0].kind, StepFailure::Kind::Expectation);
  EXPECT_EQ(found[0].what, what);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, Seed, ::testing::ValuesIn(seed_files()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string n = std::filesystem::path(param.param).stem().string();
                           std::replace_if(n.begin(), n.end(), [](char c) { return !std::isalnum(uint8_t(c)); }, '_');
                           return n;
                         });

}  // namespace
}  // namespace entmc
