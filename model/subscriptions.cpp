// Licenses: created by a Marketplace subscription, deleted by its cancellation,
// deactivated or expired by the issuer.
#include "model/rules.h"

namespace entmc::rules {

// Seeds: "Terminology" (License; Entitlement: the subscribing account is
// entitled at once), "License Home Region" (us-east-1), "User Definitions"
// (the subscriber is the grantor). One subscription per account and product
// may be live: a second one is refused with the seed's one-active-license
// message. An ACTIVE grant for the product does not block subscribing:
// Delegated Administrator ("First, subscribe to the necessary products using
// your newly registered Delegated Administrator account") starts there, and
// FAQ 2 puts the one-active check at activation. While the account holds an
// ACTIVE grant for the product, that grant is its active license and the new
// subscription does not count as a second one; it becomes the active license
// once no grant for the product is ACTIVE, and from then on blocks activation
// like any own subscription (activation.cpp; docs/semantics.md).
Outcome subscribe(World& w, const Call& c, Changes* ch) {
  if (has_own_available_subscription(w, c.caller, c.product)) return fail(Reason::OneActiveLicensePerProduct);
  License lic;
  lic.product = c.product;
  lic.status = LicenseStatus::AVAILABLE;
  lic.home_region = kHomeRegion;
  lic.owner = c.caller;
  return success(mut::add_license(w, ch, lic));
}

// Seeds: "Delegated Administrator" (transition, option 3: "Cancelling the
// subscription ... will delete the product license across all recipients"),
// FAQ 2 (running instances keep running after the subscription is cancelled).
// Every grant on the license that is not terminal becomes DELETED with a status
// reason; workloads are untouched.
Outcome cancel_subscription(World& w, const Call& c, Changes* ch) {
  const License& lic = w.licenses[c.license];
  if (lic.owner != c.caller) return fail(Reason::NotLicenseOwner);
  if (lic.status == LicenseStatus::DELETED) return fail(Reason::LicenseDeleted);
  mut::set_license_status(w, ch, c.license, LicenseStatus::DELETED);
  for_each_on_license(w, c.license, [&](GrantIx g) {
    if (!is_terminal(w.grants[g].status))
      mut::set_grant_status(w, ch, g, GrantStatus::DELETED, kReasonSubscriptionCancelled);
  });
  return success();
}

// Seed 001 "License Status": Deactivated (by the license issuer) and Expired
// (end of term). Only an AVAILABLE license changes; grants keep their status
// but no longer entitle anyone, since entitlement needs an AVAILABLE license.
Outcome issuer_license_event(World& w, const Call& c, Changes* ch) {
  const License& lic = w.licenses[c.license];
  if (lic.status != LicenseStatus::AVAILABLE) return fail(Reason::LicenseNotAvailable);
  mut::set_license_status(w, ch, c.license,
                          c.op == Op::DeactivateLicense ? LicenseStatus::DEACTIVATED : LicenseStatus::EXPIRED);
  return success();
}

}  // namespace entmc::rules
