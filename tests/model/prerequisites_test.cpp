// Rule 2: trusted access, service-linked roles and account linking; calls
// whose prerequisites are missing fail with AccessDeniedException-style errors.
#include "tests/model/fixture.h"

namespace entmc::test {
namespace {

TEST(Prerequisites, LicenseManagerCallsNeedTheLicenseManagerRole) {
  Org o(FeatureSet::ALL, /*prerequisites=*/false);
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));  // Marketplace needs no License Manager role
  o.fails(create_grant(o.mgmt, l, o.m1), Reason::MissingLicenseManagerRole);
  EXPECT_EQ(code_of(Reason::MissingLicenseManagerRole), ErrorCode::AccessDeniedException);
  o.ok(service(Op::CreateServiceLinkedRole, o.mgmt, Service::LicenseManager));
  o.fails(service(Op::CreateServiceLinkedRole, o.mgmt, Service::LicenseManager), Reason::RoleAlreadyExists);
  // No Marketplace role and no trusted access for Marketplace yet.
  o.fails(create_grant(o.mgmt, l, o.m1), Reason::MissingMarketplaceRole);
  EXPECT_EQ(code_of(Reason::MissingMarketplaceRole), ErrorCode::AccessDeniedException);
  o.ok(service(Op::CreateServiceLinkedRole, o.mgmt, Service::Marketplace));
  GrantIx g = o.ok(create_grant(o.mgmt, l, o.m1));
  EXPECT_EQ(o.status(g), GrantStatus::PENDING_ACCEPT);  // not linked: no auto-accept
  o.fails(accept(o.m1, g), Reason::MissingLicenseManagerRole);
}

TEST(Prerequisites, TrustedAccessIsForTheManagementAccountOfAnAllFeaturesOrganization) {
  Org o(FeatureSet::ALL, false);
  o.fails(service(Op::EnableAWSServiceAccess, o.m1, Service::Marketplace), Reason::NotManagementAccount);
  o.ok(service(Op::EnableAWSServiceAccess, o.mgmt, Service::Marketplace));
  o.ok(service(Op::EnableAWSServiceAccess, o.mgmt, Service::Marketplace));  // again: no-op success
  EXPECT_TRUE(has_marketplace_role(o.w, o.m2));  // trusted access covers every member
  EXPECT_FALSE(has_marketplace_role(o.w, o.outside));
  Org cb(FeatureSet::CONSOLIDATED_BILLING, false);
  cb.fails(service(Op::EnableAWSServiceAccess, cb.mgmt, Service::LicenseManager), Reason::NeedsAllFeatures);
}

TEST(Prerequisites, LinkingNeedsTheMasterRoleAndEnablesTrustedAccessForLicenseManager) {
  Org o(FeatureSet::ALL, false);
  o.ok(service(Op::CreateServiceLinkedRole, o.mgmt, Service::LicenseManager));
  o.fails(link_accounts(o.mgmt), Reason::MissingLicenseManagerMasterRole);
  o.fails(service(Op::CreateServiceLinkedRole, o.m1, Service::LicenseManagerMaster),
          Reason::MasterRoleOnlyInManagement);
  o.ok(service(Op::CreateServiceLinkedRole, o.mgmt, Service::LicenseManagerMaster));
  o.ok(service(Op::CreateServiceLinkedRole, o.m1, Service::LicenseManager));
  o.fails(link_accounts(o.m1), Reason::NotManagementAccount);
  o.ok(link_accounts(o.mgmt));
  EXPECT_TRUE(o.w.org.flags & kLinkedAccounts);
  EXPECT_TRUE(o.w.org.flags & kTrustedLicenseManager);
}

TEST(Prerequisites, OrganizationGrantsNeedTrustedAccessForBothServicesAndLinking) {
  Org o(FeatureSet::ALL, false);
  for (AccountIx a : {o.mgmt, o.m1, o.m2, o.m3}) o.ok(service(Op::CreateServiceLinkedRole, a, Service::LicenseManager));
  o.ok(service(Op::CreateServiceLinkedRole, o.mgmt, Service::Marketplace));
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  o.fails(create_org_grant(o.mgmt, l), Reason::TrustedAccessRequired);
  o.ok(service(Op::EnableAWSServiceAccess, o.mgmt, Service::LicenseManager));
  o.ok(service(Op::EnableAWSServiceAccess, o.mgmt, Service::Marketplace));
  o.fails(create_org_grant(o.mgmt, l), Reason::LinkingRequired);
  EXPECT_EQ(code_of(Reason::LinkingRequired), ErrorCode::AccessDeniedException);
  o.ok(service(Op::CreateServiceLinkedRole, o.mgmt, Service::LicenseManagerMaster));
  o.ok(link_accounts(o.mgmt));
  o.ok(create_org_grant(o.mgmt, l));
}

TEST(Prerequisites, LicenseManagerCallsAreMadeInTheHomeRegion) {
  Org o;
  LicenseIx l = o.ok(subscribe(o.mgmt, kAmi));
  Call c = create_grant(o.mgmt, l, o.m1);
  c.region = Region::eu_west_1;
  o.fails(c, Reason::NotHomeRegion);
  c.region = Region::us_gov_west_1;
  o.fails(c, Reason::GovCloudRegion);
  Call s = subscribe(o.m2, kAmi);
  s.region = Region::eu_central_1;  // Marketplace is global
  o.ok(s);
}

}  // namespace
}  // namespace entmc::test
