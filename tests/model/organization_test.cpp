// Rule 1: the organization, joining and leaving.
#include "tests/model/fixture.h"

namespace entmc::test {
namespace {

TEST(Organization, InvitedAccountJoinsWhenItAcceptsTheHandshake) {
  Org o;
  o.fails(call(Op::AcceptHandshake, o.outside), Reason::NoOpenHandshake);
  o.fails(on_account(Op::InviteAccountToOrganization, o.m1, o.outside), Reason::NotManagementAccount);
  o.ok(on_account(Op::InviteAccountToOrganization, o.mgmt, o.outside));
  EXPECT_FALSE(o.w.is_member(o.outside));
  o.fails(on_account(Op::InviteAccountToOrganization, o.mgmt, o.outside), Reason::AlreadyInvited);
  o.ok(call(Op::AcceptHandshake, o.outside));
  EXPECT_EQ(o.w.accounts[o.outside].membership, Membership::MEMBER);
  o.fails(on_account(Op::InviteAccountToOrganization, o.mgmt, o.m1), Reason::AlreadyMember);
}

TEST(Organization, MembersLeaveOrAreRemovedButTheManagementAccountCannotLeave) {
  Org o;
  o.ok(call(Op::LeaveOrganization, o.m1));
  EXPECT_FALSE(o.w.is_member(o.m1));
  o.fails(call(Op::LeaveOrganization, o.m1), Reason::NotMember);
  o.fails(on_account(Op::RemoveAccountFromOrganization, o.m3, o.m2), Reason::NotManagementAccount);
  o.ok(on_account(Op::RemoveAccountFromOrganization, o.mgmt, o.m2));
  EXPECT_FALSE(o.w.is_member(o.m2));
  o.fails(call(Op::LeaveOrganization, o.mgmt), Reason::ManagementCannotLeave);
  EXPECT_EQ(code_of(Reason::ManagementCannotLeave), ErrorCode::MasterCannotLeaveOrganizationException);
  o.fails(on_account(Op::RemoveAccountFromOrganization, o.mgmt, o.mgmt), Reason::ManagementCannotLeave);
}

TEST(Organization, ALeaverCanBeInvitedBack) {
  Org o;
  o.ok(call(Op::LeaveOrganization, o.m1));
  o.ok(on_account(Op::InviteAccountToOrganization, o.mgmt, o.m1));
  o.ok(call(Op::AcceptHandshake, o.m1));
  EXPECT_TRUE(o.w.is_member(o.m1));
}

TEST(Organization, ConsolidatedBillingBecomesAllFeaturesOnceOnly) {
  Org o(FeatureSet::CONSOLIDATED_BILLING);
  o.fails(call(Op::EnableAllFeatures, o.m1), Reason::NotManagementAccount);
  o.ok(call(Op::EnableAllFeatures, o.mgmt));
  EXPECT_EQ(o.w.org.feature_set, FeatureSet::ALL);
  o.fails(call(Op::EnableAllFeatures, o.mgmt), Reason::AlreadyAllFeatures);
}

}  // namespace
}  // namespace entmc::test
