// A simulation file's `start:` section (docs/simulator.md, "A start state"):
// the scenario format's start state, applied to the organization the file
// builds by the scenario's own builder; the events run from there with every
// invariant on, and bad sections get the scenario's located errors.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "properties/property.h"
#include "scenario/scenario.h"
#include "sim/simulation.h"
#include "sim/tallies.h"

namespace entmc::sim {
namespace {

std::string shipped_text() {
  std::ifstream in(std::string(ENTMC_SOURCE_DIR) + "/scenarios/sim/start.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

SimConfig shipped() { return load_config(std::string(ENTMC_SOURCE_DIR) + "/scenarios/sim/start.yaml"); }

// The shipped file's start section parsed as a scenario's (the same org,
// products and start): the simulator's world holds the same records.
TEST(SimStart, TheStartStateIsTheScenarioBuildersOwn) {
  const SimConfig c = shipped();
  ASSERT_TRUE(c.start);
  const InitialOrg o = build_initial_org(c);
  const World& w = o.world;
  ASSERT_EQ(w.licenses.size(), 2u);
  ASSERT_EQ(w.grants.size(), 9u);
  ASSERT_EQ(w.org_grants.size(), 1u);
  EXPECT_TRUE(w.grants[0].is_org_parent());
  EXPECT_EQ(w.grants[0].status, GrantStatus::WORKFLOW_COMPLETED);
  EXPECT_EQ(w.grants[2].status, GrantStatus::ACTIVE);
  EXPECT_EQ(w.grants[2].parent, 0u);
  const AccountIx a = *o.names.find_account("423325614417");
  EXPECT_EQ(w.running_at(a, 0), 3);  // Amazon-EKS-product
  EXPECT_EQ(w.running_at(a, 1), 1);  // EC2-AMI-product
  // The same section as a scenario (replay, check, fuzz) builds the same records.
  std::string text = shipped_text();
  std::string scenario = "name: start\norg:\n  feature_set: ALL\n  id: o-45889zf4mv\n";
  scenario += "  management: \"838202657455\"\n  members: [\"776190005587\", \"753322148001\", \"423325614417\", "
              "\"350176540137\", \"301879382469\", \"210112843119\"]\n  outside: [\"100000000007\", \"101234567898\"]\n";
  scenario += "products:\n  - {name: Amazon-EKS-product, type: CONTAINER}\n  - {name: EC2-AMI-product, type: AMI}\n";
  scenario += "  - {name: SageMaker-model, type: ML_MODEL}\n  - {name: saas-product, type: SAAS}\n";
  scenario += text.substr(text.find("start:\n"), text.find("events:") - text.find("start:\n"));
  scenario += "steps: []\n";
  Scenario sc;
  try {
    sc = parse_scenario_text(scenario, "as-scenario.yaml");
  } catch (const ScenarioError& e) {
    FAIL() << e.what() << "\n" << scenario;
  }
  ASSERT_EQ(sc.initial.grants.size(), w.grants.size());
  for (GrantIx g = 0; g < w.grants.size(); ++g) {
    EXPECT_EQ(sc.initial.grants[g].status, w.grants[g].status) << g;
    EXPECT_EQ(sc.initial.grants[g].version, w.grants[g].version) << g;
    EXPECT_EQ(sc.initial.grants[g].parent, w.grants[g].parent) << g;
    EXPECT_EQ(sc.initial.grants[g].license, w.grants[g].license) << g;
    EXPECT_EQ(sc.names.account(sc.initial.grants[g].grantee == kNone ? 0 : sc.initial.grants[g].grantee),
              o.names.account(w.grants[g].grantee == kNone ? 0 : w.grants[g].grantee))
        << g;
  }
}

// The events run from the start state with every invariant on (incremental
// after every event, a full check every 1,000), deterministically, and the
// start's records are drawn: its running workloads stopped, its grants
// deactivated and deleted.
TEST(SimStart, EventsRunFromTheStartStateWithEveryInvariantOn) {
  SimConfig c = shipped();
  c.events = 20000;
  const std::vector<Property> props = all_properties();
  Simulation s(c, props);
  RunOptions opt;
  opt.events = c.events;
  opt.full_check_every = 1000;
  const RunResult r = s.run(opt);
  ASSERT_FALSE(r.violation) << r.violation->property << ": " << r.violation->detail;
  EXPECT_EQ(r.events, c.events);
  EXPECT_EQ(s.tallies().vitals(), recount(s.world()));
  Simulation again(c, props);
  EXPECT_EQ(again.run(opt).digest, r.digest);

  // Only stops: the start's running workloads are drawn and stopped.
  SimConfig stops = shipped();
  stops.mix = {};
  stops.mix[size_t(EventKind::StopWorkload)] = 1;
  stops.invalid_share = 0;
  Simulation st(stops, props);
  RunOptions few;
  few.events = 2000;
  ASSERT_FALSE(st.run(few).violation);
  EXPECT_GE(st.tallies().outcome(EventKind::StopWorkload, ErrorCode::None), 6u);
  EXPECT_EQ(st.tallies().vitals().running_workloads, 0);

  // Only deactivations: the start's ACTIVE account grant is drawn.
  SimConfig deact = stops;
  deact.mix = {};
  deact.mix[size_t(EventKind::DeactivateGrant)] = 1;
  Simulation d(deact, props);
  ASSERT_FALSE(d.run(few).violation);
  EXPECT_EQ(d.world().grants[7].status, GrantStatus::DISABLED);  // eks-to-a
}

// A start state that breaks an invariant stops the run before the first
// event, as replay reports it at step 0.
TEST(SimStart, AStartStateThatBreaksAnInvariantIsReportedBeforeTheFirstEvent) {
  std::string text = shipped_text();
  // One member's child of the organization grant left out.
  const std::string child = "    - {parent: org-ami, principal: \"350176540137\", status: ACTIVE, version: 2}\n";
  ASSERT_NE(text.find(child), std::string::npos);
  text.erase(text.find(child), child.size());
  const SimConfig c = parse_config(text, "missing-child.yaml");
  Simulation s(c, all_properties());
  RunOptions opt;
  opt.events = 100;
  const RunResult r = s.run(opt);
  ASSERT_TRUE(r.violation);
  EXPECT_EQ(r.violation->property, "org-grant-covers-members");
  EXPECT_EQ(r.events, 0u);
}

void expect_build_error(const std::string& from, const std::string& to, int line, int col, const std::string& fragment) {
  std::string text = shipped_text();
  ASSERT_NE(text.find(from), std::string::npos) << from;
  text.replace(text.find(from), from.size(), to);
  try {
    const SimConfig c = parse_config(text, "bad.yaml");
    build_initial_org(c);
    FAIL() << "no error for " << to;
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.line, line) << e.formatted();
    EXPECT_EQ(e.col, col) << e.formatted();
    EXPECT_NE(e.formatted().find("bad.yaml:"), std::string::npos) << e.formatted();
    EXPECT_NE(e.formatted().find(fragment), std::string::npos) << e.formatted();
  }
}

TEST(SimStart, BadStartSectionsGetLocatedErrors) {
  // An account the file does not build (line 29: the first license).
  expect_build_error("owner: \"838202657455\", status: AVAILABLE", "owner: \"111122223333\", status: AVAILABLE", 29,
                     50, "unknown account 111122223333");
  expect_build_error("product: EC2-AMI-product, owner", "product: Gadget, owner", 29, 26, "unknown product 'Gadget'");
  expect_build_error("{as: eks-to-b, license: eks,", "{as: eks-to-b, license: nothing,", 40, 31,
                     "'nothing' is not an earlier license");
  expect_build_error("status: PENDING_ACCEPT", "status: PENDING", 40, 71, "unknown grant status 'PENDING'");
  expect_build_error("running: 3}", "running: 0}", 44, 71, "running must be a whole number from 1 to 255");
  expect_build_error("  workloads:\n", "  workload:\n", 41, 3, "unknown key 'workload'");
  // A second live child for one member (checked against the built world).
  expect_build_error("    - {as: eks-to-a,",
                     "    - {parent: org-ami, principal: \"210112843119\", status: ACTIVE, version: 2}\n    - {as: eks-to-a,",
                     39, 36, "already has a child");
  // Not a mapping: refused where the file is read.
  try {
    parse_config("name: t\nproducts: 2\nmix: {launch_workload: 1}\nstart: [1]\n", "bad.yaml");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.line, 4);
    EXPECT_EQ(e.col, 8);
  }
}

}  // namespace
}  // namespace entmc::sim
