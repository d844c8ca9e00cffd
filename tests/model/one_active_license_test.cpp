// Rule 5: one active license per product and account; the override; an own
// subscription counts (the migration FAQ).
#include "tests/model/fixture.h"

namespace entmc::test {
namespace {

struct TwoGrants : ::testing::Test {
  Org o;
  LicenseIx from_mgmt = 0, from_m2 = 0;
  GrantIx a = 0, b = 0;
  void SetUp() override {
    from_mgmt = o.ok(subscribe(o.mgmt, kAmi));
    from_m2 = o.ok(subscribe(o.m2, kAmi));
    a = o.ok(create_grant(o.mgmt, from_mgmt, o.m1));
    b = o.ok(create_grant(o.m2, from_m2, o.m1));
    o.ok(accept(o.m1, b));
    o.ok(activate(o.m1, a));
  }
};

TEST_F(TwoGrants, ASecondActivationFailsWithTheSeedsMessage) {
  o.fails(activate(o.m1, b), Reason::OneActiveLicensePerProduct);
  EXPECT_NE(reason_message(Reason::OneActiveLicensePerProduct).find("one license active per product-account combination"), std::string_view::npos)
      << reason_message(Reason::OneActiveLicensePerProduct);
  EXPECT_EQ(active_license_count(o.w, o.m1, kAmi), 1);
  // Another product is independent.
  LicenseIx c = o.ok(subscribe(o.mgmt, kContainer));
  o.ok(activate(o.m1, o.ok(create_grant(o.mgmt, c, o.m1))));
}

TEST_F(TwoGrants, AllGrantsPermittedByIssuerDisablesTheOtherActiveGrant) {
  o.ok(activate(o.m1, b, ActivationOverride::ALL_GRANTS_PERMITTED_BY_ISSUER));
  EXPECT_EQ(o.status(b), GrantStatus::ACTIVE);
  EXPECT_EQ(o.status(a), GrantStatus::DISABLED);
  EXPECT_EQ(o.grant(a).status_reason, kReasonReplacedByOverride);
  EXPECT_EQ(active_license_count(o.w, o.m1, kAmi), 1);
}

TEST_F(TwoGrants, DistributedGrantsOnlyBehavesAsNoOverrideForOneAccount) {
  o.fails(activate(o.m1, b, ActivationOverride::DISTRIBUTED_GRANTS_ONLY), Reason::OneActiveLicensePerProduct);
}

TEST_F(TwoGrants, DeactivatingTheFirstFreesTheSlot) {
  o.ok(deactivate(o.m1, a));
  o.ok(activate(o.m1, b));
}

TEST(OneActiveLicense, AnOwnSubscriptionCountsAndEvenTheOverrideCannotReplaceIt) {
  Org o;
  LicenseIx mine = o.ok(subscribe(o.m1, kAmi));
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  o.fails(activate(o.m1, g), Reason::OneActiveLicensePerProduct);
  o.fails(activate(o.m1, g, ActivationOverride::ALL_GRANTS_PERMITTED_BY_ISSUER), Reason::OneActiveLicensePerProduct);
  // The migration FAQ: cancel the subscription, then activate the grant.
  o.ok(cancel(o.m1, mine));
  o.ok(activate(o.m1, g));
  EXPECT_TRUE(entitled(o.w, o.m1, kAmi));
}

// Delegated Administrator: "First, subscribe to the necessary products using
// your newly registered Delegated Administrator account" (which may hold an
// ACTIVE grant for the product); FAQ 2: the one-active check is at activation.
// A subscription made while a grant is ACTIVE is not a second active license:
// the grant stays the active one until it is no longer ACTIVE, then the
// subscription is, and it blocks re-activation like any own subscription.
TEST(OneActiveLicense, SubscribingWhileAGrantIsActiveWaitsBehindTheGrant) {
  Org o;
  const LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  const GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  o.ok(activate(o.m1, g));
  const LicenseIx mine = o.ok(subscribe(o.m1, kAmi));  // the fixture checks the invariant on every call
  EXPECT_EQ(o.license_status(mine), LicenseStatus::AVAILABLE);
  EXPECT_EQ(o.status(g), GrantStatus::ACTIVE);
  EXPECT_TRUE(entitled(o.w, o.m1, kAmi));
  o.fails(subscribe(o.m1, kAmi), Reason::OneActiveLicensePerProduct);  // one subscription per product
  // A second grant cannot join them, not even with the override (the subscription blocks).
  const LicenseIx l2 = o.ok(subscribe(o.m2, kAmi));
  const GrantIx g2 = o.ok(create_grant(o.m2, l2, o.m1));
  o.fails(accept_activate(o.m1, g2, ActivationOverride::ALL_GRANTS_PERMITTED_BY_ISSUER),
          Reason::OneActiveLicensePerProduct);
  o.ok(deactivate(o.m1, g));  // now the subscription is the active license
  EXPECT_TRUE(entitled(o.w, o.m1, kAmi));
  o.fails(activate(o.m1, g), Reason::OneActiveLicensePerProduct);
  o.ok(cancel(o.m1, mine));
  o.ok(activate(o.m1, g));
}

TEST(OneActiveLicense, AGrantOnAnUnavailableLicenseDoesNotCount) {
  Org o;
  LicenseIx l1 = o.ok(subscribe(o.mgmt, kAmi));
  LicenseIx l2 = o.ok(subscribe(o.m2, kAmi));
  GrantIx g1 = o.ok(create_grant(o.mgmt, l1, o.m1));
  GrantIx g2 = o.ok(create_grant(o.m2, l2, o.m1));
  o.ok(accept(o.m1, g2));
  o.ok(activate(o.m1, g1));
  o.ok(issuer_event(Op::ExpireLicense, l1));
  o.ok(activate(o.m1, g2));
  EXPECT_EQ(active_license_count(o.w, o.m1, kAmi), 1);
}

}  // namespace
}  // namespace entmc::test
