// Rule 8: workloads need an entitlement to launch, and nothing but their own
// account's StopWorkload stops them.
#include "tests/model/fixture.h"

namespace entmc::test {
namespace {

TEST(Workloads, LaunchNeedsAnOwnSubscriptionOrAnActiveGrantOnAnAvailableLicense) {
  Org o;
  o.fails(workload(Op::LaunchWorkload, o.m1, kAmi), Reason::NoEntitlement);
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  o.ok(workload(Op::LaunchWorkload, o.mgmt, kAmi, Region::eu_west_1));  // any commercial region
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  o.fails(workload(Op::LaunchWorkload, o.m1, kAmi), Reason::NoEntitlement);  // DISABLED
  o.ok(activate(o.m1, g));
  o.ok(workload(Op::LaunchWorkload, o.m1, kAmi));
  o.ok(workload(Op::LaunchWorkload, o.m1, kAmi));
  EXPECT_EQ(o.w.running_at(o.m1, kAmi), 2);
  o.fails(workload(Op::LaunchWorkload, o.m1, kAmi, Region::us_gov_west_1), Reason::WrongPartitionRegion);
  o.fails(workload(Op::StopWorkload, o.m2, kAmi), Reason::NoRunningWorkload);
  o.ok(workload(Op::StopWorkload, o.m1, kAmi));
  EXPECT_EQ(o.w.running_at(o.m1, kAmi), 1);
}

// Each license action in turn, with workloads running in every account that
// can run one; after every action the counts are unchanged.
TEST(Workloads, NoLicenseOrOrganizationActionStopsARunningWorkload) {
  Org o;
  o.ok(on_account(Op::RegisterDelegatedAdministrator, o.mgmt, o.m1));
  LicenseIx l = o.ok(subscribe(o.m1, kAmi));
  GrantIx parent = o.ok(create_org_grant(o.m1, l));
  o.ok(activate(o.m1, parent));
  LicenseIx l2 = o.ok(subscribe(o.mgmt, kContainer));
  GrantIx g = o.ok(create_grant(o.mgmt, l2, o.outside));
  o.ok(service(Op::CreateServiceLinkedRole, o.outside, Service::Marketplace));  // a recipient needs it too
  o.ok(accept_activate(o.outside, g));
  for (AccountIx a : {o.mgmt, o.m1, o.m2, o.m3}) o.ok(workload(Op::LaunchWorkload, a, kAmi));
  o.ok(workload(Op::LaunchWorkload, o.outside, kContainer));
  const std::vector<uint8_t> running = o.w.running;

  o.ok(deactivate(o.m2, o.child(parent, o.m2)));                     // deactivation
  o.ok(call(Op::LeaveOrganization, o.m3));                           // leaving
  o.ok(on_account(Op::DeregisterDelegatedAdministrator, o.mgmt, o.m1));  // deregistration
  o.ok(deactivate(o.outside, g));
  o.ok(reject(o.outside, g));                                        // rejection
  o.ok(issuer_event(Op::DeactivateLicense, l2));                     // issuer deactivation
  o.ok(cancel(o.m1, l));                                             // cancellation
  EXPECT_EQ(o.w.running, running);
  for (AccountIx a : {o.mgmt, o.m2, o.m3}) EXPECT_FALSE(entitled(o.w, a, kAmi));
  o.fails(workload(Op::LaunchWorkload, o.m2, kAmi), Reason::NoEntitlement);
  o.ok(workload(Op::StopWorkload, o.m2, kAmi));
}

TEST(Workloads, DeletingAGrantLeavesItsWorkloadsRunning) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.mgmt, kMl));
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  o.ok(activate(o.m1, g));
  o.ok(workload(Op::LaunchWorkload, o.m1, kMl));
  o.ok(delete_grant(o.mgmt, g, o.grant(g).version));
  EXPECT_EQ(o.w.running_at(o.m1, kMl), 1);
}

}  // namespace
}  // namespace entmc::test
