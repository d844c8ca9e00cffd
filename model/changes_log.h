// Mutation helpers: the only way rules modify a World. Each logs the record's
// before-image into Changes (when one is given) before touching it.
#pragma once

#include "model/world.h"

namespace entmc::mut {

// World::active_licenses bookkeeping. A grant counts for its grantee when it
// is ACTIVE on an AVAILABLE license; a license counts for its owner when it is
// AVAILABLE. Every status change goes through set_grant_status or
// set_license_status, which adjust the counts (a grant's license and grantee
// and a license's product and owner never change).
inline bool counts_as_active(const World& w, const Grant& gr) {
  return gr.status == GrantStatus::ACTIVE && gr.grantee != kNone &&
         w.licenses[gr.license].status == LicenseStatus::AVAILABLE;
}
inline uint16_t& active_slot(World& w, AccountIx a, ProductIx p) {
  return w.active_licenses[w.slot(a, p)];
}

inline Grant& grant(World& w, Changes* ch, GrantIx g) {
  if (ch && g < ch->grants_before && (ch->grants.empty() || ch->grants.back().first != g))
    ch->grants.emplace_back(g, w.grants[g]);
  return w.grants[g];
}

inline License& license(World& w, Changes* ch, LicenseIx l) {
  if (ch && l < ch->licenses_before && (ch->licenses.empty() || ch->licenses.back().first != l))
    ch->licenses.emplace_back(l, w.licenses[l]);
  return w.licenses[l];
}

inline Account& account(World& w, Changes* ch, AccountIx a) {
  if (ch && (ch->accounts.empty() || ch->accounts.back().first != a)) ch->accounts.emplace_back(a, w.accounts[a]);
  return w.accounts[a];
}

inline Organization& org(World& w, Changes* ch) {
  if (ch && !ch->org_changed) {
    ch->org_changed = true;
    ch->org_before = w.org;
  }
  return w.org;
}

inline void set_running(World& w, Changes* ch, AccountIx a, ProductIx p, uint8_t value) {
  uint8_t& slot = w.running[w.slot(a, p)];
  if (ch) ch->workloads.push_back({a, p, slot});
  slot = value;
}

inline void set_token(World& w, Changes* ch, TokenId t, TokenRecord rec) {
  if (t == 0) return;
  if (t >= w.tokens.size()) w.tokens.resize(size_t(t) + 1);
  if (ch) ch->tokens.emplace_back(t, w.tokens[t]);
  w.tokens[t] = rec;
}

// Appends a license and links it into its owner's list for its product. The
// list head is an index outside the state (World::first_owned), so no record
// is logged for it: the appended license is the change.
inline LicenseIx add_license(World& w, Changes* /*nothing to log*/, License lic) {
  auto l = LicenseIx(w.licenses.size());
  LicenseIx& head = w.first_owned[w.slot(lic.owner, lic.product)];
  lic.next_owned = head;
  lic.first_grant = kNone;
  w.licenses.push_back(lic);
  head = l;
  if (lic.status == LicenseStatus::AVAILABLE) ++active_slot(w, lic.owner, lic.product);
  return l;
}

// Appends a grant and links it into its license's list and its grantee's list
// for the license's product. The grantee's list head is an index outside the
// state (World::first_received), so no record is logged for it: the appended
// grant is the change.
inline GrantIx add_grant(World& w, Changes* ch, Grant gr) {
  auto g = GrantIx(w.grants.size());
  const ProductIx product = w.licenses[gr.license].product;
  GrantIx* head = gr.grantee == kNone ? nullptr : &w.first_received[w.slot(gr.grantee, product)];
  gr.next_on_license = w.licenses[gr.license].first_grant;
  gr.next_received = head ? *head : kNone;
  w.grants.push_back(gr);
  license(w, ch, gr.license).first_grant = g;
  if (head) *head = g;
  if (counts_as_active(w, gr)) ++active_slot(w, gr.grantee, product);
  return g;
}

// Sets a grant's status (and optionally its reason) as one new version.
inline void set_grant_status(World& w, Changes* ch, GrantIx g, GrantStatus s, StringId reason) {
  Grant& gr = grant(w, ch, g);
  const bool was_active = counts_as_active(w, gr);
  gr.status = s;
  if (reason != kReasonNone) gr.status_reason = reason;
  ++gr.version;
  if (was_active != counts_as_active(w, gr)) {
    uint16_t& n = active_slot(w, gr.grantee, w.licenses[gr.license].product);
    n = was_active ? uint16_t(n - 1) : uint16_t(n + 1);
  }
}

// Sets a license's status. Leaving or entering AVAILABLE changes the count of
// its owner and of the grantee of every ACTIVE grant on it: O(grants on the
// license), once per such change (a deactivation, expiry or cancellation,
// which walks the same list anyway).
inline void set_license_status(World& w, Changes* ch, LicenseIx l, LicenseStatus s) {
  License& lic = license(w, ch, l);
  const bool was = lic.status == LicenseStatus::AVAILABLE;
  lic.status = s;
  const bool now = s == LicenseStatus::AVAILABLE;
  if (was == now) return;
  auto bump = [&](uint16_t& n) { n = now ? uint16_t(n + 1) : uint16_t(n - 1); };
  bump(active_slot(w, lic.owner, lic.product));
  for (GrantIx g = lic.first_grant; g != kNone; g = w.grants[g].next_on_license) {
    const Grant& gr = w.grants[g];
    if (gr.status == GrantStatus::ACTIVE && gr.grantee != kNone) bump(active_slot(w, gr.grantee, lic.product));
  }
}

}  // namespace entmc::mut
