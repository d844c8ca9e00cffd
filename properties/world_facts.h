// Internal to properties/: the facts the invariants read from a World, stated
// here, from the guides and the API facts, rather than taken from the model's
// own helpers (model/entitlement.h) or tables (the operation table in
// model/call.cpp): an oracle that shared the rules' data would inherit their
// bugs. Lists are walked through the World's own index fields; the
// entitlement is recounted from the records.
#pragma once

#include <type_traits>

#include "model/call.h"
#include "model/world.h"

namespace entmc::props {

// The walks below call f on each record in turn; an f that returns bool stops
// the walk by returning true (a search for one record that does not need the
// rest: whether any license is active, say). An f that returns nothing sees
// every record.
template <typename F, typename X>
bool visit_stops(F& f, X x) {
  if constexpr (std::is_same_v<std::invoke_result_t<F&, X>, bool>) {
    return f(x);
  } else {
    f(x);
    return false;
  }
}

// The grants on license `l`, newest first.
template <typename F>
void for_each_on_license(const World& w, LicenseIx l, F&& f) {
  for (GrantIx g = w.licenses[l].first_grant; g != kNone; g = w.grants[g].next_on_license)
    if (visit_stops(f, g)) return;
}
// The grants account `a` received for product `p`, newest first.
template <typename F>
void for_each_received_for(const World& w, AccountIx a, ProductIx p, F&& f) {
  for (GrantIx g = w.first_received_at(a, p); g != kNone; g = w.grants[g].next_received)
    if (visit_stops(f, g)) return;
}
template <typename F>
void for_each_received(const World& w, AccountIx a, F&& f) {
  static_assert(std::is_void_v<std::invoke_result_t<F&, GrantIx>>, "every product's grants: no stopping");
  for (ProductIx p = 0; p < w.product_count(); ++p) for_each_received_for(w, a, p, f);
}
// The licenses account `a` subscribed to for product `p`, newest first.
template <typename F>
void for_each_owned_for(const World& w, AccountIx a, ProductIx p, F&& f) {
  for (LicenseIx l = w.first_owned_at(a, p); l != kNone; l = w.licenses[l].next_owned)
    if (visit_stops(f, l)) return;
}
template <typename F>
void for_each_owned(const World& w, AccountIx a, F&& f) {
  static_assert(std::is_void_v<std::invoke_result_t<F&, LicenseIx>>, "every product's licenses: no stopping");
  for (ProductIx p = 0; p < w.product_count(); ++p) for_each_owned_for(w, a, p, f);
}
inline ProductIx product_of_grant(const World& w, GrantIx g) { return w.licenses[w.grants[g].license].product; }

// Licenses active for (account, product): its own AVAILABLE subscriptions and
// its ACTIVE grants on AVAILABLE licenses, leaving out `except`. (Updating
// License status reason: one license active per product-account combination;
// FAQ 2: a subscription counts.)
inline int active_license_count_by_scan(const World& w, AccountIx a, ProductIx p, GrantIx except = kNone) {
  int n = 0;
  props::for_each_owned_for(w, a, p, [&](LicenseIx l) { n += w.licenses[l].status == LicenseStatus::AVAILABLE; });
  props::for_each_received_for(w, a, p, [&](GrantIx g) {
    const Grant& gr = w.grants[g];
    n += g != except && gr.status == GrantStatus::ACTIVE && w.licenses[gr.license].status == LicenseStatus::AVAILABLE;
  });
  return n;
}

// Has (account, product) any active license (the count above is not 0)? The
// walks stop at the first one: on long lists (a simulated account holds
// hundreds of grants) the entitlement is usually its newest grant.
inline bool has_active_license_by_scan(const World& w, AccountIx a, ProductIx p) {
  bool yes = false;
  props::for_each_owned_for(w, a, p, [&](LicenseIx l) { return yes = w.licenses[l].status == LicenseStatus::AVAILABLE; });
  if (yes) return true;
  props::for_each_received_for(w, a, p, [&](GrantIx g) {
    const Grant& gr = w.grants[g];
    return yes = gr.status == GrantStatus::ACTIVE && w.licenses[gr.license].status == LicenseStatus::AVAILABLE;
  });
  return yes;
}

// May the account run the product? (Terminology: Entitlement; FAQ 1: a
// GovCloud account is entitled exactly when its commercial account is.)
inline bool entitled_by_scan(const World& w, AccountIx a, ProductIx p) {
  if (!w.valid_account(a)) return false;
  const AccountIx e = (w.accounts[a].flags & kGovCloud) ? w.accounts[a].govcloud_link : a;
  return w.valid_account(e) && has_active_license_by_scan(w, e, p);
}

// aws-api-facts: the AWS License Manager operations of the model (the grant
// calls and UpdateServiceSettings); Marketplace, Organizations, IAM and
// workload calls are not.
constexpr bool is_license_manager_call(Op op) {
  switch (op) {
    case Op::CreateGrant:
    case Op::AcceptGrant:
    case Op::RejectGrant:
    case Op::AcceptAndActivateGrant:
    case Op::CreateGrantVersion:
    case Op::DeleteGrant:
    case Op::UpdateServiceSettings: return true;
    default: return false;
  }
}

}  // namespace entmc::props
