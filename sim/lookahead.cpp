#include "sim/lookahead.h"

#include "model/memory_hints.h"

namespace entmc::sim {
namespace {

// The per-account record and the (account, product) slots the rules and
// checks read for it: launches and the entitlement check (running, active
// licenses), the lists of received grants.
void request_slots(const World& w, AccountIx a, ProductIx p) {
  if (a >= w.accounts.size() || p >= w.products.size()) return;
  const size_t slot = size_t(a) * w.products.size() + p;
  prefetch_line(&w.accounts[a]);
  prefetch_line(&w.running[slot]);
  prefetch_line(&w.active_licenses[slot]);
  prefetch_line(&w.first_received[slot]);
}

// The heads of the account's owned list and of its received list for the
// product (requested by request_slots a look earlier).
void request_list_heads(const World& w, AccountIx a, ProductIx p) {
  if (a >= w.accounts.size() || p >= w.products.size()) return;
  const GrantIx g = w.first_received_at(a, p);
  if (g < w.grants.size()) prefetch_line(&w.grants[g]);
  const LicenseIx l = w.accounts[a].first_owned;
  if (l < w.licenses.size()) prefetch_line(&w.licenses[l]);
}

// One hop down both lists: the head grant's license and the next grant; the
// head license's successor.
void request_list_links(const World& w, AccountIx a, ProductIx p) {
  if (a >= w.accounts.size() || p >= w.products.size()) return;
  if (const GrantIx g = w.first_received_at(a, p); g < w.grants.size()) {
    const Grant& gr = w.grants[g];
    if (gr.license < w.licenses.size()) prefetch_line(&w.licenses[gr.license]);
    if (gr.next_received < w.grants.size()) prefetch_line(&w.grants[gr.next_received]);
  }
  if (const LicenseIx l = w.accounts[a].first_owned; l < w.licenses.size()) {
    const LicenseIx next = w.licenses[l].next_owned;
    if (next < w.licenses.size()) prefetch_line(&w.licenses[next]);
  }
}

}  // namespace

void look_ahead(const World& w, const EventGenerator& gen, uint64_t k, Look look) {
  const EventGenerator::Ahead a = gen.ahead(w, k);
  const auto products = w.products.size();
  switch (look) {
    case Look::kEntries:
      if (a.grant_entry) prefetch_line(a.grant_entry);
      if (a.license_entry) prefetch_line(a.license_entry);
      if (a.running_entry) prefetch_line(a.running_entry);
      request_slots(w, a.account, a.product);
      return;
    case Look::kRecords:
      if (a.grant_entry && *a.grant_entry < w.grants.size()) prefetch_line(&w.grants[*a.grant_entry]);
      if (a.license_entry && *a.license_entry < w.licenses.size()) prefetch_line(&w.licenses[*a.license_entry]);
      if (a.running_entry && products)
        request_slots(w, AccountIx(*a.running_entry / products), ProductIx(*a.running_entry % products));
      request_list_heads(w, a.account, a.product);
      return;
    case Look::kLinks:
      if (a.grant_entry && *a.grant_entry < w.grants.size()) {
        const Grant& gr = w.grants[*a.grant_entry];
        if (gr.license < w.licenses.size()) prefetch_line(&w.licenses[gr.license]);
        if (gr.grantee < w.accounts.size()) prefetch_line(&w.accounts[gr.grantee]);
        if (gr.grantor < w.accounts.size()) prefetch_line(&w.accounts[gr.grantor]);
      }
      if (a.license_entry && *a.license_entry < w.licenses.size()) {
        const License& lic = w.licenses[*a.license_entry];
        if (lic.owner < w.accounts.size()) prefetch_line(&w.accounts[lic.owner]);
        if (lic.first_grant < w.grants.size()) prefetch_line(&w.grants[lic.first_grant]);
      }
      if (a.running_entry && products)
        request_list_heads(w, AccountIx(*a.running_entry / products), ProductIx(*a.running_entry % products));
      request_list_links(w, a.account, a.product);
      return;
    case Look::kDeeper:
      if (a.grant_entry && *a.grant_entry < w.grants.size()) {
        const Grant& gr = w.grants[*a.grant_entry];
        if (gr.license < w.licenses.size()) {
          request_slots(w, gr.grantee, w.licenses[gr.license].product);
          if (gr.grantee < w.accounts.size()) {
            const LicenseIx l = w.accounts[gr.grantee].first_owned;
            if (l < w.licenses.size()) prefetch_line(&w.licenses[l]);
          }
        }
      }
      if (a.running_entry && products)
        request_list_links(w, AccountIx(*a.running_entry / products), ProductIx(*a.running_entry % products));
      return;
  }
}

}  // namespace entmc::sim
