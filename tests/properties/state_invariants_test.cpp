// Every Always invariant catches a hand-built violating state (whole-state and
// local check) and passes the valid state it was built from.
#include "tests/properties/hand_built.h"

namespace entmc::test {
namespace {

// A valid organization with some of everything: an administrator's bulk-active
// organization grant, account grants, a SaaS subscription, running workloads.
struct StateInvariant : ::testing::Test {
  Org o;
  LicenseIx mgmt_ami = 0, admin_container = 0, saas = 0;
  GrantIx to_m2 = 0, to_outside = 0, parent = 0;
  void SetUp() override {
    o.ok(on_account(Op::RegisterDelegatedAdministrator, o.mgmt, o.m1));
    mgmt_ami = o.ok(subscribe(o.mgmt, kAmi));
    admin_container = o.ok(subscribe(o.m1, kContainer));
    saas = o.ok(subscribe(o.m2, kSaas));
    to_m2 = o.ok(create_grant(o.mgmt, mgmt_ami, o.m2));
    to_outside = o.ok(create_grant(o.mgmt, mgmt_ami, o.outside));
    o.ok(activate(o.m2, to_m2));
    parent = o.ok(create_org_grant(o.m1, admin_container));
    o.ok(activate(o.m1, parent));
    o.ok(workload(Op::LaunchWorkload, o.m2, kAmi));
    for (const Property& p : all_properties())
      if (p.kind == PropertyKind::Always) expect_holds(o, p.name);
  }
  GrantIx child(AccountIx a) const { return o.child(parent, a); }
};

TEST_F(StateInvariant, OneActiveLicensePerProduct) {
  HandBuilt h(o.w);
  mut::add_grant(h.after, &h.changes, [&] {  // a second ACTIVE AMI grant for m2
    Grant g = o.grant(to_m2);
    g.status = GrantStatus::ACTIVE;
    return g;
  }());
  expect_caught(h, o.n, "one-active-license-per-product");
  // m2 subscribes on top of its active grant: allowed (the subscription waits
  // behind the grant, docs/semantics.md); a second subscription is not.
  License lic;
  lic.owner = o.m2;
  lic.product = kAmi;
  HandBuilt sub(o.w);
  mut::add_license(sub.after, &sub.changes, lic);
  EXPECT_EQ(property("one-active-license-per-product").check_state(sub.after, o.n), std::nullopt);
  HandBuilt two(sub.after);
  mut::add_license(two.after, &two.changes, lic);
  expect_caught(two, o.n, "one-active-license-per-product");
}

TEST_F(StateInvariant, RecipientHasMarketplaceRole) {
  HandBuilt h(o.w);  // the outside account (no Marketplace role) has its grant activated
  mut::set_grant_status(h.after, &h.changes, to_outside, GrantStatus::ACTIVE, kReasonNone);
  expect_caught(h, o.n, "recipient-has-marketplace-role");
  HandBuilt left(o.w);  // m2 (role through trusted access, an ACTIVE grant) leaves and loses the role
  mut::account(left.after, &left.changes, o.m2).membership = Membership::OUTSIDE;
  expect_caught(left, o.n, "recipient-has-marketplace-role");
}

TEST_F(StateInvariant, DelegatedAdminGrantsNotTransferable) {
  HandBuilt h(o.w);
  mut::grant(h.after, &h.changes, parent).grantor = o.mgmt;  // the management account took over
  expect_caught(h, o.n, "delegated-admin-grants-not-transferable");
}

TEST_F(StateInvariant, DeregisteredAdminOrgGrantsDisabled) {
  HandBuilt h(o.w);  // deregistered, but its organization grant left as it was
  mut::org(h.after, &h.changes).delegated_admin = kNone;
  expect_caught(h, o.n, "deregistered-admin-org-grants-disabled");

  o.ok(on_account(Op::DeregisterDelegatedAdministrator, o.mgmt, o.m1));
  expect_holds(o, "deregistered-admin-org-grants-disabled");
  HandBuilt child_active(o.w);  // a child re-activated after deregistration
  mut::grant(child_active.after, &child_active.changes, child(o.m3)).status = GrantStatus::ACTIVE;
  expect_caught(child_active, o.n, "deregistered-admin-org-grants-disabled");
  HandBuilt parent_active(o.w);
  mut::grant(parent_active.after, &parent_active.changes, parent).status = GrantStatus::WORKFLOW_COMPLETED;
  expect_caught(parent_active, o.n, "deregistered-admin-org-grants-disabled");
}

TEST_F(StateInvariant, OrgGrantCoversMembers) {
  HandBuilt joined(o.w);  // joined without receiving a child
  mut::account(joined.after, &joined.changes, o.outside).membership = Membership::MEMBER;
  expect_caught(joined, o.n, "org-grant-covers-members");

  HandBuilt twice(o.w);  // a second live child for m2
  mut::add_grant(twice.after, &twice.changes, o.grant(child(o.m2)));
  expect_caught(twice, o.n, "org-grant-covers-members");

  o.ok(call(Op::LeaveOrganization, o.m3));
  expect_holds(o, "org-grant-covers-members");
  HandBuilt leaver(o.w);  // a leaver's child active again
  mut::grant(leaver.after, &leaver.changes, child(o.m3)).status = GrantStatus::ACTIVE;
  expect_caught(leaver, o.n, "org-grant-covers-members");

  HandBuilt undeleted(o.w);  // a new organization grant with no children
  Grant p = o.grant(parent);
  p.status = GrantStatus::DISABLED;
  mut::add_grant(undeleted.after, &undeleted.changes, p);
  expect_caught(undeleted, o.n, "org-grant-covers-members");
}

TEST_F(StateInvariant, ConsumptionRightsOnly) {
  HandBuilt ops(o.w);
  mut::grant(ops.after, &ops.changes, to_outside).allowed_ops |= kCreateGrantOp;
  expect_caught(ops, o.n, "consumption-rights-only");
  HandBuilt regrant(o.w);  // m2 grants the license it received
  Grant g = o.grant(to_m2);
  g.grantor = o.m2;
  g.grantee = o.m3;
  g.status = GrantStatus::PENDING_ACCEPT;
  g.version = 1;
  mut::add_grant(regrant.after, &regrant.changes, g);
  expect_caught(regrant, o.n, "consumption-rights-only");
}

TEST_F(StateInvariant, SaasNotDistributable) {
  HandBuilt h(o.w);
  Grant g;
  g.license = saas;
  g.grantor = o.m2;
  g.grantee = o.m3;
  mut::add_grant(h.after, &h.changes, g);
  expect_caught(h, o.n, "saas-not-distributable");
}

TEST_F(StateInvariant, DeletedLicenseHasNoActiveGrant) {
  HandBuilt h(o.w);  // cancelled without deleting the grants
  mut::license(h.after, &h.changes, mgmt_ami).status = LicenseStatus::DELETED;
  expect_caught(h, o.n, "deleted-license-has-no-active-grant");
  o.ok(cancel(o.mgmt, mgmt_ami));
  expect_holds(o, "deleted-license-has-no-active-grant");
  HandBuilt revived(o.w);  // a pending grant left on the deleted license
  mut::grant(revived.after, &revived.changes, to_outside).status = GrantStatus::PENDING_ACCEPT;
  expect_caught(revived, o.n, "deleted-license-has-no-active-grant");
}

TEST_F(StateInvariant, OrgGrantsNeedAllFeatures) {
  HandBuilt h(o.w);
  mut::org(h.after, &h.changes).feature_set = FeatureSet::CONSOLIDATED_BILLING;
  expect_caught(h, o.n, "org-grants-need-all-features");
}

TEST_F(StateInvariant, HomeRegionOnly) {
  HandBuilt lic(o.w);
  mut::license(lic.after, &lic.changes, saas).home_region = Region::eu_west_1;
  expect_caught(lic, o.n, "home-region-only");
  HandBuilt grant(o.w);
  mut::grant(grant.after, &grant.changes, to_m2).home_region = Region::us_west_2;
  expect_caught(grant, o.n, "home-region-only");
}

TEST_F(StateInvariant, GovCloudMirrorsCommercial) {
  HandBuilt received(o.w);
  Grant g = o.grant(to_outside);
  g.grantee = o.gov;
  g.version = 1;
  mut::add_grant(received.after, &received.changes, g);
  expect_caught(received, o.n, "govcloud-mirrors-commercial");
  HandBuilt unlinked(o.w);
  mut::account(unlinked.after, &unlinked.changes, o.gov).govcloud_link = o.gov;
  expect_caught(unlinked, o.n, "govcloud-mirrors-commercial");
  HandBuilt owner(o.w);
  License lic;
  lic.owner = o.gov;
  lic.product = kMl;
  mut::add_license(owner.after, &owner.changes, lic);
  expect_caught(owner, o.n, "govcloud-mirrors-commercial");
}

}  // namespace
}  // namespace entmc::test
