// Rule 7: the delegated administrator: registration rules, distribution,
// non-transferability, deregistration and the management -> admin transition.
#include "tests/model/fixture.h"

namespace entmc::test {
namespace {

Call register_admin(const Org& o, AccountIx a) { return on_account(Op::RegisterDelegatedAdministrator, o.mgmt, a); }
Call deregister_admin(const Org& o, AccountIx a) {
  return on_account(Op::DeregisterDelegatedAdministrator, o.mgmt, a);
}

TEST(DelegatedAdmin, RegistrationRules) {
  Org o;
  o.fails(on_account(Op::RegisterDelegatedAdministrator, o.m1, o.m2), Reason::NotManagementAccount);
  o.fails(register_admin(o, o.outside), Reason::AdminMustBeMember);
  o.fails(register_admin(o, o.mgmt), Reason::AdminMustBeMember);
  o.ok(register_admin(o, o.m1));
  EXPECT_EQ(o.w.org.delegated_admin, o.m1);
  o.fails(register_admin(o, o.m1), Reason::AlreadyDelegatedAdmin);
  EXPECT_EQ(code_of(Reason::AlreadyDelegatedAdmin), ErrorCode::AccountAlreadyRegisteredException);
  o.fails(register_admin(o, o.m2), Reason::OneDelegatedAdmin);
  o.fails(deregister_admin(o, o.m2), Reason::NotDelegatedAdmin);
  o.fails(call(Op::LeaveOrganization, o.m1), Reason::DeregisterAdminFirst);
  o.ok(deregister_admin(o, o.m1));
  o.ok(register_admin(o, o.m2));

  Org cb(FeatureSet::CONSOLIDATED_BILLING);
  cb.fails(register_admin(cb, cb.m1), Reason::NeedsAllFeatures);
  Org bare(FeatureSet::ALL, false);
  bare.fails(register_admin(bare, bare.m1), Reason::TrustedAccessRequired);
}

struct WithAdmin : ::testing::Test {
  Org o;
  LicenseIx mine = 0, theirs = 0;  // the management account's and the administrator's subscriptions
  GrantIx mgmt_org = 0, admin_org = 0, admin_to_outside = 0;
  void SetUp() override {
    o.ok(register_admin(o, o.m1));
    mine = o.ok(subscribe(o.mgmt, kAmi));
    theirs = o.ok(subscribe(o.m1, kContainer));
    mgmt_org = o.ok(create_org_grant(o.mgmt, mine));
    admin_org = o.ok(create_org_grant(o.m1, theirs));
    admin_to_outside = o.ok(create_grant(o.m1, theirs, o.outside));
  }
};

TEST_F(WithAdmin, TheAdministratorDistributesLikeTheManagementAccount) {
  GrantIx to_m2 = o.ok(create_grant(o.m1, theirs, o.m2));
  EXPECT_EQ(o.status(to_m2), GrantStatus::DISABLED);  // auto-accepted
  // Every member but the grantor gets a child, the management account included.
  EXPECT_NE(o.child(admin_org, o.mgmt), kNone);
  EXPECT_EQ(o.child(admin_org, o.m1), kNone);
  EXPECT_EQ(o.children_in(admin_org, GrantStatus::DISABLED), 3);
  o.ok(activate(o.m1, admin_org));
  EXPECT_EQ(o.status(admin_org), GrantStatus::WORKFLOW_COMPLETED);
  EXPECT_TRUE(entitled(o.w, o.mgmt, kContainer));
}

TEST_F(WithAdmin, EachAccountManagesOnlyTheLicensesItSubscribedTo) {
  o.fails(activate(o.mgmt, admin_org), Reason::NotGrantorOrRecipient);
  o.fails(delete_grant(o.mgmt, admin_org, 1), Reason::OnlyGrantorDeletes);
  o.fails(create_grant(o.mgmt, theirs, o.m2), Reason::ConsumptionRightsOnly);  // mgmt holds a child of theirs
  o.fails(activate(o.m1, mgmt_org), Reason::NotGrantorOrRecipient);
  o.fails(rename(o.m1, mgmt_org, o.n.intern_string("mine now")), Reason::OnlyGrantorRenames);
  o.fails(create_grant(o.m1, mine, o.m2), Reason::ConsumptionRightsOnly);  // m1 holds a child of mine
}

TEST_F(WithAdmin, DeregisteringDisablesOrgDistributionsAndKeepsAccountDistributions) {
  o.ok(activate(o.m1, admin_org));
  o.ok(service(Op::CreateServiceLinkedRole, o.outside, Service::Marketplace));  // a recipient needs it too
  o.ok(accept_activate(o.outside, admin_to_outside));
  o.ok(workload(Op::LaunchWorkload, o.m2, kContainer));
  o.ok(deregister_admin(o, o.m1));
  EXPECT_EQ(o.status(admin_org), GrantStatus::DISABLED);
  EXPECT_EQ(o.grant(admin_org).status_reason, kReasonDelegatedAdminDeregistered);
  EXPECT_EQ(o.children_in(admin_org, GrantStatus::ACTIVE), 0);
  EXPECT_EQ(o.grant(o.child(admin_org, o.m2)).status_reason, kReasonDelegatedAdminDeregistered);
  EXPECT_EQ(o.status(admin_to_outside), GrantStatus::ACTIVE);  // account-ID distribution as it was
  EXPECT_EQ(o.w.running_at(o.m2, kContainer), 1);         // workloads keep running
  // The former administrator no longer manages its organization distribution...
  o.fails(activate(o.m1, admin_org), Reason::NotCurrentOrgAdministrator);
  o.fails(delete_grant(o.m1, admin_org, o.grant(admin_org).version), Reason::NotCurrentOrgAdministrator);
  o.fails(activate(o.m2, o.child(admin_org, o.m2)), Reason::OrgDistributionDisabled);
  o.fails(create_org_grant(o.m1, theirs), Reason::OrgGrantNeedsAdministrator);
  // ...but still its account grants, and it can cancel its subscription.
  o.ok(deactivate(o.m1, admin_to_outside));
  o.ok(cancel(o.m1, theirs));
  EXPECT_EQ(o.status(admin_org), GrantStatus::DELETED);
}

TEST_F(WithAdmin, ANewAdministratorCannotManageTheFormerOnesDistributions) {
  o.ok(deregister_admin(o, o.m1));
  o.ok(register_admin(o, o.m2));
  o.fails(activate(o.m2, admin_org), Reason::NotGrantorOrRecipient);
  o.fails(delete_grant(o.m2, admin_org, o.grant(admin_org).version), Reason::OnlyGrantorDeletes);
  // Re-registering the former administrator gives it back its distribution.
  o.ok(deregister_admin(o, o.m2));
  o.ok(register_admin(o, o.m1));
  o.ok(activate(o.m1, admin_org));
  EXPECT_EQ(o.children_in(admin_org, GrantStatus::ACTIVE), 3);
}

// The seed's transition from the management account to an administrator:
// the administrator subscribes and distributes; activating its distribution
// with ALL_GRANTS_PERMITTED_BY_ISSUER disables the old one; the old one can
// be kept, revoked, or its subscription cancelled; workloads keep running.
TEST(DelegatedAdmin, TransitionFromTheManagementAccountToTheAdministrator) {
  Org o;
  LicenseIx old_license = o.ok(subscribe(o.mgmt, kAmi));
  GrantIx old_org = o.ok(create_org_grant(o.mgmt, old_license));
  o.ok(activate(o.mgmt, old_org));
  o.ok(workload(Op::LaunchWorkload, o.m2, kAmi));
  o.ok(register_admin(o, o.m1));
  // The administrator holds an ACTIVE child for the product; "First, subscribe" succeeds as it is.
  EXPECT_EQ(o.status(o.child(old_org, o.m1)), GrantStatus::ACTIVE);
  LicenseIx new_license = o.ok(subscribe(o.m1, kAmi));
  EXPECT_EQ(o.status(o.child(old_org, o.m1)), GrantStatus::ACTIVE);
  GrantIx new_org = o.ok(create_org_grant(o.m1, new_license));
  o.ok(set_status(o.m1, new_org, GrantStatus::ACTIVE, ActivationOverride::ALL_GRANTS_PERMITTED_BY_ISSUER));
  for (AccountIx a : {o.m2, o.m3}) {
    EXPECT_EQ(o.status(o.child(new_org, a)), GrantStatus::ACTIVE);
    EXPECT_EQ(o.status(o.child(old_org, a)), GrantStatus::DISABLED);
    EXPECT_EQ(o.grant(o.child(old_org, a)).status_reason, kReasonReplacedByOverride);
  }
  // The management account still owns its AVAILABLE subscription: its child cannot activate, and says why.
  EXPECT_EQ(o.status(o.child(new_org, o.mgmt)), GrantStatus::DISABLED);
  EXPECT_EQ(o.grant(o.child(new_org, o.mgmt)).status_reason, kReasonActivationFailedActiveLicense);
  EXPECT_EQ(o.w.running_at(o.m2, kAmi), 1);
  // Option 2: revoke the old distribution; option 3: cancel the old subscription.
  Org keep = o;
  o.ok(delete_grant(o.mgmt, old_org, o.grant(old_org).version));
  EXPECT_EQ(o.status(old_org), GrantStatus::DELETED);
  keep.ok(cancel(keep.mgmt, old_license));
  EXPECT_EQ(keep.status(old_org), GrantStatus::DELETED);
  EXPECT_EQ(keep.status(keep.child(new_org, keep.m2)), GrantStatus::ACTIVE);
  EXPECT_EQ(keep.w.running_at(keep.m2, kAmi), 1);
  keep.ok(activate(keep.mgmt, keep.child(new_org, keep.mgmt)));  // now the management account can switch too
}

}  // namespace
}  // namespace entmc::test
