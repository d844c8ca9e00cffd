// The one rule every activation goes through: a grant becomes ACTIVE only if
// that leaves its recipient with one active license for the product.
#include "model/rules.h"

namespace entmc::rules {

// Seeds: "Grant Activation", "Updating License status reason" (the
// one-license-per-product-account error), FAQ 2 (an own subscription blocks
// activation of a granted license until it is cancelled), aws-api-facts
// ActivationOverrideBehavior (ALL_GRANTS_PERMITTED_BY_ISSUER replaces the
// other active grants; it cannot replace a subscription, which is no grant).
// The recipient needs the Marketplace service-linked role (Pre-requisite
// Permissions: "grant or receive"). Organization children also need a member recipient and a grantor that is
// still an organization administrator (Delegated Administrator: removal).
Reason activation_blocker(const World& w, GrantIx g, ActivationOverride ov) {
  const Grant& gr = w.grants[g];
  const License& lic = w.licenses[gr.license];
  if (lic.status != LicenseStatus::AVAILABLE) return Reason::LicenseNotAvailable;
  // Pre-requisite Permissions: the Marketplace role is needed "across every
  // account that you plan to grant or receive licenses through managed
  // entitlements": whoever activates (the recipient, the grantor on its
  // behalf, bulk activation, a join), a recipient without it is not entitled.
  if (!has_marketplace_role(w, gr.grantee)) return Reason::RecipientMissingMarketplaceRole;
  if (gr.is_org_child()) {
    if (!w.is_member(gr.grantee)) return Reason::NotOrgMember;
    if (!is_org_administrator(w, gr.grantor)) return Reason::OrgDistributionDisabled;
  }
  // The count includes the own subscriptions: when no other license is
  // active, neither check below can refuse (and the owned list is not walked).
  if (active_license_count(w, gr.grantee, lic.product, g) == 0) return Reason::None;
  if (has_own_available_subscription(w, gr.grantee, lic.product)) return Reason::OneActiveLicensePerProduct;
  if (ov != ActivationOverride::ALL_GRANTS_PERMITTED_BY_ISSUER) return Reason::OneActiveLicensePerProduct;
  return Reason::None;
}

void activate(World& w, Changes* ch, GrantIx g, ActivationOverride ov, StringId reason) {
  const AccountIx grantee = w.grants[g].grantee;
  const ProductIx product = product_of_grant(w, g);
  if (ov == ActivationOverride::ALL_GRANTS_PERMITTED_BY_ISSUER) {
    for_each_received_for(w, grantee, product, [&](GrantIx other) {
      if (other == g) return;
      const Grant& o = w.grants[other];
      if (o.status == GrantStatus::ACTIVE && w.licenses[o.license].status == LicenseStatus::AVAILABLE)
        mut::set_grant_status(w, ch, other, GrantStatus::DISABLED, kReasonReplacedByOverride);
    });
  }
  mut::set_grant_status(w, ch, g, GrantStatus::ACTIVE, reason);
}

}  // namespace entmc::rules
