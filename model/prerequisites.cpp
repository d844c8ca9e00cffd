// Prerequisites: trusted access, service-linked roles, 'Link AWS Organizations
// accounts', and the organization's feature set.
#include "model/rules.h"

namespace entmc::rules {

// Seed: "Pre-requisite Permissions / API specific instructions": in an
// all-features organization the management account enables trusted access
// (EnableAWSServiceAccess) for AWS Marketplace - License Management and for
// AWS License Manager. "Trusted Access: Only available for AWS Organizations
// with 'all-features' enabled." Enabling it again is a no-op success.
Outcome enable_service_access(World& w, const Call& c, Changes* ch) {
  if (c.caller != w.org.management) return fail(Reason::NotManagementAccount);
  if (w.org.feature_set != FeatureSet::ALL) return fail(Reason::NeedsAllFeatures);
  if (c.service != Service::LicenseManager && c.service != Service::Marketplace) return fail(Reason::NothingToChange);
  uint8_t bit = c.service == Service::LicenseManager ? kTrustedLicenseManager : kTrustedMarketplace;
  if (!(w.org.flags & bit)) mut::org(w, ch).flags |= bit;
  return success();
}

// Same section: CreateServiceLinkedRole; the License Manager role in every
// account, the master-account role in the management account only, the
// Marketplace role in every account that grants or receives licenses
// (consolidated billing), or in all member accounts at once through trusted
// access (all features; see has_marketplace_role).
Outcome create_service_linked_role(World& w, const Call& c, Changes* ch) {
  uint8_t bit = 0;
  switch (c.service) {
    case Service::LicenseManager: bit = kSlrLicenseManager; break;
    case Service::LicenseManagerMaster:
      if (c.caller != w.org.management) return fail(Reason::MasterRoleOnlyInManagement);
      bit = kSlrLicenseManagerMaster;
      break;
    case Service::Marketplace: bit = kSlrMarketplace; break;
    case Service::NONE: return fail(Reason::NothingToChange);
  }
  if (w.accounts[c.caller].flags & bit) return fail(Reason::RoleAlreadyExists);
  mut::account(w, ch, c.caller).flags |= bit;
  return success();
}

// Seed: "AWS Console specific instructions": in us-east-1, 'Link AWS
// Organization accounts' (UpdateServiceSettings EnableIntegration) turns on
// grant auto-accept and distribution to the organization ID; "This gesture ...
// also creates a trusted access relationship between AWS Organizations and AWS
// License Manager". It needs the management account's master-account role.
Outcome update_service_settings(World& w, const Call& c, Changes* ch) {
  if (c.caller != w.org.management) return fail(Reason::NotManagementAccount);
  if (w.org.feature_set != FeatureSet::ALL) return fail(Reason::NeedsAllFeatures);
  if (!(w.accounts[c.caller].flags & kSlrLicenseManagerMaster)) return fail(Reason::MissingLicenseManagerMasterRole);
  uint8_t flags = w.org.flags;
  if (c.enable)
    flags |= kLinkedAccounts | kTrustedLicenseManager;
  else
    flags &= uint8_t(~kLinkedAccounts);
  if (flags != w.org.flags) mut::org(w, ch).flags = flags;
  return success();
}

// aws-api-facts: EnableAllFeatures (consolidated billing -> all features; there
// is no way back).
Outcome enable_all_features(World& w, const Call& c, Changes* ch) {
  if (c.caller != w.org.management) return fail(Reason::NotManagementAccount);
  if (w.org.feature_set == FeatureSet::ALL) return fail(Reason::AlreadyAllFeatures);
  mut::org(w, ch).feature_set = FeatureSet::ALL;
  return success();
}

}  // namespace entmc::rules
