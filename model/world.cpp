#include "model/world.h"

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

namespace entmc {
namespace {

template <typename T>
void hash_vector(XXH3_state_t* st, const std::vector<T>& v) {
  uint64_t n = v.size();
  XXH3_64bits_update(st, &n, sizeof n);
  if (!v.empty()) XXH3_64bits_update(st, v.data(), v.size() * sizeof(T));
}

}  // namespace

uint64_t World::digest() const {
  XXH3_state_t st;
  XXH3_INITSTATE(&st);
  XXH3_64bits_reset_withSeed(&st, 0x656e746d63ull);  // "entmc"
  XXH3_64bits_update(&st, &org, sizeof org);
  hash_vector(&st, products);
  hash_vector(&st, accounts);
  hash_vector(&st, licenses);
  hash_vector(&st, grants);
  hash_vector(&st, org_grants);
  hash_vector(&st, running);
  hash_vector(&st, tokens);
  return XXH3_64bits_digest(&st);
}

World make_world(FeatureSet fs, std::vector<ProductType> products, size_t token_count) {
  World w;
  w.org.feature_set = fs;
  w.products = std::move(products);
  w.tokens.assign(token_count + 1, TokenRecord{});
  return w;
}

AccountIx add_account(World& w, Membership m, uint8_t flags, AccountIx govcloud_link) {
  Account a;
  a.membership = m;
  a.flags = flags;
  a.govcloud_link = govcloud_link;
  w.accounts.push_back(a);
  w.running.resize(w.accounts.size() * w.products.size(), 0);
  w.active_licenses.resize(w.accounts.size() * w.products.size(), 0);
  w.first_received.resize(w.accounts.size() * w.products.size(), kNone);
  w.first_owned.resize(w.accounts.size() * w.products.size(), kNone);
  auto ix = AccountIx(w.accounts.size() - 1);
  if (m == Membership::MANAGEMENT) w.org.management = ix;
  return ix;
}

namespace {

void count_active_licenses(const World& w, std::vector<uint16_t>& out) {
  const size_t np = w.products.size();
  out.assign(w.accounts.size() * np, 0);
  for (const License& lic : w.licenses)
    if (lic.status == LicenseStatus::AVAILABLE) ++out[size_t(lic.owner) * np + lic.product];
  for (const Grant& gr : w.grants) {
    if (gr.status != GrantStatus::ACTIVE || gr.grantee == kNone) continue;
    const License& lic = w.licenses[gr.license];
    if (lic.status == LicenseStatus::AVAILABLE) ++out[size_t(gr.grantee) * np + lic.product];
  }
}

}  // namespace

// In place: the explorer's decoder calls it for every state it expands.
void rebuild_active_licenses(World& w) { count_active_licenses(w, w.active_licenses); }

bool active_licenses_consistent(const World& w) {
  std::vector<uint16_t> fresh;
  count_active_licenses(w, fresh);
  return fresh == w.active_licenses;
}

bool received_index_consistent(const World& w) {
  std::vector<GrantIx> heads(w.accounts.size() * w.products.size(), kNone);
  for (GrantIx g = 0; g < w.grants.size(); ++g) {
    const Grant& gr = w.grants[g];
    if (gr.grantee == kNone) {
      if (gr.next_received != kNone) return false;
      continue;
    }
    GrantIx& head = heads[size_t(gr.grantee) * w.products.size() + w.licenses[gr.license].product];
    if (gr.next_received != head) return false;
    head = g;
  }
  return heads == w.first_received;
}

bool owned_index_consistent(const World& w) {
  std::vector<LicenseIx> heads(w.accounts.size() * w.products.size(), kNone);
  for (LicenseIx l = 0; l < w.licenses.size(); ++l) {
    const License& lic = w.licenses[l];
    LicenseIx& head = heads[w.slot(lic.owner, lic.product)];
    if (lic.next_owned != head) return false;
    head = l;
  }
  return heads == w.first_owned;
}

}  // namespace entmc
