// The round trip for every invariant: a planted bug (tests/support: one rule
// swapped for a wrong one, never a switch in the product) lets the
// explorer find a violation; its trace, written as a scenario, is parsed back
// and replayed with the same rules, and the replay fails on the same
// invariant at its last step, and nowhere before.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "engine/check_input.h"
#include "engine/explorer.h"
#include "planted_rules.h"
#include "scenario/scenario_run.h"

namespace entmc::engine {
namespace {

struct Case {
  const char* property;
  const char* bug;     // planted_rules.h
  const char* org;     // the org section body
  const char* product;  // product type
  const char* bounds;  // the bounds section body
};

constexpr const char* kAll = R"(  id: o-roundtrip01
  feature_set: ALL
  management: "111111111111"
  members: ["222222222222"]
  outside: ["444444444444"]
  prerequisites: all)";

const Case kCases[] = {
    {"terminal-grant-states", "rejected-grant-reacceptable", kAll, "AMI",
     "operations: [Subscribe, CreateGrant, RejectGrant, AcceptGrant]"},
    {"workloads-survive-license-actions", "cancel-stops-workloads", kAll, "AMI",
     "operations: [Subscribe, LaunchWorkload, CancelSubscription]"},
    {"launch-requires-entitlement", "launch-unchecked", kAll, "AMI",
     "operations: [LaunchWorkload]"},
    {"one-active-license-per-product", "accept-activate-unchecked", kAll, "AMI",
     "operations: [Subscribe, CreateGrant, AcceptAndActivateGrant]"},
    {"delegated-admin-grants-not-transferable", "management-deletes-others-grants", kAll, "AMI",
     "operations: [RegisterDelegatedAdministrator, Subscribe, CreateGrant, DeleteGrant]\n  principals: [outside]"},
    {"deregistered-admin-org-grants-disabled", "deregister-keeps-org-grants",
     R"(  id: o-roundtrip01
  feature_set: ALL
  management: "111111111111"
  members: ["222222222222", "333333333333"]
  prerequisites: all)",
     "AMI",
     "operations: [RegisterDelegatedAdministrator, Subscribe, CreateGrant, CreateGrantVersion, "
     "DeregisterDelegatedAdministrator]\n  principals: [organization]\n  statuses: [ACTIVE]"},
    {"org-grant-covers-members", "joiner-without-org-child", kAll, "AMI",
     "operations: [Subscribe, CreateGrant, InviteAccountToOrganization, AcceptHandshake]\n  principals: [organization]"},
    {"consumption-rights-only", "grant-with-create-grant", kAll, "AMI",
     "operations: [Subscribe, CreateGrant]\n  allowed_operations: [with_create_grant]"},
    {"saas-not-distributable", "saas-license-grantable", kAll, "SAAS", "operations: [Subscribe, CreateGrant]"},
    {"deleted-license-has-no-active-grant", "cancel-keeps-grants", kAll, "AMI",
     "operations: [Subscribe, CreateGrant, CancelSubscription]"},
    {"org-grants-need-all-features", "org-grant-any-feature-set",
     R"(  id: o-roundtrip01
  feature_set: CONSOLIDATED_BILLING
  management: "111111111111"
  members: ["222222222222"]
  prerequisites: [service_linked_roles])",
     "AMI", "operations: [Subscribe, CreateGrant]\n  principals: [organization]"},
    {"failed-call-changes-nothing", "stop-then-fail", kAll, "AMI",
     "operations: [Subscribe, LaunchWorkload, StopWorkload]"},
    {"grant-version-monotonic", "accept-keeps-version", kAll, "AMI",
     "operations: [Subscribe, CreateGrant, AcceptGrant]"},
    {"home-region-only", "subscribe-in-call-region", kAll, "AMI",
     "operations: [Subscribe]\n  regions: [us-east-1, eu-west-1]"},
    {"govcloud-mirrors-commercial", "grant-to-govcloud",
     R"(  id: o-roundtrip01
  feature_set: ALL
  management: "111111111111"
  members: ["222222222222"]
  govcloud: {"555555555555": "222222222222"}
  prerequisites: all)",
     "AMI", "operations: [Subscribe, CreateGrant]"},
    {"frame-grant-calls", "accept-all-pending", kAll, "AMI",
     "operations: [Subscribe, CreateGrant, AcceptGrant]\n  principals: [outside]"},
    {"frame-license-calls", "cancel-deletes-received-grants", kAll, "AMI",
     "operations: [Subscribe, CreateGrant, CancelSubscription]"},
    {"frame-organization-calls", "leave-disables-account-grants", kAll, "AMI",
     "operations: [Subscribe, CreateGrant, CreateGrantVersion, LeaveOrganization]\n  statuses: [ACTIVE]"},
    {"frame-workload-calls", "launch-counts-commercial",
     R"(  id: o-roundtrip01
  feature_set: ALL
  management: "111111111111"
  members: ["222222222222"]
  govcloud: {"555555555555": "222222222222"}
  prerequisites: all)",
     "AMI", "operations: [Subscribe, LaunchWorkload]\n  regions: [us-east-1, us-gov-west-1]"},
    {"birth-states", "grant-always-auto-accepted", kAll, "AMI",
     "operations: [Subscribe, CreateGrant]\n  principals: [outside]"},
    {"recipient-has-marketplace-role", "skip-recipient-role",
     R"(  id: o-roundtrip01
  feature_set: CONSOLIDATED_BILLING
  management: "111111111111"
  members: ["222222222222"]
  outside: ["444444444444"]
  prerequisites:
    - {account: "111111111111", roles: [license-manager, marketplace]}
    - {account: "444444444444", roles: [license-manager]})",
     "AMI", "operations: [Subscribe, CreateGrant, AcceptAndActivateGrant]\n  principals: [outside]"},
    {"call-preconditions", "master-role-anywhere", kAll, "AMI", "operations: [CreateServiceLinkedRole]"},
    {"refusal-reasons", "delete-refusal-says-stale", kAll, "AMI",
     "operations: [Subscribe, CreateGrant, DeleteGrant]\n  principals: [outside]"},
};

// Explore the case's model under its planted bug, write the violation's
// trace, and replay it into the same invariant; the standard rules hold it.
void round_trip(const Case& c) {
  const Rules& buggy = planted::planted_bug(c.bug).rules;
  ASSERT_EQ(planted::planted_bug(c.bug).property, c.property);
  const std::string text = fmt::format(
      "name: round trip {}\norg:\n{}\nproducts:\n  - {{name: Widget, type: {}}}\nbounds:\n  {}\n  max_licenses: 2\n"
      "  max_grants: 3\n  max_running: 1\n  max_grant_version: 4\n",
      c.property, c.org, c.product, c.bounds);
  const CheckInput in = load_check_text(text, "round-trip.yaml", buggy);
  ExploreOptions o;
  for (const Property& p : all_properties())  // a property may have a state and a transition entry
    if (p.name == c.property) o.properties.push_back(&p);
  ASSERT_FALSE(o.properties.empty());
  const ExploreResult r = explore(in.start, in.scenario.names, in.bounds, buggy, o);
  ASSERT_EQ(r.stop, ExploreResult::Stop::Violation) << text;
  ASSERT_EQ(r.violations.size(), 1u);
  const ViolationReport& v = r.violations[0];
  EXPECT_EQ(v.property, c.property);
  ASSERT_TRUE(v.trace_ok);
  ASSERT_FALSE(v.trace.steps.empty());

  // Without the bug the same bounds hold this property.
  const ExploreResult fixed = explore(in.start, in.scenario.names, in.bounds, Rules::standard(), o);
  EXPECT_EQ(fixed.stop, ExploreResult::Stop::Exhausted) << c.property;

  const std::string trace = trace_scenario(in, v, buggy);
  const Scenario sc = parse_scenario_text(trace, "trace.yaml");
  ASSERT_EQ(sc.steps.size(), v.trace.steps.size()) << trace;
  ScenarioRun run(sc, buggy);
  run.run_all();
  const auto& reports = run.reports();
  ASSERT_EQ(reports.size(), sc.steps.size() + 1);
  for (size_t i = 0; i + 1 < reports.size(); ++i) EXPECT_TRUE(reports[i].ok()) << "step " << i << "\n" << trace;
  bool same = false;
  for (const StepFailure& f : reports.back().failures)
    same |= f.kind == StepFailure::Kind::Invariant && f.what == c.property;
  EXPECT_TRUE(same) << trace;
}

class RoundTrip : public ::testing::TestWithParam<Case> {};

TEST_P(RoundTrip, ViolationTraceReplaysIntoTheSameInvariant) { round_trip(GetParam()); }

// A second refusal-reasons case (the cases above are named by property): an
// organization-ID grant in a consolidated-billing organization refused for
// the trusted access that cannot exist there, not for all features.
TEST(RoundTripRefusalOrder, OrgGrantRefusedForAllFeaturesFirst) {
  round_trip({"refusal-reasons", "org-grant-refusal-says-trusted-access",
              R"(  id: o-roundtrip01
  feature_set: CONSOLIDATED_BILLING
  management: "111111111111"
  members: ["222222222222"]
  prerequisites: all)",
              "AMI", "operations: [Subscribe, CreateGrant]"});
}

INSTANTIATE_TEST_SUITE_P(EveryInvariant, RoundTrip, ::testing::ValuesIn(kCases),
                         [](const auto& param_info) {
                           std::string n = param_info.param.property;
                           for (char& ch : n)
                             if (ch == '-') ch = '_';
                           return n;
                         });

TEST(RoundTripCoverage, EveryAlwaysAndTransitionPropertyHasACase) {
  for (const Property& p : all_properties()) {
    if (p.kind == PropertyKind::Sometimes) continue;
    bool found = false;
    for (const Case& c : kCases) found |= p.name == c.property;
    EXPECT_TRUE(found) << p.name;
  }
}

}  // namespace
}  // namespace entmc::engine
