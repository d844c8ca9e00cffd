// Rule 6: grants to the organization ID: parent and children, bulk
// activation, individual and self activation, joiners and leavers.
#include "tests/model/fixture.h"

namespace entmc::test {
namespace {

struct OrgGrant : ::testing::Test {
  Org o;
  LicenseIx l = 0;
  GrantIx parent = 0;
  void SetUp() override {
    l = o.ok(subscribe(o.mgmt, kAmi));
    parent = o.ok(create_org_grant(o.mgmt, l));
  }
};

TEST_F(OrgGrant, AParentAndOneAutoAcceptedChildPerMemberButTheGrantor) {
  EXPECT_TRUE(o.grant(parent).is_org_parent());
  EXPECT_EQ(o.status(parent), GrantStatus::DISABLED);
  EXPECT_EQ(o.w.org_grants, std::vector<GrantIx>{parent});
  EXPECT_EQ(o.children_in(parent, GrantStatus::DISABLED), 3);
  for (AccountIx a : {o.m1, o.m2, o.m3}) {
    GrantIx c = o.child(parent, a);
    ASSERT_NE(c, kNone);
    EXPECT_EQ(o.grant(c).grantor, o.mgmt);
    EXPECT_EQ(o.grant(c).license, l);
  }
  EXPECT_EQ(o.child(parent, o.mgmt), kNone);
  EXPECT_EQ(o.child(parent, o.outside), kNone);
}

TEST_F(OrgGrant, OnlyAdministratorsOfAnAllFeaturesOrganizationGrantToIt) {
  LicenseIx own = o.ok(subscribe(o.m1, kContainer));
  o.fails(create_org_grant(o.m1, own), Reason::OrgGrantNeedsAdministrator);
  Org cb(FeatureSet::CONSOLIDATED_BILLING);
  cb.ok(service(Op::CreateServiceLinkedRole, cb.mgmt, Service::Marketplace));
  LicenseIx cl = cb.ok(subscribe(cb.mgmt, kAmi));
  cb.fails(create_org_grant(cb.mgmt, cl), Reason::OrgGrantNeedsAllFeatures);
}

TEST_F(OrgGrant, BulkActivationCompletesTheWorkflowAndSaysWhyAChildCouldNotActivate) {
  o.ok(subscribe(o.m2, kAmi));  // m2 already has an active license for the product
  o.ok(activate(o.mgmt, parent));
  EXPECT_EQ(o.status(parent), GrantStatus::WORKFLOW_COMPLETED);
  EXPECT_EQ(o.status(o.child(parent, o.m1)), GrantStatus::ACTIVE);
  EXPECT_EQ(o.status(o.child(parent, o.m3)), GrantStatus::ACTIVE);
  const Grant& blocked = o.grant(o.child(parent, o.m2));
  EXPECT_EQ(blocked.status, GrantStatus::DISABLED);
  EXPECT_EQ(blocked.status_reason, kReasonActivationFailedActiveLicense);
  EXPECT_EQ(blocked.version, 2u);
  // The reason is the seed's message ("Updating License status reason"), word
  // for word the one a direct activation of the same child fails with.
  EXPECT_EQ(o.n.string(blocked.status_reason),
            "Request failed. This account already has an active license for the same product from another "
            "subscription. Each account may only have one license active per product-account combination. You may "
            "need to cancel the subscription or deactivate the active license, then try again.");
  EXPECT_EQ(o.n.string(blocked.status_reason), reason_message(Reason::OneActiveLicensePerProduct));
  o.ok(deactivate(o.mgmt, parent));
  EXPECT_EQ(o.status(parent), GrantStatus::WORKFLOW_COMPLETED);
  EXPECT_EQ(o.children_in(parent, GrantStatus::ACTIVE), 0);
  EXPECT_EQ(o.children_in(parent, GrantStatus::DISABLED), 3);
}

TEST_F(OrgGrant, TheRecipientCannotBulkActivateTheParent) {
  o.fails(activate(o.m1, parent), Reason::NotGrantorOrRecipient);
  o.fails(accept(o.m1, parent), Reason::OrgParentHasNoRecipient);
}

TEST_F(OrgGrant, IndividualActivationByTheAdministratorAndSelfActivationByTheRecipient) {
  o.ok(activate(o.mgmt, o.child(parent, o.m1)));
  o.ok(activate(o.m2, o.child(parent, o.m2)));
  EXPECT_EQ(o.children_in(parent, GrantStatus::ACTIVE), 2);
  EXPECT_EQ(o.status(parent), GrantStatus::DISABLED);  // no bulk action happened
  o.fails(activate(o.m1, o.child(parent, o.m3)), Reason::NotGrantorOrRecipient);
}

TEST_F(OrgGrant, JoinersGetAnActiveChildAfterBulkActivationElseADisabledOne) {
  LicenseIx l2 = o.ok(subscribe(o.mgmt, kContainer));
  GrantIx quiet = o.ok(create_org_grant(o.mgmt, l2));
  o.ok(activate(o.mgmt, parent));
  o.ok(on_account(Op::InviteAccountToOrganization, o.mgmt, o.outside));
  o.ok(call(Op::AcceptHandshake, o.outside));
  EXPECT_EQ(o.status(o.child(parent, o.outside)), GrantStatus::ACTIVE);
  EXPECT_EQ(o.status(o.child(quiet, o.outside)), GrantStatus::DISABLED);
  EXPECT_TRUE(entitled(o.w, o.outside, kAmi));
}

TEST_F(OrgGrant, LeaversHaveTheirChildDisabledAndCannotActivateItAndRejoinersReuseIt) {
  o.ok(activate(o.mgmt, parent));
  GrantIx c = o.child(parent, o.m1);
  o.ok(call(Op::LeaveOrganization, o.m1));
  EXPECT_EQ(o.status(c), GrantStatus::DISABLED);
  EXPECT_EQ(o.grant(c).status_reason, kReasonAccountLeftOrganization);
  o.fails(activate(o.m1, c), Reason::NotOrgMember);
  o.ok(on_account(Op::InviteAccountToOrganization, o.mgmt, o.m1));
  o.ok(call(Op::AcceptHandshake, o.m1));
  EXPECT_EQ(o.child(parent, o.m1), c);
  EXPECT_EQ(o.status(c), GrantStatus::ACTIVE);  // bulk-activated: the rejoiner's child activates again
}

TEST_F(OrgGrant, DeletingTheParentDeletesItsChildrenAndAChildAloneCannotBeDeleted) {
  GrantIx c = o.child(parent, o.m1);
  o.fails(delete_grant(o.mgmt, c, o.grant(c).version), Reason::DeleteOrgChild);
  o.ok(delete_grant(o.mgmt, parent, o.grant(parent).version));
  EXPECT_EQ(o.status(parent), GrantStatus::DELETED);
  EXPECT_EQ(o.children_in(parent, GrantStatus::DELETED), 3);
  // Joiners get nothing from a deleted organization grant.
  o.ok(on_account(Op::InviteAccountToOrganization, o.mgmt, o.outside));
  o.ok(call(Op::AcceptHandshake, o.outside));
  EXPECT_EQ(o.child(parent, o.outside), kNone);
}

TEST_F(OrgGrant, ARecipientMayRejectItsChild) {
  GrantIx c = o.child(parent, o.m3);
  o.ok(reject(o.m3, c));
  EXPECT_EQ(o.status(c), GrantStatus::REJECTED);
  o.ok(activate(o.mgmt, parent));
  EXPECT_EQ(o.status(c), GrantStatus::REJECTED);
}

}  // namespace
}  // namespace entmc::test
