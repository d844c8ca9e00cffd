// Rule 4: grants to an account: creation, acceptance, rejection, activation,
// renaming, deletion, versions and ClientToken idempotency.
#include "tests/model/fixture.h"

namespace entmc::test {
namespace {

TEST(GrantLifecycle, OnlyTheSubscriberGrantsAndAReceivedLicenseHasConsumptionRightsOnly) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  o.fails(create_grant(o.m2, l, o.m3), Reason::NotLicenseOwner);
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  EXPECT_EQ(o.grant(g).allowed_ops & kCreateGrantOp, 0);
  o.fails(create_grant(o.m1, l, o.m2), Reason::ConsumptionRightsOnly);
  EXPECT_EQ(code_of(Reason::ConsumptionRightsOnly), ErrorCode::AccessDeniedException);
  Call with_create = create_grant(o.mgmt, l, o.m2);
  with_create.allowed_ops = kCreateGrantOp | kCheckoutLicenseOp;
  o.fails(with_create, Reason::AllowedOpsCreateGrant);
  o.fails(create_grant(o.mgmt, l, o.mgmt), Reason::CannotGrantToSelf);
}

TEST(GrantLifecycle, ConsolidatedBillingGrantsWaitForAcceptance) {
  Org o(FeatureSet::CONSOLIDATED_BILLING);
  // "across every account that you plan to grant or receive licenses": both sides create the role
  o.ok(service(Op::CreateServiceLinkedRole, o.mgmt, Service::Marketplace));
  o.ok(service(Op::CreateServiceLinkedRole, o.m1, Service::Marketplace));
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  EXPECT_EQ(o.status(g), GrantStatus::PENDING_ACCEPT);
  EXPECT_EQ(o.grant(g).version, 1u);
  o.fails(activate(o.m1, g), Reason::GrantNotAccepted);
  o.fails(accept(o.m2, g), Reason::NotGrantRecipient);
  o.ok(accept(o.m1, g));
  EXPECT_EQ(o.status(g), GrantStatus::DISABLED);
  o.fails(accept(o.m1, g), Reason::GrantNotPendingAccept);
  o.ok(activate(o.m1, g));
  EXPECT_EQ(o.status(g), GrantStatus::ACTIVE);
  EXPECT_TRUE(entitled(o.w, o.m1, kAmi));
  EXPECT_EQ(o.grant(g).version, 3u);
}

TEST(GrantLifecycle, AllFeaturesWithLinkingAutoAcceptsAdministratorGrantsToMembersOnly) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  EXPECT_EQ(o.status(o.ok(create_grant(o.mgmt, l, o.m1))), GrantStatus::DISABLED);
  EXPECT_EQ(o.status(o.ok(create_grant(o.mgmt, l, o.outside))), GrantStatus::PENDING_ACCEPT);
  LicenseIx own = o.ok(subscribe(o.m2, kAmi));  // a member's grant is no administrator's
  EXPECT_EQ(o.status(o.ok(create_grant(o.m2, own, o.m3))), GrantStatus::PENDING_ACCEPT);
  o.ok(link_accounts(o.mgmt, false));
  EXPECT_EQ(o.status(o.ok(create_grant(o.mgmt, l, o.m3))), GrantStatus::PENDING_ACCEPT);
}

TEST(GrantLifecycle, RejectionIsTerminalFromPendingOrDisabledButNotFromActive) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  GrantIx pending = o.ok(create_grant(o.mgmt, l, o.outside));
  o.ok(reject(o.outside, pending));
  EXPECT_EQ(o.status(pending), GrantStatus::REJECTED);
  o.fails(accept(o.outside, pending), Reason::GrantTerminal);
  o.fails(activate(o.mgmt, pending), Reason::GrantTerminal);
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  o.ok(activate(o.m1, g));
  o.fails(reject(o.m1, g), Reason::GrantActiveCannotReject);
  o.ok(deactivate(o.mgmt, g));
  o.ok(reject(o.m1, g));
  o.fails(delete_grant(o.mgmt, g, o.grant(g).version), Reason::GrantTerminal);
  // The grantor can always create a new grant.
  GrantIx again = o.ok(create_grant(o.mgmt, l, o.m1));
  EXPECT_EQ(o.status(again), GrantStatus::DISABLED);
}

TEST(GrantLifecycle, AcceptAndActivateIsAtomic) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  LicenseIx other = o.ok(subscribe(o.m1, kAmi));
  o.ok(service(Op::CreateServiceLinkedRole, o.outside, Service::Marketplace));  // trusted access covers members only
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.outside));
  o.ok(accept_activate(o.outside, g));
  EXPECT_EQ(o.status(g), GrantStatus::ACTIVE);
  EXPECT_EQ(o.grant(g).version, 3u);  // accepted, then activated
  // Refused activation leaves the grant PENDING_ACCEPT.
  GrantIx h = o.ok(create_grant(o.m1, other, o.outside));
  o.fails(accept_activate(o.outside, h), Reason::OneActiveLicensePerProduct);
  EXPECT_EQ(o.status(h), GrantStatus::PENDING_ACCEPT);
}

TEST(GrantLifecycle, GrantorAndRecipientActivateAndDeactivateWithAStatusReason) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  o.fails(activate(o.m2, g), Reason::NotGrantorOrRecipient);
  o.ok(activate(o.mgmt, g));
  Call off = deactivate(o.m1, g);
  off.reason = o.n.intern_string("no longer needed");
  o.ok(off);
  EXPECT_EQ(o.status(g), GrantStatus::DISABLED);
  EXPECT_EQ(o.n.string(o.grant(g).status_reason), "no longer needed");
  Call why = on_grant(Op::CreateGrantVersion, o.mgmt, g);
  why.reason = o.n.intern_string("audit");
  o.ok(why);  // a status reason alone is a version
  EXPECT_EQ(o.grant(g).version, 4u);
  o.fails(on_grant(Op::CreateGrantVersion, o.mgmt, g), Reason::NothingToChange);
  o.fails(set_status(o.mgmt, g, GrantStatus::REJECTED), Reason::InvalidGrantStatus);
}

TEST(GrantLifecycle, OnlyTheGrantorRenames) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  StringId name = o.n.intern_string("team-a");
  o.fails(rename(o.m1, g, name), Reason::OnlyGrantorRenames);
  o.ok(rename(o.mgmt, g, name));
  EXPECT_EQ(o.grant(g).name, name);
  EXPECT_EQ(o.grant(g).version, 2u);
  EXPECT_EQ(o.status(g), GrantStatus::DISABLED);
}

TEST(GrantLifecycle, DeleteNeedsTheGrantorAndTheCurrentVersion) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  o.ok(activate(o.m1, g));
  o.fails(delete_grant(o.m1, g, 2), Reason::OnlyGrantorDeletes);
  o.fails(delete_grant(o.mgmt, g, 0), Reason::VersionRequired);
  o.fails(delete_grant(o.mgmt, g, 1), Reason::StaleVersion);
  EXPECT_EQ(code_of(Reason::StaleVersion), ErrorCode::ConflictException);
  o.ok(delete_grant(o.mgmt, g, 2));
  EXPECT_EQ(o.status(g), GrantStatus::DELETED);
  EXPECT_EQ(o.grant(g).version, 3u);
  EXPECT_FALSE(entitled(o.w, o.m1, kAmi));
  o.fails(activate(o.m1, g), Reason::GrantTerminal);
}

TEST(GrantLifecycle, AStaleSourceVersionIsRefused) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  o.ok(set_status(o.m1, g, GrantStatus::ACTIVE, ActivationOverride::NONE, 1));
  o.fails(set_status(o.m1, g, GrantStatus::DISABLED, ActivationOverride::NONE, 1), Reason::StaleVersion);
  o.ok(set_status(o.m1, g, GrantStatus::DISABLED, ActivationOverride::NONE, 2));
  EXPECT_EQ(o.grant(g).version, 3u);
}

TEST(GrantLifecycle, ARepeatedClientTokenReturnsTheFirstResultAndCreatesNothing) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  const TokenId t = 1;
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1, t));
  const uint64_t d = o.w.digest();
  EXPECT_EQ(o.ok(create_grant(o.mgmt, l, o.m1, t)), g);
  EXPECT_EQ(o.ok(create_grant(o.mgmt, l, o.m2, t)), g);  // the first result, whatever the parameters
  EXPECT_EQ(o.w.digest(), d);
  EXPECT_EQ(o.w.grants.size(), size_t(g) + 1);
  Call v = activate(o.m1, g);
  v.token = 2;
  o.ok(v);
  const uint32_t version = o.grant(g).version;
  o.ok(v);
  EXPECT_EQ(o.grant(g).version, version);
}

}  // namespace
}  // namespace entmc::test
