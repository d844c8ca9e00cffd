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
  auto ix = AccountIx(w.accounts.size() - 1);
  if (m == Membership::MANAGEMENT) w.org.management = ix;
  return ix;
}

}  // namespace entmc
