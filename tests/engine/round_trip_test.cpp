// The round trip for every invariant: a test-only buggy variant of the rules
// (one rule swapped for a wrong one, never a switch in the product) lets the
// explorer find a violation; its trace, written as a scenario, is parsed back
// and replayed with the same rules, and the replay fails on the same
// invariant at its last step, and nowhere before.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "engine/check_input.h"
#include "engine/explorer.h"
#include "model/changes_log.h"
#include "model/rules.h"
#include "scenario/scenario_run.h"

namespace entmc::engine {
namespace {

// --- buggy rules: wrappers around the standard ones ---

Outcome accept_rejected_too(World& w, const Call& c, Changes* ch) {
  const Grant& g = w.grants[c.grant];
  if (g.status == GrantStatus::REJECTED && g.grantee == c.caller) {
    mut::set_grant_status(w, ch, c.grant, GrantStatus::DISABLED, kReasonNone);
    return success();
  }
  return rules::accept_grant(w, c, ch);
}
Outcome cancel_stops_workloads(World& w, const Call& c, Changes* ch) {
  Outcome o = rules::cancel_subscription(w, c, ch);
  if (o.ok()) mut::set_running(w, ch, c.caller, w.licenses[c.license].product, 0);
  return o;
}
Outcome launch_unchecked(World& w, const Call& c, Changes* ch) {
  mut::set_running(w, ch, c.caller, c.product, uint8_t(w.running_at(c.caller, c.product) + 1));
  return success();
}
Outcome accept_activate_unchecked(World& w, const Call& c, Changes* ch) {
  const Grant& g = w.grants[c.grant];
  if (g.grantee != c.caller || g.status != GrantStatus::PENDING_ACCEPT) return fail(Reason::GrantNotPendingAccept);
  mut::set_grant_status(w, ch, c.grant, GrantStatus::DISABLED, kReasonNone);
  mut::set_grant_status(w, ch, c.grant, GrantStatus::ACTIVE, kReasonNone);
  return success();
}
Outcome deregister_keeps_org_grants(World& w, const Call& c, Changes* ch) {
  if (c.caller != w.org.management) return fail(Reason::NotManagementAccount);
  if (w.org.delegated_admin != c.account || c.account == kNone) return fail(Reason::NotDelegatedAdmin);
  mut::org(w, ch).delegated_admin = kNone;
  return success();
}
Outcome join_without_children(World& w, const Call& c, Changes* ch) {
  const Account& acc = w.accounts[c.caller];
  if (!(acc.flags & kInvited) || acc.membership != Membership::OUTSIDE) return fail(Reason::NoOpenHandshake);
  Account& m = mut::account(w, ch, c.caller);
  m.flags &= uint8_t(~kInvited);
  m.membership = Membership::MEMBER;
  return success();
}
Outcome grant_with_create_grant(World& w, const Call& c, Changes* ch) {
  Call plain = c;
  plain.allowed_ops = uint8_t(c.allowed_ops & ~kCreateGrantOp);
  Outcome o = rules::create_grant(w, plain, ch);
  if (o.ok() && (c.allowed_ops & kCreateGrantOp)) mut::grant(w, ch, o.created).allowed_ops |= kCreateGrantOp;
  return o;
}
Outcome grant_saas(World& w, const Call& c, Changes* ch) {
  const std::vector<ProductType> saved = w.products;
  for (auto& p : w.products) p = ProductType::AMI;
  Outcome o = rules::create_grant(w, c, ch);
  w.products = saved;
  return o;
}
Outcome cancel_keeps_grants(World& w, const Call& c, Changes* ch) {
  const License& lic = w.licenses[c.license];
  if (lic.owner != c.caller) return fail(Reason::NotLicenseOwner);
  if (lic.status == LicenseStatus::DELETED) return fail(Reason::LicenseDeleted);
  mut::license(w, ch, c.license).status = LicenseStatus::DELETED;
  return success();
}
Outcome org_grant_any_feature_set(World& w, const Call& c, Changes* ch) {
  const Organization saved = w.org;
  w.org.feature_set = FeatureSet::ALL;
  w.org.flags |= kTrustedLicenseManager | kTrustedMarketplace | kLinkedAccounts;
  Outcome o = rules::create_grant(w, c, ch);
  w.org.feature_set = saved.feature_set;
  w.org.flags = saved.flags;
  return o;
}
Outcome stop_and_fail(World& w, const Call& c, Changes* ch) {
  Outcome o = rules::stop_workload(w, c, ch);
  return o.ok() ? fail(Reason::NoRunningWorkload) : o;
}
Outcome accept_keeps_version(World& w, const Call& c, Changes* ch) {
  Outcome o = rules::accept_grant(w, c, ch);
  if (o.ok()) mut::grant(w, ch, c.grant).version -= 1;
  return o;
}
Outcome subscribe_in_call_region(World& w, const Call& c, Changes* ch) {
  Outcome o = rules::subscribe(w, c, ch);
  if (o.ok()) mut::license(w, ch, o.created).home_region = c.region;
  return o;
}
Outcome grant_to_govcloud(World& w, const Call& c, Changes* ch) {
  const bool gov = !c.to_org && c.account < w.accounts.size() && (w.accounts[c.account].flags & kGovCloud);
  if (gov) w.accounts[c.account].flags &= uint8_t(~kGovCloud);
  Outcome o = rules::create_grant(w, c, ch);
  if (gov) w.accounts[c.account].flags |= kGovCloud;
  return o;
}
Outcome deletes_others_grants(World& w, const Call& c, Changes* ch) {
  // DeleteGrant by anyone who administers the organization, not only the grantor.
  const Grant& g = w.grants[c.grant];
  if (c.caller != g.grantor && c.caller == w.org.management && !is_terminal(g.status) && c.version == g.version &&
      !g.is_org_child()) {
    mut::set_grant_status(w, ch, c.grant, GrantStatus::DELETED, c.reason);
    return success();
  }
  return rules::delete_grant(w, c, ch);
}

struct Case {
  const char* property;
  Op op;
  RuleFn rule;
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
    {"terminal-grant-states", Op::AcceptGrant, accept_rejected_too, kAll, "AMI",
     "operations: [Subscribe, CreateGrant, RejectGrant, AcceptGrant]"},
    {"workloads-survive-license-actions", Op::CancelSubscription, cancel_stops_workloads, kAll, "AMI",
     "operations: [Subscribe, LaunchWorkload, CancelSubscription]"},
    {"launch-requires-entitlement", Op::LaunchWorkload, launch_unchecked, kAll, "AMI",
     "operations: [LaunchWorkload]"},
    {"one-active-license-per-product", Op::AcceptAndActivateGrant, accept_activate_unchecked, kAll, "AMI",
     "operations: [Subscribe, CreateGrant, AcceptAndActivateGrant]"},
    {"delegated-admin-grants-not-transferable", Op::DeleteGrant, deletes_others_grants, kAll, "AMI",
     "operations: [RegisterDelegatedAdministrator, Subscribe, CreateGrant, DeleteGrant]\n  principals: [outside]"},
    {"deregistered-admin-org-grants-disabled", Op::DeregisterDelegatedAdministrator, deregister_keeps_org_grants,
     R"(  id: o-roundtrip01
  feature_set: ALL
  management: "111111111111"
  members: ["222222222222", "333333333333"]
  prerequisites: all)",
     "AMI",
     "operations: [RegisterDelegatedAdministrator, Subscribe, CreateGrant, CreateGrantVersion, "
     "DeregisterDelegatedAdministrator]\n  principals: [organization]\n  statuses: [ACTIVE]"},
    {"org-grant-covers-members", Op::AcceptHandshake, join_without_children, kAll, "AMI",
     "operations: [Subscribe, CreateGrant, InviteAccountToOrganization, AcceptHandshake]\n  principals: [organization]"},
    {"consumption-rights-only", Op::CreateGrant, grant_with_create_grant, kAll, "AMI",
     "operations: [Subscribe, CreateGrant]\n  allowed_operations: [with_create_grant]"},
    {"saas-not-distributable", Op::CreateGrant, grant_saas, kAll, "SAAS", "operations: [Subscribe, CreateGrant]"},
    {"deleted-license-has-no-active-grant", Op::CancelSubscription, cancel_keeps_grants, kAll, "AMI",
     "operations: [Subscribe, CreateGrant, CancelSubscription]"},
    {"org-grants-need-all-features", Op::CreateGrant, org_grant_any_feature_set,
     R"(  id: o-roundtrip01
  feature_set: CONSOLIDATED_BILLING
  management: "111111111111"
  members: ["222222222222"]
  prerequisites: [service_linked_roles])",
     "AMI", "operations: [Subscribe, CreateGrant]\n  principals: [organization]"},
    {"failed-call-changes-nothing", Op::StopWorkload, stop_and_fail, kAll, "AMI",
     "operations: [Subscribe, LaunchWorkload, StopWorkload]"},
    {"grant-version-monotonic", Op::AcceptGrant, accept_keeps_version, kAll, "AMI",
     "operations: [Subscribe, CreateGrant, AcceptGrant]"},
    {"home-region-only", Op::Subscribe, subscribe_in_call_region, kAll, "AMI",
     "operations: [Subscribe]\n  regions: [us-east-1, eu-west-1]"},
    {"govcloud-mirrors-commercial", Op::CreateGrant, grant_to_govcloud,
     R"(  id: o-roundtrip01
  feature_set: ALL
  management: "111111111111"
  members: ["222222222222"]
  govcloud: {"555555555555": "222222222222"}
  prerequisites: all)",
     "AMI", "operations: [Subscribe, CreateGrant]"},
};

class RoundTrip : public ::testing::TestWithParam<Case> {};

TEST_P(RoundTrip, ViolationTraceReplaysIntoTheSameInvariant) {
  const Case& c = GetParam();
  Rules buggy = Rules::standard();
  buggy[c.op] = c.rule;
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
