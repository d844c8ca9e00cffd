// Frame conditions of the Marketplace license calls: a subscription, its
// cancellation, and the issuer's deactivation and expiry.
#include "properties/catalog.h"
#include "properties/frame.h"

namespace entmc::props {

// Seeds: "Terminology" (a subscription is a license the subscriber owns),
// "License Home Region" (us-east-1), "Delegated Administrator" (cancelling
// deletes the license across all recipients: every live grant on it becomes
// DELETED, reason 'subscription cancelled'), 001 "License Status"
// (DEACTIVATED, EXPIRED by the issuer; grants keep their status), FAQ 2
// (running workloads are untouched).
void expect_license_call(const Before& b, Expected& e) {
  const Call& c = b.transition().call;
  switch (c.op) {
    case Op::Subscribe: {
      License lic;
      lic.product = c.product;
      lic.status = LicenseStatus::AVAILABLE;
      lic.home_region = kHomeRegion;
      lic.owner = c.caller;
      e.new_licenses.push_back(lic);
      e.created_is = Expected::Created::NewLicense;
      break;
    }
    case Op::CancelSubscription:
      e.license(c.license).status = LicenseStatus::DELETED;
      b.grants_on_license(c.license, [&](GrantIx g) {
        const GrantStatus s = b.grant(g).status;
        if (s != GrantStatus::REJECTED && s != GrantStatus::DELETED)
          expect_status(e.grant(g), GrantStatus::DELETED, kReasonSubscriptionCancelled);
      });
      break;
    case Op::DeactivateLicense:
      e.license(c.license).status = LicenseStatus::DEACTIVATED;
      break;
    case Op::ExpireLicense:
      e.license(c.license).status = LicenseStatus::EXPIRED;
      break;
    default:
      break;
  }
}

namespace {
constexpr uint32_t kOps = op_bit(Op::Subscribe) | op_bit(Op::CancelSubscription) | op_bit(Op::DeactivateLicense) |
                          op_bit(Op::ExpireLicense);
std::optional<std::string> check(const Transition& t, const Names& n) {
  return frame_check(t, n, kOps, expect_license_call);
}
}  // namespace

Property frame_license_calls() {
  return {.name = "frame-license-calls",
          .statement = "A successful Subscribe creates exactly one AVAILABLE us-east-1 license owned by the caller; "
                       "CancelSubscription makes the license DELETED and every live grant on it DELETED (reason: "
                       "subscription cancelled, one new version); DeactivateLicense / ExpireLicense set the "
                       "license DEACTIVATED / EXPIRED; nothing else changes.",
          .seed = "Terminology; License Home Region; Delegated Administrator (cancellation); 001 License Status; FAQ 2",
          .kind = PropertyKind::Transition,
          .check_transition = check,
          .holds_on_failed_noop = true,
          .judges_ops = kOps,
          .judges_outcome = kSucceeded};
}

}  // namespace entmc::props
