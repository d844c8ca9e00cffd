// What a granted license can be used for: consumption only, never a SaaS
// license, and nothing live on a deleted license.
#include <fmt/format.h>

#include "properties/catalog.h"
#include "properties/world_facts.h"
#include "properties/describe.h"
#include "properties/touched.h"

namespace entmc::props {
namespace {

using GrantCheck = std::optional<std::string> (*)(const World&, const Names&, GrantIx);

std::optional<std::string> every_grant(const World& w, const Names& n, GrantCheck check) {
  for (GrantIx g = 0; g < w.grants.size(); ++g)
    if (auto v = check(w, n, g)) return v;
  return std::nullopt;
}

// Touched grants, plus every grant on a touched license for which
// `license_changed(before, after)` says the license change matters. Cost: the
// touched records (a license change that matters, cancellation, touches every
// live grant on it anyway).
template <typename LicenseChanged>
std::optional<std::string> touched_grants(const World& w, const Changes& ch, const Names& n, GrantCheck check,
                                          LicenseChanged license_changed) {
  const Touched& t = Touched::of(w, ch);
  for (const auto& e : t.grants)
    if (auto v = check(w, n, e.ix)) return v;
  std::optional<std::string> out;
  for (const auto& e : t.licenses)
    if (e.before && license_changed(*e.before, w.licenses[e.ix]))
      for_each_on_license(w, e.ix, [&](GrantIx g) {
        if (!out) out = check(w, n, g);
      });
  return out;
}

// --- consumption-rights-only ---------------------------------------------

std::optional<std::string> consumption_only(const World& w, const Names& n, GrantIx g) {
  const Grant& gr = w.grants[g];
  if (gr.allowed_ops & kCreateGrantOp)
    return fmt::format("{} allows CreateGrant: a granted license carries consumption rights only",
                       grant_name(n, w, g));
  const AccountIx owner = w.licenses[gr.license].owner;
  if (gr.grantor != owner)
    return fmt::format("{} was granted by {}, who received the license from its owner {} and has consumption rights "
                       "only",
                       grant_name(n, w, g), account_name(n, gr.grantor), account_name(n, owner));
  return std::nullopt;
}

std::optional<std::string> consumption_full(const World& w, const Names& n) {
  return every_grant(w, n, consumption_only);
}
std::optional<std::string> consumption_local(const World& w, const Changes& ch, const Names& n) {
  return touched_grants(w, ch, n, consumption_only,
                        [](const License& before, const License& after) { return before.owner != after.owner; });
}

// --- saas-not-distributable -------------------------------------------------

std::optional<std::string> not_saas(const World& w, const Names& n, GrantIx g) {
  const License& lic = w.licenses[w.grants[g].license];
  if (lic.product >= w.products.size() || w.products[lic.product] != ProductType::SAAS) return std::nullopt;
  return fmt::format("{} distributes a SAAS license", grant_name(n, w, g));
}

std::optional<std::string> saas_full(const World& w, const Names& n) { return every_grant(w, n, not_saas); }
std::optional<std::string> saas_local(const World& w, const Changes& ch, const Names& n) {
  return touched_grants(w, ch, n, not_saas,
                        [](const License& before, const License& after) { return before.product != after.product; });
}

// --- deleted-license-has-no-active-grant ----------------------------------

// The model's cancellation deletes every live grant on the license
// (subscriptions.cpp), so the stronger form holds: nothing but REJECTED and
// DELETED grants on a DELETED license.
std::optional<std::string> none_live_on_deleted(const World& w, const Names& n, GrantIx g) {
  const Grant& gr = w.grants[g];
  if (w.licenses[gr.license].status != LicenseStatus::DELETED || is_terminal(gr.status)) return std::nullopt;
  return fmt::format("{} is {} on the DELETED {}", grant_name(n, w, g), to_string(gr.status),
                     license_name(n, w, gr.license));
}

std::optional<std::string> deleted_full(const World& w, const Names& n) {
  return every_grant(w, n, none_live_on_deleted);
}
std::optional<std::string> deleted_local(const World& w, const Changes& ch, const Names& n) {
  return touched_grants(w, ch, n, none_live_on_deleted, [](const License& before, const License& after) {
    return before.status != LicenseStatus::DELETED && after.status == LicenseStatus::DELETED;
  });
}

}  // namespace

Property consumption_rights_only() {
  return {.name = "consumption-rights-only",
          .statement = "No grant allows CreateGrant, and every grant's grantor owns its license: a recipient never "
                       "grants a license it received.",
          .seed = "Terminology (a granted license has consumption rights only); User Definitions and Management",
          .kind = PropertyKind::Always,
          .check_state = consumption_full,
          .check_local = consumption_local,
          // a grant's identity only (not its status): kGrantCreated
          .breaks_on = kLicenseChange | kGrantCreated};
}

Property saas_not_distributable() {
  return {.name = "saas-not-distributable",
          .statement = "No grant is on a SAAS license.",
          .seed = "What is Managed entitlements for AWS Marketplace? (SaaS products cannot be distributed)",
          .kind = PropertyKind::Always,
          .check_state = saas_full,
          .check_local = saas_local,
          // a grant's identity only (not its status): kGrantCreated
          .breaks_on = kLicenseChange | kGrantCreated};
}

Property deleted_license_has_no_active_grant() {
  return {.name = "deleted-license-has-no-active-grant",
          .statement = "A DELETED license has no grant other than REJECTED or DELETED ones (so none ACTIVE).",
          .seed = "Delegated Administrator (cancelling the subscription deletes the license across all recipients); "
                  "License States",
          .kind = PropertyKind::Always,
          .check_state = deleted_full,
          .check_local = deleted_local,
          .breaks_on = kLicenseChange | kGrantChange};
}

}  // namespace entmc::props
