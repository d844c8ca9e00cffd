// gen_world: the organizations random runs start from.
#include <algorithm>

#include "proptest/generators.h"
#include "proptest/pick.h"

namespace entmc::proptest {

namespace {

// Mostly small organizations, sometimes dozens of members.
uint32_t member_count(uint32_t max_members) {
  const int max = int(std::max<uint32_t>(1, max_members));
  const int tier = pick::range(0, 9);
  if (tier < 6) return uint32_t(pick::range(1, std::min(4, max)));
  if (tier < 9) return uint32_t(pick::range(1, std::min(12, max)));
  return uint32_t(pick::range(1, max));
}

// Seed "Pre-requisite Permissions": none, some or all of trusted access,
// 'Link AWS Organizations accounts' and the service-linked roles.
void prerequisites(WorldSpec& s) {
  const int level = pick::weighted({15, 35, 50});  // none, partly, fully
  const bool all = s.feature_set == FeatureSet::ALL;
  s.roles.assign(s.commercial_count(), 0);
  if (level == 0) return;
  if (level == 2) {
    if (all) s.org_flags = kTrustedLicenseManager | kTrustedMarketplace | kLinkedAccounts;
    for (auto& r : s.roles) r = kSlrLicenseManager | kSlrMarketplace;
    s.roles[0] |= kSlrLicenseManagerMaster;
    return;
  }
  if (all)
    for (uint8_t bit : {kTrustedLicenseManager, kTrustedMarketplace, kLinkedAccounts})
      if (pick::chance(50)) s.org_flags |= bit;
  for (auto& r : s.roles) {
    if (pick::chance(60)) r |= kSlrLicenseManager;
    if (pick::chance(40)) r |= kSlrMarketplace;
  }
  if (pick::chance(50)) s.roles[0] |= kSlrLicenseManagerMaster;
}

}  // namespace

rc::Gen<WorldSpec> gen_world(const Bounds& b) {
  return rc::gen::exec([b] {
    WorldSpec s;
    s.feature_set = pick::chance(75) ? FeatureSet::ALL : FeatureSet::CONSOLIDATED_BILLING;
    s.members = member_count(b.max_members);
    s.outside = uint32_t(pick::range(0, int(b.max_outside)));
    const int govcloud = pick::range(0, int(b.max_govcloud));
    for (int i = 0; i < govcloud; ++i)
      s.govcloud_links.push_back(AccountIx(pick::range(0, int(s.commercial_count()) - 1)));
    const int products = pick::range(1, int(std::max<uint32_t>(1, b.max_products)));
    s.products.clear();
    for (int i = 0; i < products; ++i) s.products.push_back(ProductType(pick::range(0, kProductTypeCount - 1)));
    prerequisites(s);
    if (s.feature_set == FeatureSet::ALL && (s.org_flags & kTrustedLicenseManager) && pick::chance(35))
      s.delegated_admin = AccountIx(pick::range(1, int(s.members)));
    return s;
  });
}

}  // namespace entmc::proptest
