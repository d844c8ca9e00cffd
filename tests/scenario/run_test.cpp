// The step runner: outcomes against `fails:`, references resolved at run
// time, expectations, invariants after every step (with a buggy Rules variant
// to prove they are checked), and the diff printer's lines.
#include <gtest/gtest.h>

#include "model/changes_log.h"
#include "scenario/scenario_run.h"

namespace entmc {
namespace {

std::string with_steps(const std::string& steps) {
  return R"(name: run test
org:
  id: o-45889zf4mv
  feature_set: ALL
  management: "838202657455"
  members: ["776190005587", "753322148001"]
  outside: ["078848857584"]
  prerequisites: all
products:
  - {name: Widget, type: AMI}
steps:
  - Subscribe: {caller: "838202657455", product: Widget, as: lic}
)" + steps;
}

struct Ran {
  Scenario sc;
  std::unique_ptr<ScenarioRun> run;
};
Ran run(const std::string& steps, const Rules& rules = Rules::standard()) {
  Ran r{parse_scenario_text(with_steps(steps), "r.yaml"), nullptr};
  r.run = std::make_unique<ScenarioRun>(r.sc, rules);
  r.run->run_all();
  return r;
}

std::vector<StepFailure> failures(const ScenarioRun& run) {
  std::vector<StepFailure> out;
  for (const auto& r : run.reports()) out.insert(out.end(), r.failures.begin(), r.failures.end());
  return out;
}

TEST(Run, AGreenScenario) {
  auto r = run(R"(  - CreateGrant: {caller: "838202657455", license: lic, principal: "776190005587", name: G, as: g}
  - expect: {grant: g, status: DISABLED, version: 1}
  - CreateGrantVersion: {caller: "776190005587", grant: g, status: ACTIVE}
  - LaunchWorkload: {caller: "776190005587", product: Widget}
  - expect:
      - {grant: g, status: ACTIVE, version: 2}
      - {account: "776190005587", product: Widget, running: 1, can_launch: true}
      - {account: "753322148001", product: Widget, running: 0, can_launch: false}
      - {license: lic, status: AVAILABLE}
)");
  EXPECT_TRUE(r.run->ok());
  EXPECT_EQ(r.run->reports().size(), 7u);  // initial state + 6 steps
  EXPECT_EQ(r.run->calls().size(), 4u);
  const StepReport& activate = r.run->reports()[4];
  EXPECT_EQ(activate.call_text, "CreateGrantVersion by 776190005587: grant " + r.run->names().grant_label(0) +
                                    ", status ACTIVE");
  ASSERT_EQ(activate.changes.size(), 1u);
  EXPECT_EQ(activate.changes[0], "grant " + r.run->names().grant_label(0) +
                                     " (\"G\", 838202657455 -> 776190005587, Widget): status DISABLED -> ACTIVE, "
                                     "version 1 -> 2");
  EXPECT_EQ(r.run->reports()[5].changes, std::vector<std::string>{"workload 776190005587 Widget: running 0 -> 1"});
}

TEST(Run, AnUnexpectedFailureIsReported) {
  auto r = run("  - AcceptGrant: {caller: \"776190005587\", grant: g-00000000000000000000000000000000}\n");
  auto f = failures(*r.run);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, StepFailure::Kind::Reference);
  auto r2 = run("  - Subscribe: {caller: \"838202657455\", product: Widget}\n");  // one active license per product
  f = failures(*r2.run);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, StepFailure::Kind::Fails);
  EXPECT_NE(f[0].detail.find("ConflictException"), std::string::npos) << f[0].detail;
  EXPECT_FALSE(r2.run->reports().back().state.empty());  // the state is shown with the failure
}

TEST(Run, FailsMustMatchTheCode) {
  auto r = run("  - Subscribe: {caller: \"838202657455\", product: Widget, fails: AccessDeniedException}\n");
  auto f = failures(*r.run);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].what, "fails: AccessDeniedException");
  EXPECT_NE(f[0].detail.find("ConflictException"), std::string::npos);
  auto ok = run("  - Subscribe: {caller: \"776190005587\", product: Widget, fails: ConflictException}\n");
  f = failures(*ok.run);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].detail, "the call succeeded");
}

TEST(Run, AnAliasWhoseStepFailedNamesNothing) {
  // The grant to a GovCloud-less outside account works; to the management itself it does not.
  auto r = run(R"(  - CreateGrant: {caller: "838202657455", license: lic, principal: "838202657455", as: self}
  - AcceptGrant: {caller: "838202657455", grant: self}
)");
  auto f = failures(*r.run);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].kind, StepFailure::Kind::Fails);
  EXPECT_EQ(f[1].kind, StepFailure::Kind::Reference);
  EXPECT_NE(f[1].detail.find("alias 'self' names nothing"), std::string::npos);
}

TEST(Run, OrganizationChildrenByRecipient) {
  auto r = run(R"(  - CreateGrant: {caller: "838202657455", license: lic, principal: o-45889zf4mv, as: org}
  - CreateGrantVersion: {caller: "753322148001", grant: org, recipient: "753322148001", status: ACTIVE}
  - expect:
      - {grant: org, recipient: "753322148001", status: ACTIVE}
      - {grant: org, recipient: "776190005587", status: DISABLED}
      - {grant: org, children: {ACTIVE: 1, DISABLED: 1, REJECTED: 0}}
      - {grant: org, status: DISABLED}
  - CreateGrantVersion: {caller: "838202657455", grant: org, recipient: "078848857584", status: ACTIVE}
)");
  auto f = failures(*r.run);
  ASSERT_EQ(f.size(), 1u);  // the outside account has no child
  EXPECT_EQ(f[0].kind, StepFailure::Kind::Reference);
  EXPECT_NE(f[0].detail.find("has no child for account 078848857584"), std::string::npos) << f[0].detail;
}

TEST(Run, EveryKindOfExpectationCanFail) {
  auto r = run(R"(  - CreateGrant: {caller: "838202657455", license: lic, principal: o-45889zf4mv, as: org}
  - expect:
      - {grant: org, status: ACTIVE}
      - {grant: org, status_reason: why}
      - {grant: org, version: 7}
      - {grant: org, children: {ACTIVE: 2}}
      - {grant: org, recipient: "776190005587", status: ACTIVE}
      - {license: lic, status: DELETED}
      - {account: "838202657455", product: Widget, running: 1}
      - {account: "838202657455", product: Widget, can_launch: false}
      - {account: "078848857584", member: true}
      - {delegated_admin: "776190005587"}
)");
  auto f = failures(*r.run);
  ASSERT_EQ(f.size(), 10u);
  for (const auto& x : f) EXPECT_EQ(x.kind, StepFailure::Kind::Expectation) << x.what;
  EXPECT_EQ(f[0].what, "grant org status ACTIVE");
  EXPECT_EQ(f[0].detail, r.run->names().grant_label(0) + " is DISABLED");
  EXPECT_EQ(f[3].detail, r.run->names().grant_label(0) + " has 0 ACTIVE children");
  EXPECT_EQ(f[4].what, "grant org for 776190005587 status ACTIVE");
  EXPECT_EQ(f[8].detail, "the account is OUTSIDE");
  EXPECT_EQ(f[9].detail, "the delegated administrator is none");
  EXPECT_EQ(f[0].mark.line, 15);
}

// A test-only wrong rule: launches without looking at entitlements.
Outcome launch_anyway(World& w, const Call& c, Changes* ch) {
  mut::set_running(w, ch, c.caller, c.product, uint8_t(w.running_at(c.caller, c.product) + 1));
  return success();
}

TEST(Run, InvariantsAreCheckedAfterEveryStep) {
  Rules buggy = Rules::standard();
  buggy[Op::LaunchWorkload] = launch_anyway;
  auto r = run("  - LaunchWorkload: {caller: \"776190005587\", product: Widget}\n", buggy);
  auto f = failures(*r.run);
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0].kind, StepFailure::Kind::Invariant);
  EXPECT_EQ(f[0].what, "launch-requires-entitlement");
  EXPECT_EQ(r.run->reports().back().number, 2u);
  // The standard rules refuse the same launch, and nothing is violated.
  auto ok = run("  - LaunchWorkload: {caller: \"776190005587\", product: Widget, fails: AccessDeniedException}\n");
  EXPECT_TRUE(ok.run->ok());
}

TEST(Run, StepByStep) {
  Scenario sc = parse_scenario_text(with_steps("  - LaunchWorkload: {caller: \"838202657455\", product: Widget}\n"),
                                    "s.yaml");
  ScenarioRun run(sc);
  EXPECT_FALSE(run.finished());
  const std::string subscribed = run.step().outcome_text;
  EXPECT_EQ(subscribed, "ok: " + run.names().license_label(0));
  EXPECT_EQ(run.world().licenses.size(), 1u);
  EXPECT_EQ(run.step().outcome_text, "ok");
  EXPECT_TRUE(run.finished());
  EXPECT_EQ(run.world().running_at(0, 0), 1);
}

TEST(Describe, StateAndCalls) {
  auto r = run("  - CreateGrant: {caller: \"838202657455\", license: lic, principal: o-45889zf4mv, name: All}\n");
  std::string state = describe_state(r.run->world(), r.run->names());
  EXPECT_NE(state.find("organization o-45889zf4mv (ALL), management 838202657455"), std::string::npos) << state;
  EXPECT_NE(state.find("child of " + r.run->names().grant_label(0)), std::string::npos) << state;
  const StepReport& create = r.run->reports()[2];
  EXPECT_EQ(create.call_text, "CreateGrant by 838202657455: license " + r.run->names().license_label(0) +
                                  ", principal organization o-45889zf4mv, name \"All\"");
  ASSERT_EQ(create.changes.size(), 3u);  // the parent and two children
  EXPECT_EQ(create.changes[0], "grant " + r.run->names().grant_label(0) +
                                   " (\"All\", 838202657455 -> organization o-45889zf4mv, Widget): created, DISABLED, "
                                   "version 1");
}

}  // namespace
}  // namespace entmc
