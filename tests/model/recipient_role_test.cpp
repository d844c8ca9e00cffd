// The recipient's Marketplace service-linked role. Seed "Pre-requisite
// Permissions": "You will need to enable the service linked role for AWS
// Marketplace - License Management across every account that you plan to
// grant or receive licenses through managed entitlements"; the Note: trusted
// access "ensures that SLRs will be created for your organization's linked
// accounts as well".
#include "tests/model/fixture.h"

namespace entmc::test {
namespace {

TEST(RecipientRole, AnAccountWithoutTheRoleCannotAcceptOrActivateUntilItCreatesIt) {
  Org o;  // all features, trusted access for Marketplace: members hold the role, the outside account does not
  ASSERT_FALSE(has_marketplace_role(o.w, o.outside));
  const LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  const GrantIx g = o.ok(create_grant(o.mgmt, l, o.outside));  // the grantor's side is fine
  EXPECT_EQ(o.status(g), GrantStatus::PENDING_ACCEPT);
  o.fails(accept(o.outside, g), Reason::RecipientMissingMarketplaceRole);
  o.fails(accept_activate(o.outside, g), Reason::RecipientMissingMarketplaceRole);
  EXPECT_EQ(code_of(Reason::RecipientMissingMarketplaceRole), ErrorCode::AccessDeniedException);
  EXPECT_FALSE(entitled(o.w, o.outside, kAmi));
  o.ok(service(Op::CreateServiceLinkedRole, o.outside, Service::Marketplace));
  o.ok(accept_activate(o.outside, g));
  EXPECT_EQ(o.status(g), GrantStatus::ACTIVE);
  EXPECT_TRUE(entitled(o.w, o.outside, kAmi));
}

TEST(RecipientRole, AutoAcceptNeedsTheRecipientsRoleToo) {
  // All features and linking, but no trusted access for Marketplace: only
  // accounts that created the role themselves hold it.
  Org o(FeatureSet::ALL, /*prerequisites=*/false);
  for (AccountIx a : {o.mgmt, o.m1, o.m2}) o.ok(service(Op::CreateServiceLinkedRole, a, Service::LicenseManager));
  o.ok(service(Op::CreateServiceLinkedRole, o.mgmt, Service::LicenseManagerMaster));
  o.ok(service(Op::CreateServiceLinkedRole, o.mgmt, Service::Marketplace));
  o.ok(service(Op::CreateServiceLinkedRole, o.m2, Service::Marketplace));
  o.ok(link_accounts(o.mgmt));
  const LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  const GrantIx to_m1 = o.ok(create_grant(o.mgmt, l, o.m1));
  const GrantIx to_m2 = o.ok(create_grant(o.mgmt, l, o.m2));
  EXPECT_EQ(o.status(to_m1), GrantStatus::PENDING_ACCEPT);  // m1 has no Marketplace role: not auto-accepted
  EXPECT_EQ(o.status(to_m2), GrantStatus::DISABLED);        // m2 has its own: auto-accepted
  o.fails(accept(o.m1, to_m1), Reason::RecipientMissingMarketplaceRole);
  // Trusted access for Marketplace creates the role for every member.
  o.ok(service(Op::EnableAWSServiceAccess, o.mgmt, Service::Marketplace));
  o.ok(accept(o.m1, to_m1));
  o.ok(activate(o.mgmt, to_m1));  // the administrator activates on the recipient's behalf
  EXPECT_TRUE(entitled(o.w, o.m1, kAmi));
}

TEST(RecipientRole, TheGrantorCannotActivateForARecipientWithoutTheRole) {
  // Not reachable through calls (an accepted grant's recipient always held the
  // role, and keeps it), so the role is taken away by hand: the rule is the one
  // every activation shares (rules::activation_blocker).
  Org o(FeatureSet::CONSOLIDATED_BILLING);
  o.ok(service(Op::CreateServiceLinkedRole, o.mgmt, Service::Marketplace));
  o.ok(service(Op::CreateServiceLinkedRole, o.m1, Service::Marketplace));
  const LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  const GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  o.ok(accept(o.m1, g));
  o.w.accounts[o.m1].flags &= uint8_t(~kSlrMarketplace);
  o.fails(activate(o.mgmt, g), Reason::RecipientMissingMarketplaceRole);
  o.fails(activate(o.m1, g), Reason::RecipientMissingMarketplaceRole);
}

TEST(RecipientRole, ALeaverKeepsTheRoleTheOrganizationCreatedForIt) {
  Org o;  // the members' roles come from trusted access
  ASSERT_FALSE(o.w.accounts[o.m1].flags & kSlrMarketplace);
  const LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  const GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));  // to the account ID: survives leaving
  o.ok(activate(o.m1, g));
  o.ok(call(Op::LeaveOrganization, o.m1));
  EXPECT_TRUE(o.w.accounts[o.m1].flags & kSlrMarketplace);  // the role stays in the account
  EXPECT_TRUE(has_marketplace_role(o.w, o.m1));
  EXPECT_EQ(o.status(g), GrantStatus::ACTIVE);
  EXPECT_TRUE(entitled(o.w, o.m1, kAmi));
  // Creating it again is refused like any existing role.
  o.fails(service(Op::CreateServiceLinkedRole, o.m1, Service::Marketplace), Reason::RoleAlreadyExists);
}

TEST(RecipientRole, OrganizationChildrenAndJoinersHoldTheRoleThroughTrustedAccess) {
  Org o;
  const LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  const GrantIx parent = o.ok(create_org_grant(o.mgmt, l));
  o.ok(activate(o.mgmt, parent));
  o.ok(on_account(Op::InviteAccountToOrganization, o.mgmt, o.outside));
  o.ok(call(Op::AcceptHandshake, o.outside));
  for (AccountIx a : {o.m1, o.m2, o.m3, o.outside}) {
    EXPECT_EQ(o.status(o.child(parent, a)), GrantStatus::ACTIVE);
    EXPECT_TRUE(has_marketplace_role(o.w, a));
  }
}

}  // namespace
}  // namespace entmc::test
