#include "proptest/world_spec.h"

#include <fmt/format.h>

namespace entmc::proptest {

std::string account_id(AccountIx a) { return fmt::format("{:012}", 111100000000ull + a * 1001ull); }

std::string product_name(ProductIx p, ProductType t) {
  std::string type(to_string(t));
  for (char& c : type) c = char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : (c == '_' ? '-' : c));
  return fmt::format("{}-product-{}", type, p + 1);
}

bool valid(const WorldSpec& s, std::string* why) {
  auto no = [&](const char* msg) {
    if (why) *why = msg;
    return false;
  };
  if (s.products.empty()) return no("a world needs at least one product");
  for (AccountIx link : s.govcloud_links)
    if (link >= s.commercial_count()) return no("a GovCloud account must be linked to a commercial account");
  if (s.delegated_admin != kNone) {
    if (s.delegated_admin == 0 || s.delegated_admin > s.members)
      return no("the delegated administrator must be a member account");
    if (s.feature_set != FeatureSet::ALL) return no("a delegated administrator needs all features");
  }
  if (s.feature_set != FeatureSet::ALL && s.org_flags != 0)
    return no("trusted access and linking need all features");
  return true;
}

Setup build_world(const WorldSpec& s, size_t token_count) {
  Setup out;
  out.world = make_world(s.feature_set, s.products, token_count);
  World& w = out.world;
  auto roles = [&](AccountIx a) { return a < s.roles.size() ? s.roles[a] : uint8_t(0); };
  add_account(w, Membership::MANAGEMENT, roles(0));
  for (uint32_t i = 0; i < s.members; ++i) add_account(w, Membership::MEMBER, roles(AccountIx(1 + i)));
  for (uint32_t i = 0; i < s.outside; ++i)
    add_account(w, Membership::OUTSIDE, roles(AccountIx(1 + s.members + i)));
  for (AccountIx link : s.govcloud_links) add_account(w, Membership::OUTSIDE, kGovCloud, link);
  w.org.flags = s.org_flags;
  w.org.delegated_admin = s.delegated_admin;
  for (AccountIx a = 0; a < w.accounts.size(); ++a) out.names.accounts.push_back(account_id(a));
  for (ProductIx p = 0; p < w.products.size(); ++p) out.names.products.push_back(product_name(p, w.products[p]));
  return out;
}

}  // namespace entmc::proptest
