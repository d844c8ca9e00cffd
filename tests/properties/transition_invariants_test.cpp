// Every transition invariant (and the transition half of the Always ones)
// catches a hand-built violating transition and passes the real one, with the
// previous World and from Changes alone (as the simulator checks).
#include "tests/properties/hand_built.h"

namespace entmc::test {
namespace {

struct TransitionInvariant : ::testing::Test {
  Org o;
  LicenseIx mgmt_ami = 0, admin_container = 0;
  GrantIx to_m2 = 0, rejected = 0, parent = 0;
  void SetUp() override {
    o.ok(on_account(Op::RegisterDelegatedAdministrator, o.mgmt, o.m1));
    mgmt_ami = o.ok(subscribe(o.mgmt, kAmi));
    admin_container = o.ok(subscribe(o.m1, kContainer));
    to_m2 = o.ok(create_grant(o.mgmt, mgmt_ami, o.m2));
    rejected = o.ok(create_grant(o.mgmt, mgmt_ami, o.outside));
    o.ok(reject(o.outside, rejected));
    o.ok(activate(o.m2, to_m2));
    parent = o.ok(create_org_grant(o.m1, admin_container));
    o.ok(workload(Op::LaunchWorkload, o.m2, kAmi));
  }
  // The real transition of `c`, which every property must pass.
  void expect_real_passes(const Call& c, std::string_view name) {
    HandBuilt h(o.w);
    Outcome out = apply(h.after, c, &h.changes);
    expect_transition(h, o.n, name, c, out, false);
  }
};

TEST_F(TransitionInvariant, TerminalGrantStates) {
  const Call c = activate(o.outside, rejected);
  HandBuilt h(o.w);
  Grant& g = mut::grant(h.after, &h.changes, rejected);
  g.status = GrantStatus::ACTIVE;
  ++g.version;
  expect_transition(h, o.n, "terminal-grant-states", c, success(rejected), true);
  expect_real_passes(c, "terminal-grant-states");  // the model refuses it
  expect_real_passes(delete_grant(o.mgmt, to_m2, o.grant(to_m2).version), "terminal-grant-states");
}

// FAQ 2: an own AVAILABLE subscription is the active license until it is cancelled.
TEST_F(TransitionInvariant, OneActiveLicensePerProductActivationWaitsForTheSubscription) {
  const GrantIx g = o.ok(create_grant(o.mgmt, mgmt_ami, o.m3));
  o.ok(subscribe(o.m3, kAmi));
  const Call c = activate(o.m3, g);
  HandBuilt h(o.w);  // activated on top of the subscription
  mut::set_grant_status(h.after, &h.changes, g, GrantStatus::ACTIVE, kReasonNone);
  expect_transition(h, o.n, "one-active-license-per-product", c, success(g), true);
  expect_real_passes(c, "one-active-license-per-product");  // the model refuses it
  // Subscribing while the grant is ACTIVE is not an activation: it passes.
  const GrantIx to_m1 = o.ok(create_grant(o.mgmt, mgmt_ami, o.m1));
  o.ok(activate(o.m1, to_m1));
  expect_real_passes(subscribe(o.m1, kAmi), "one-active-license-per-product");
}

TEST_F(TransitionInvariant, WorkloadsSurviveLicenseActions) {
  const Call del = delete_grant(o.mgmt, to_m2, o.grant(to_m2).version);
  HandBuilt h(o.w);  // deleting the grant stops the workload
  ASSERT_TRUE(apply(h.after, del, &h.changes).ok());
  mut::set_running(h.after, &h.changes, o.m2, kAmi, 0);
  expect_transition(h, o.n, "workloads-survive-license-actions", del, success(), true);
  expect_real_passes(del, "workloads-survive-license-actions");

  const Call other = workload(Op::StopWorkload, o.m3, kAmi);  // another account stops it
  HandBuilt s(o.w);
  mut::set_running(s.after, &s.changes, o.m2, kAmi, 0);
  expect_transition(s, o.n, "workloads-survive-license-actions", other, success(), true);

  o.ok(workload(Op::LaunchWorkload, o.m2, kAmi));
  const Call stop = workload(Op::StopWorkload, o.m2, kAmi);
  HandBuilt two(o.w);  // one stop, two workloads gone
  mut::set_running(two.after, &two.changes, o.m2, kAmi, 0);
  expect_transition(two, o.n, "workloads-survive-license-actions", stop, success(), true);
  expect_real_passes(stop, "workloads-survive-license-actions");
}

TEST_F(TransitionInvariant, LaunchRequiresEntitlement) {
  const Call c = workload(Op::LaunchWorkload, o.m3, kAmi);
  HandBuilt h(o.w);
  mut::set_running(h.after, &h.changes, o.m3, kAmi, 1);
  expect_transition(h, o.n, "launch-requires-entitlement", c, success(), true);
  expect_real_passes(c, "launch-requires-entitlement");  // refused by the model
  expect_real_passes(workload(Op::LaunchWorkload, o.m2, kAmi), "launch-requires-entitlement");
}

TEST_F(TransitionInvariant, DelegatedAdminGrantsNotTransferable) {
  const Call c = activate(o.mgmt, parent);  // the management account bulk-activates the administrator's grant
  HandBuilt h(o.w);
  Grant& g = mut::grant(h.after, &h.changes, parent);
  g.status = GrantStatus::WORKFLOW_COMPLETED;
  ++g.version;
  expect_transition(h, o.n, "delegated-admin-grants-not-transferable", c, success(parent), true);
  expect_real_passes(c, "delegated-admin-grants-not-transferable");
  expect_real_passes(activate(o.m1, parent), "delegated-admin-grants-not-transferable");
  expect_real_passes(activate(o.mgmt, o.child(parent, o.mgmt)), "delegated-admin-grants-not-transferable");
}

TEST_F(TransitionInvariant, OrgGrantsNeedAllFeaturesAtCreation) {
  LicenseIx own = o.ok(subscribe(o.m2, kMl));
  const Call c = create_org_grant(o.m2, own);  // a member that is no administrator
  HandBuilt h(o.w);
  Grant p;
  p.license = own;
  p.grantor = o.m2;
  p.flags = kOrgParent;
  p.status = GrantStatus::DISABLED;
  GrantIx g = mut::add_grant(h.after, &h.changes, p);
  expect_transition(h, o.n, "org-grants-need-all-features", c, success(g), true);
  expect_real_passes(c, "org-grants-need-all-features");
  expect_real_passes(create_org_grant(o.mgmt, mgmt_ami), "org-grants-need-all-features");
}

TEST_F(TransitionInvariant, FailedCallChangesNothing) {
  const Call c = set_status(o.m2, to_m2, GrantStatus::DISABLED, ActivationOverride::NONE, 1);
  HandBuilt h(o.w);  // refused as stale, yet deactivated
  Grant& g = mut::grant(h.after, &h.changes, to_m2);
  g.status = GrantStatus::DISABLED;
  ++g.version;
  expect_transition(h, o.n, "failed-call-changes-nothing", c, fail(Reason::StaleVersion), true);
  expect_real_passes(c, "failed-call-changes-nothing");
  // A change the rule did not log is seen only with the previous World.
  HandBuilt unlogged(o.w);
  unlogged.after.grants[to_m2].status = GrantStatus::DISABLED;
  const Property& p = *find_property("failed-call-changes-nothing", PropertyKind::Transition);
  EXPECT_TRUE(p.check_transition(Transition{&unlogged.before, unlogged.after, c, fail(Reason::StaleVersion),
                                            unlogged.changes},
                                 o.n));
}

TEST_F(TransitionInvariant, GrantVersionMonotonic) {
  const Call c = deactivate(o.m2, to_m2);
  HandBuilt same(o.w);  // changed without a new version
  mut::grant(same.after, &same.changes, to_m2).status = GrantStatus::DISABLED;
  expect_transition(same, o.n, "grant-version-monotonic", c, success(to_m2), true);
  HandBuilt down(o.w);
  Grant& g = mut::grant(down.after, &down.changes, to_m2);
  g.status = GrantStatus::DISABLED;
  g.version = 1;
  expect_transition(down, o.n, "grant-version-monotonic", c, success(to_m2), true);
  HandBuilt born_old(o.w);
  Grant fresh = o.grant(to_m2);
  fresh.grantee = o.m3;
  fresh.status = GrantStatus::DISABLED;
  fresh.version = 5;
  GrantIx created = mut::add_grant(born_old.after, &born_old.changes, fresh);
  expect_transition(born_old, o.n, "grant-version-monotonic", create_grant(o.mgmt, mgmt_ami, o.m3),
                    success(created), true);
  expect_real_passes(c, "grant-version-monotonic");
  expect_real_passes(activate(o.m1, parent), "grant-version-monotonic");
  expect_real_passes(create_grant(o.mgmt, mgmt_ami, o.m3), "grant-version-monotonic");
}

TEST_F(TransitionInvariant, HomeRegionOnlyForLicenseManagerCalls) {
  Call c = create_grant(o.mgmt, mgmt_ami, o.m3);
  c.region = Region::eu_west_1;
  HandBuilt h(o.w);
  Grant g = o.grant(to_m2);
  g.grantee = o.m3;
  g.status = GrantStatus::DISABLED;
  g.version = 1;
  GrantIx created = mut::add_grant(h.after, &h.changes, g);
  expect_transition(h, o.n, "home-region-only", c, success(created), true);
  expect_real_passes(c, "home-region-only");  // refused by the model
  Call sub = subscribe(o.m3, kMl);
  sub.region = Region::eu_west_1;  // Marketplace is no License Manager call
  expect_real_passes(sub, "home-region-only");
}

TEST_F(TransitionInvariant, GovCloudLaunchMirrorsTheCommercialAccount) {
  const Call wrong_region = workload(Op::LaunchWorkload, o.gov, kContainer, Region::us_east_1);
  HandBuilt h(o.w);
  mut::set_running(h.after, &h.changes, o.gov, kContainer, 1);
  expect_transition(h, o.n, "govcloud-mirrors-commercial", wrong_region, success(), true);
  expect_real_passes(wrong_region, "govcloud-mirrors-commercial");

  const Call unentitled = workload(Op::LaunchWorkload, o.gov, kAmi, Region::us_gov_west_1);  // m1 has no AMI
  HandBuilt u(o.w);
  mut::set_running(u.after, &u.changes, o.gov, kAmi, 1);
  expect_transition(u, o.n, "govcloud-mirrors-commercial", unentitled, success(), true);
  expect_real_passes(unentitled, "govcloud-mirrors-commercial");
  expect_real_passes(workload(Op::LaunchWorkload, o.gov, kContainer, Region::us_gov_west_1),
                     "govcloud-mirrors-commercial");
}

// The frame conditions, given the previous World, skip the record-by-record
// search for stray changes where an array is byte-equal before and after (the
// explorer's every successful call): a change the rule did not log, to an
// account, a license or a client token, must still be found.
TEST_F(TransitionInvariant, FrameSeesUnloggedStrayChanges) {
  const Call c = deactivate(o.m2, to_m2);
  const Property& p = *find_property("frame-grant-calls", PropertyKind::Transition);
  auto judged = [&](void (*stray)(World&, const TransitionInvariant&)) {
    HandBuilt h(o.w);
    const Outcome out = apply(h.after, c, &h.changes);
    EXPECT_TRUE(out.ok());
    EXPECT_EQ(p.check_transition(Transition{&h.before, h.after, c, out, h.changes}, o.n), std::nullopt);
    stray(h.after, *this);  // not logged
    return p.check_transition(Transition{&h.before, h.after, c, out, h.changes}, o.n);
  };
  auto account = judged([](World& w, const TransitionInvariant& f) { w.accounts[f.o.outside].flags ^= kSlrMarketplace; });
  ASSERT_TRUE(account.has_value());
  EXPECT_NE(account->find("no business touching"), std::string::npos) << *account;
  auto license = judged([](World& w, const TransitionInvariant& f) {
    w.licenses[f.admin_container].status = LicenseStatus::DEACTIVATED;
  });
  ASSERT_TRUE(license.has_value());
  EXPECT_NE(license->find("no business touching"), std::string::npos) << *license;
  auto token = judged([](World& w, const TransitionInvariant&) {
    if (w.tokens.size() < 2) w.tokens.resize(2);
    w.tokens[1] = TokenRecord{0, 1};
  });
  ASSERT_TRUE(token.has_value());
  EXPECT_NE(token->find("client token"), std::string::npos) << *token;
}

}  // namespace
}  // namespace entmc::test
