// Read-only questions about a World that the rules and the invariants share:
// who is entitled to what, which prerequisites hold, who may manage what.
#pragma once

#include "model/world.h"

namespace entmc {

// The License Manager service-linked role. (Pre-requisite Permissions)
bool has_license_manager_role(const World&, AccountIx);
// The Marketplace service-linked role: created in the account itself, or, in an
// all-features organization with trusted access for Marketplace, for every
// member account by the organization. (Pre-requisite Permissions, Note)
bool has_marketplace_role(const World&, AccountIx);

// The account whose licenses decide a workload account's entitlement: a
// GovCloud account is entitled exactly when its commercial account is. (FAQ 1)
AccountIx entitlement_account(const World&, AccountIx);

// Licenses in force for (account, product): the account's own AVAILABLE
// subscriptions plus its ACTIVE grants on AVAILABLE licenses, skipping
// `except`. (Updating License status reason: one license active per
// product-account combination; FAQ 2: a subscription counts) Both kinds can be
// in force at once: a subscription made while a grant is ACTIVE does not count
// as the active license until no grant for the product is ACTIVE (subscribe in
// subscriptions.cpp), so this is not "how many active licenses" but "is any".
// O(1): reads World::active_licenses, which the mutation helpers maintain.
int active_license_count(const World&, AccountIx, ProductIx, GrantIx except = kNone);
bool has_own_available_subscription(const World&, AccountIx, ProductIx);

// May the account launch the product? (Terminology: Entitlement; Grant Activation)
bool entitled(const World&, AccountIx, ProductIx);

// Only the management account and the active delegated administrator manage
// distributions to the organization ID. (Delegated Administrator: removal)
bool is_org_administrator(const World&, AccountIx);

// The child of organization grant `parent` received by `account`: the newest
// non-terminal one, else the newest one, else kNone. Walks the account's
// grants for the parent's product only.
GrantIx find_org_child(const World&, GrantIx parent, AccountIx account);

// The grants account `a` received for product `p`, newest first.
template <typename F>
void for_each_received_for(const World& w, AccountIx a, ProductIx p, F&& f) {
  for (GrantIx g = w.first_received_at(a, p); g != kNone; g = w.grants[g].next_received) f(g);
}
// Every grant account `a` received, product by product (newest first within
// a product).
template <typename F>
void for_each_received(const World& w, AccountIx a, F&& f) {
  for (ProductIx p = 0; p < w.product_count(); ++p) for_each_received_for(w, a, p, f);
}
template <typename F>
void for_each_on_license(const World& w, LicenseIx l, F&& f) {
  for (GrantIx g = w.licenses[l].first_grant; g != kNone; g = w.grants[g].next_on_license) f(g);
}
// The licenses account `a` subscribed to for product `p`, newest first.
template <typename F>
void for_each_owned_for(const World& w, AccountIx a, ProductIx p, F&& f) {
  for (LicenseIx l = w.first_owned_at(a, p); l != kNone; l = w.licenses[l].next_owned) f(l);
}
// Every license account `a` subscribed to, product by product (newest first
// within a product).
template <typename F>
void for_each_owned(const World& w, AccountIx a, F&& f) {
  for (ProductIx p = 0; p < w.product_count(); ++p) for_each_owned_for(w, a, p, f);
}

inline ProductIx product_of_grant(const World& w, GrantIx g) { return w.licenses[w.grants[g].license].product; }

}  // namespace entmc
