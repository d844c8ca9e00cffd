// The World's side table and fingerprint.
#include "model/changes_log.h"
#include "tests/model/fixture.h"

namespace entmc::test {
namespace {

TEST(Names, TheFirstStringsAreTheSystemReasonsInOrder) {
  Names n;
  ASSERT_GE(n.string_count(), size_t(kFirstUserString));
  EXPECT_EQ(n.string(kReasonNone), "");
  EXPECT_NE(n.string(kReasonSubscriptionCancelled).find("cancelled"), std::string::npos);
  EXPECT_NE(n.string(kReasonAccountLeftOrganization).find("left the organization"), std::string::npos);
  EXPECT_NE(n.string(kReasonDelegatedAdminDeregistered).find("deregistered"), std::string::npos);
  EXPECT_NE(n.string(kReasonReplacedByOverride).find("ALL_GRANTS_PERMITTED_BY_ISSUER"), std::string::npos);
  EXPECT_NE(n.string(kReasonActivationFailedActiveLicense).find("active license"), std::string::npos);
  EXPECT_NE(n.string(kReasonActivationFailedLicenseUnavailable).find("cannot be activated"), std::string::npos);
  EXPECT_EQ(n.string_count(), size_t(kFirstUserString));
  EXPECT_EQ(n.intern_string("a user reason"), kFirstUserString);
  EXPECT_EQ(n.intern_string(n.string(kReasonAccountLeftOrganization)), kReasonAccountLeftOrganization);
}

TEST(Names, IdsLookLikeAwsAndAreDeterministic) {
  Names a, b;
  a.id_seed = b.id_seed = 42;
  EXPECT_EQ(a.grant_id(3), b.grant_id(3));
  EXPECT_NE(a.grant_id(3), a.grant_id(4));
  EXPECT_EQ(a.grant_id(3).size(), 34u);
  EXPECT_EQ(a.grant_id(3).substr(0, 2), "g-");
  EXPECT_TRUE(is_account_id("123456789012"));
  EXPECT_FALSE(is_account_id("12345678901a"));
  EXPECT_TRUE(is_organization_id("o-exampleorg1"));
  EXPECT_FALSE(is_organization_id("o-EXAMPLE"));
}

World small_world() {
  World w = make_world(FeatureSet::ALL, {ProductType::AMI, ProductType::SAAS}, 2);
  add_account(w, Membership::MANAGEMENT);
  add_account(w, Membership::MEMBER, kSlrLicenseManager);
  add_account(w, Membership::OUTSIDE, kGovCloud, 1);
  return w;
}

TEST(World, DigestIsPinnedForAFixedSmallWorld) {
  // A change here means the state encoding changed: every stored fingerprint
  // (explorer results, pinned state counts) changes with it.
  EXPECT_EQ(small_world().digest(), 0x125c2157b8b7e18full) << std::hex << small_world().digest();
}

TEST(World, DigestFollowsEquality) {
  World a = small_world(), b = small_world();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.digest(), b.digest());
  b.accounts[1].flags |= kSlrMarketplace;
  EXPECT_NE(a.digest(), b.digest());
  Org o;
  Org p = o;
  o.ok(subscribe(o.m1, kAmi));
  EXPECT_NE(o.w.digest(), p.w.digest());
  p.ok(subscribe(p.m1, kAmi));
  EXPECT_EQ(o.w.digest(), p.w.digest());
}

// What a call changed, by kind of record: a new grant is kGrantCreated, a
// status change of an existing one kGrantStatusChange alone (the checks of
// identities skip it), and an identity changed in place (never in the model)
// counts as created, so those checks run.
TEST(World, ChangeKindsSeparateNewGrantsFromStatusChanges) {
  Org o;
  const LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  Changes ch;
  ch.begin(o.w);
  const Outcome created = apply(o.w, create_grant(o.mgmt, l, o.outside), &ch, Rules::standard());
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(ch.kinds(o.w) & kGrantChange, kGrantCreated);
  EXPECT_TRUE(ch.kinds(o.w) & kLicenseChange);  // the license's list of grants
  const GrantIx g = created.created;

  o.ok(service(Op::CreateServiceLinkedRole, o.outside, Service::Marketplace));  // a recipient needs it too
  ch.begin(o.w);
  ASSERT_TRUE(apply(o.w, accept(o.outside, g), &ch, Rules::standard()).ok());
  EXPECT_EQ(ch.kinds(o.w), kGrantStatusChange);
  EXPECT_FALSE(ch.empty(o.w));

  for (auto change : std::vector<void (*)(Grant&)>{
           [](Grant& gr) { gr.grantor += 1; }, [](Grant& gr) { gr.grantee += 1; },
           [](Grant& gr) { gr.license += 1; }, [](Grant& gr) { gr.parent = 0; },
           [](Grant& gr) { gr.allowed_ops = 0; }, [](Grant& gr) { gr.home_region = Region::us_west_2; },
           [](Grant& gr) { gr.flags |= kOrgParent; }}) {
    World w = o.w;
    ch.begin(w);
    change(mut::grant(w, &ch, g));
    EXPECT_EQ(ch.kinds(w), kGrantChange) << "an identity changed in place counts as a new grant";
  }
  World w = o.w;
  ch.begin(w);
  mut::grant(w, &ch, g).flags |= kBulkActive;
  mut::grant(w, &ch, g).name = 7;
  EXPECT_EQ(ch.kinds(w), kGrantStatusChange);

  ch.begin(o.w);
  EXPECT_EQ(ch.kinds(o.w), 0);
  EXPECT_TRUE(ch.empty(o.w));
}

// The consistency check of a list index (World::first_received,
// World::first_owned) holds on `w` and catches a wrong head and a wrong link;
// the index is not the state: equality and the digest leave it out.
template <typename BreakHead, typename BreakLink>
void expect_list_index_checked(const World& w, bool (*consistent)(const World&),
                               std::vector<uint32_t> World::*heads, BreakHead break_head, BreakLink break_link) {
  EXPECT_TRUE(consistent(w));
  World bad = w;
  break_head(bad);
  EXPECT_FALSE(consistent(bad));
  bad = w;
  break_link(bad);
  EXPECT_FALSE(consistent(bad));
  bad = w;
  (bad.*heads)[0] = 3;
  EXPECT_EQ(bad, w);
  EXPECT_EQ(bad.digest(), w.digest());
}

// Received grants are listed per (account, product), newest first: the rules'
// and invariants' walks read one product's list; every list together is every
// grant the account received.
TEST(World, ReceivedGrantsAreListedPerProduct) {
  Org o;
  const LicenseIx ami = o.ok(subscribe(o.mgmt, kAmi));
  const LicenseIx container = o.ok(subscribe(o.mgmt, kContainer));
  const GrantIx g_ami = o.ok(create_grant(o.mgmt, ami, o.m1));
  const GrantIx g_container = o.ok(create_grant(o.mgmt, container, o.m1));
  const GrantIx g_ami2 = o.ok(create_grant(o.mgmt, ami, o.m2));
  auto listed = [&](AccountIx a, ProductIx p) {
    std::vector<GrantIx> v;
    for_each_received_for(o.w, a, p, [&](GrantIx g) { v.push_back(g); });
    return v;
  };
  EXPECT_EQ(listed(o.m1, kAmi), std::vector<GrantIx>{g_ami});
  EXPECT_EQ(listed(o.m1, kContainer), std::vector<GrantIx>{g_container});
  EXPECT_EQ(listed(o.m2, kAmi), std::vector<GrantIx>{g_ami2});
  EXPECT_TRUE(listed(o.m2, kContainer).empty());
  std::vector<GrantIx> all;
  for_each_received(o.w, o.m1, [&](GrantIx g) { all.push_back(g); });
  EXPECT_EQ(all, (std::vector<GrantIx>{g_ami, g_container}));
  int m3_received = 0;
  for_each_received(o.w, o.m3, [&](GrantIx) { ++m3_received; });
  EXPECT_EQ(m3_received, 0);
  expect_list_index_checked(
      o.w, received_index_consistent, &World::first_received,
      [&](World& bad) { bad.first_received[bad.slot(o.m1, kAmi)] = kNone; },
      [&](World& bad) { bad.grants[g_ami2].next_received = g_ami; });
}

// Subscriptions are listed per (account, product) too, newest first; every
// list together is every license the account subscribed to.
TEST(World, OwnedLicensesAreListedPerProduct) {
  Org o;
  const LicenseIx ami = o.ok(subscribe(o.m1, kAmi));
  const LicenseIx container = o.ok(subscribe(o.m1, kContainer));
  const LicenseIx ami2 = o.ok(subscribe(o.m2, kAmi));
  o.ok(cancel(o.m1, ami));
  const LicenseIx ami3 = o.ok(subscribe(o.m1, kAmi));
  auto owned = [&](AccountIx a, ProductIx p) {
    std::vector<LicenseIx> v;
    for_each_owned_for(o.w, a, p, [&](LicenseIx l) { v.push_back(l); });
    return v;
  };
  EXPECT_EQ(owned(o.m1, kAmi), (std::vector<LicenseIx>{ami3, ami}));
  EXPECT_EQ(owned(o.m1, kContainer), std::vector<LicenseIx>{container});
  EXPECT_EQ(owned(o.m2, kAmi), std::vector<LicenseIx>{ami2});
  EXPECT_TRUE(owned(o.m2, kContainer).empty());
  std::vector<LicenseIx> all;
  for_each_owned(o.w, o.m1, [&](LicenseIx l) { all.push_back(l); });
  EXPECT_EQ(all, (std::vector<LicenseIx>{ami3, ami, container}));
  // The cancelled one does not block a grant activation; the AVAILABLE one does.
  EXPECT_TRUE(has_own_available_subscription(o.w, o.m1, kAmi));
  EXPECT_FALSE(has_own_available_subscription(o.w, o.m2, kContainer));
  expect_list_index_checked(
      o.w, owned_index_consistent, &World::first_owned,
      [&](World& bad) { bad.first_owned[bad.slot(o.m1, kAmi)] = ami; },
      [&](World& bad) { bad.licenses[ami2].next_owned = ami; });
}

}  // namespace
}  // namespace entmc::test
