#include "model/entitlement.h"

namespace entmc {

bool has_license_manager_role(const World& w, AccountIx a) {
  return w.valid_account(a) && (w.accounts[a].flags & kSlrLicenseManager);
}

bool has_marketplace_role(const World& w, AccountIx a) {
  if (!w.valid_account(a)) return false;
  if (w.accounts[a].flags & kSlrMarketplace) return true;
  return w.org.feature_set == FeatureSet::ALL && (w.org.flags & kTrustedMarketplace) && w.is_member(a);
}

AccountIx entitlement_account(const World& w, AccountIx a) {
  const Account& acc = w.accounts[a];
  return (acc.flags & kGovCloud) ? acc.govcloud_link : a;
}

bool has_own_available_subscription(const World& w, AccountIx a, ProductIx p) {
  for (LicenseIx l = w.first_owned_at(a, p); l != kNone; l = w.licenses[l].next_owned)
    if (w.licenses[l].status == LicenseStatus::AVAILABLE) return true;
  return false;
}

int active_license_count(const World& w, AccountIx a, ProductIx p, GrantIx except) {
  int n = w.active_licenses[w.slot(a, p)];
  if (except != kNone) {
    const Grant& gr = w.grants[except];
    const License& lic = w.licenses[gr.license];
    if (gr.grantee == a && gr.status == GrantStatus::ACTIVE && lic.product == p &&
        lic.status == LicenseStatus::AVAILABLE)
      --n;
  }
  return n;
}

bool entitled(const World& w, AccountIx a, ProductIx p) {
  AccountIx e = entitlement_account(w, a);
  if (e == kNone || !w.valid_account(e)) return false;
  return active_license_count(w, e, p) > 0;
}

bool is_org_administrator(const World& w, AccountIx a) {
  return a == w.org.management || (a != kNone && a == w.org.delegated_admin);
}

GrantIx find_org_child(const World& w, GrantIx parent, AccountIx account) {
  GrantIx any = kNone;
  // The received list runs newest first.
  const ProductIx p = product_of_grant(w, parent);
  for (GrantIx g = w.first_received_at(account, p); g != kNone; g = w.grants[g].next_received) {
    const Grant& gr = w.grants[g];
    if (gr.parent != parent) continue;
    if (!is_terminal(gr.status)) return g;
    if (any == kNone) any = g;
  }
  return any;
}

}  // namespace entmc
