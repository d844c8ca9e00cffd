// Rule 3: Subscribe, CancelSubscription (SaaS included), deactivation and expiry.
#include "tests/model/fixture.h"

namespace entmc::test {
namespace {

TEST(Subscriptions, SubscribeCreatesAnAvailableLicenseOwnedByTheSubscriberInUsEast1) {
  Org o;
  for (ProductIx p : {kAmi, kContainer, kSaas, kMl}) {
    LicenseIx l = o.ok(subscribe(o.m1, p));
    const License& lic = o.w.licenses[l];
    EXPECT_EQ(lic.owner, o.m1);
    EXPECT_EQ(lic.product, p);
    EXPECT_EQ(lic.status, LicenseStatus::AVAILABLE);
    EXPECT_EQ(lic.home_region, Region::us_east_1);
    EXPECT_TRUE(entitled(o.w, o.m1, p));
  }
  EXPECT_EQ(o.n.license_id(0).size(), 34u);
  EXPECT_EQ(o.n.license_id(0).substr(0, 2), "l-");
}

TEST(Subscriptions, AnAccountHoldsOneLiveSubscriptionPerProduct) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.m1, kAmi));
  o.fails(subscribe(o.m1, kAmi), Reason::OneActiveLicensePerProduct);
  o.ok(cancel(o.m1, l));
  o.ok(subscribe(o.m1, kAmi));
}

TEST(Subscriptions, CancelDeletesTheLicenseAndEveryGrantOnItButOnlyForTheOwner) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  GrantIx to_m1 = o.ok(create_grant(o.mgmt, l, o.m1));
  GrantIx to_out = o.ok(create_grant(o.mgmt, l, o.outside));
  GrantIx org_grant = o.ok(create_org_grant(o.mgmt, l));
  o.ok(activate(o.m1, to_m1));
  o.ok(reject(o.outside, to_out));
  o.fails(cancel(o.m1, l), Reason::NotLicenseOwner);
  o.ok(cancel(o.mgmt, l));
  EXPECT_EQ(o.license_status(l), LicenseStatus::DELETED);
  EXPECT_EQ(o.status(to_m1), GrantStatus::DELETED);
  EXPECT_EQ(o.grant(to_m1).status_reason, kReasonSubscriptionCancelled);
  EXPECT_EQ(o.status(to_out), GrantStatus::REJECTED);  // terminal stays terminal
  EXPECT_EQ(o.status(org_grant), GrantStatus::DELETED);
  EXPECT_EQ(o.children_in(org_grant, GrantStatus::DELETED), 3);
  EXPECT_FALSE(entitled(o.w, o.m1, kAmi));
  o.fails(cancel(o.mgmt, l), Reason::LicenseDeleted);
}

TEST(Subscriptions, SaasIsSubscribedAndCancelledButNeverDistributed) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.mgmt, kSaas));
  o.fails(create_grant(o.mgmt, l, o.m1), Reason::SaasNotDistributable);
  o.fails(create_org_grant(o.mgmt, l), Reason::SaasNotDistributable);
  o.ok(cancel(o.mgmt, l));
  EXPECT_EQ(o.license_status(l), LicenseStatus::DELETED);
}

TEST(Subscriptions, TheIssuerDeactivatesAndTermsExpire) {
  Org o;
  LicenseIx a = o.ok(subscribe(o.mgmt, kAmi));
  LicenseIx b = o.ok(subscribe(o.mgmt, kContainer));
  GrantIx g = o.ok(create_grant(o.mgmt, a, o.m1));
  o.ok(activate(o.m1, g));
  Call by_owner = issuer_event(Op::DeactivateLicense, a);
  by_owner.caller = o.mgmt;  // only the issuer deactivates
  o.fails(by_owner, Reason::NotIssuer);
  o.ok(issuer_event(Op::DeactivateLicense, a));
  o.ok(issuer_event(Op::ExpireLicense, b));
  EXPECT_EQ(o.license_status(a), LicenseStatus::DEACTIVATED);
  EXPECT_EQ(o.license_status(b), LicenseStatus::EXPIRED);
  EXPECT_EQ(o.status(g), GrantStatus::ACTIVE);  // the grant keeps its status but entitles nobody
  EXPECT_FALSE(entitled(o.w, o.m1, kAmi));
  EXPECT_FALSE(entitled(o.w, o.mgmt, kContainer));
  o.fails(issuer_event(Op::ExpireLicense, a), Reason::LicenseNotAvailable);
  o.fails(create_grant(o.mgmt, b, o.m2), Reason::LicenseNotAvailable);
  o.ok(deactivate(o.m1, g));
  o.fails(activate(o.m1, g), Reason::LicenseNotAvailable);
  // The owner may subscribe again: the old license no longer counts.
  o.ok(subscribe(o.mgmt, kAmi));
}

}  // namespace
}  // namespace entmc::test
