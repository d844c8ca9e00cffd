// Rule 9: a GovCloud account is entitled exactly when its commercial account
// is; license calls in GovCloud regions fail.
#include "tests/model/fixture.h"

namespace entmc::test {
namespace {

TEST(GovCloud, EntitledExactlyWhenTheCommercialAccountIs) {
  Org o;
  const Region gov_region = Region::us_gov_west_1;
  EXPECT_FALSE(entitled(o.w, o.gov, kAmi));
  o.fails(workload(Op::LaunchWorkload, o.gov, kAmi, gov_region), Reason::NoEntitlement);
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  o.ok(activate(o.m1, g));
  EXPECT_TRUE(entitled(o.w, o.gov, kAmi));
  EXPECT_FALSE(entitled(o.w, o.gov, kContainer));
  o.fails(workload(Op::LaunchWorkload, o.gov, kAmi), Reason::WrongPartitionRegion);  // us-east-1
  o.ok(workload(Op::LaunchWorkload, o.gov, kAmi, gov_region));
  o.ok(workload(Op::LaunchWorkload, o.gov, kAmi, Region::us_gov_east_1));
  o.ok(deactivate(o.m1, g));
  EXPECT_FALSE(entitled(o.w, o.gov, kAmi));
  EXPECT_EQ(o.w.running_at(o.gov, kAmi), 2);  // still running
  o.ok(workload(Op::StopWorkload, o.gov, kAmi, gov_region));
}

TEST(GovCloud, AGovCloudAccountOnlyRunsWorkloadsAndReceivesNothing) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  o.fails(create_grant(o.mgmt, l, o.gov), Reason::GovCloudPrincipal);
  Call sub = subscribe(o.gov, kAmi);
  sub.region = Region::us_gov_west_1;
  o.fails(sub, Reason::GovCloudAccountLimited);
  o.fails(on_account(Op::InviteAccountToOrganization, o.mgmt, o.gov), Reason::GovCloudAccountLimited);
}

TEST(GovCloud, LicenseCallsInGovCloudRegionsFail) {
  Org o;
  Call sub = subscribe(o.m1, kAmi);
  sub.region = Region::us_gov_east_1;
  o.fails(sub, Reason::GovCloudRegion);
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  Call act = activate(o.m1, g);
  act.region = Region::us_gov_west_1;
  o.fails(act, Reason::GovCloudRegion);
}

}  // namespace
}  // namespace entmc::test
