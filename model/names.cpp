#include "model/names.h"

#include <xxhash.h>

#include <stdexcept>

#include "model/errors.h"
#include "model/world.h"

namespace entmc {

Names::Names() {
  // Fixed ids, in SystemReason order (world.h).
  // A child that bulk activation could not activate because of the one-active
  // rule shows the seed's message ("Updating License status reason"), the same
  // text a direct activation fails with.
  for (std::string_view s : {std::string_view(""), std::string_view("Subscription cancelled: license deleted"),
                             std::string_view("Account left the organization"),
                             std::string_view("Delegated administrator deregistered"),
                             std::string_view("Replaced by a grant activated with ALL_GRANTS_PERMITTED_BY_ISSUER"),
                             reason_message(Reason::OneActiveLicensePerProduct),
                             std::string_view("Not activated: the license or the recipient cannot be activated")})
    intern_string(s);
  tokens_.emplace_back();  // TokenId 0 = none
}

StringId Names::intern_string(std::string_view s) {
  auto it = string_ix_.find(std::string(s));
  if (it != string_ix_.end()) return it->second;
  if (strings_.size() >= 0xFFFF) throw std::length_error("too many distinct grant names and status reasons");
  auto id = StringId(strings_.size());
  strings_.emplace_back(s);
  string_ix_.emplace(std::string(s), id);
  return id;
}

TokenId Names::intern_token(std::string_view s) {
  auto it = token_ix_.find(std::string(s));
  if (it != token_ix_.end()) return it->second;
  if (tokens_.size() >= 0xFFFF) throw std::length_error("too many distinct client tokens");
  auto id = TokenId(tokens_.size());
  tokens_.emplace_back(s);
  token_ix_.emplace(std::string(s), id);
  return id;
}

std::optional<AccountIx> Names::find_account(std::string_view id) const {
  for (size_t i = 0; i < accounts.size(); ++i)
    if (accounts[i] == id) return AccountIx(i);
  return std::nullopt;
}

std::optional<ProductIx> Names::find_product(std::string_view name) const {
  for (size_t i = 0; i < products.size(); ++i)
    if (products[i] == name) return ProductIx(i);
  return std::nullopt;
}

std::string Names::account(AccountIx a) const {
  if (a == kIssuer) return "aws-marketplace";
  if (a < accounts.size()) return accounts[a];
  return "account#" + std::to_string(a);
}

namespace {
std::string hex_id(char prefix, uint64_t seed, uint64_t kind, uint64_t ix) {
  uint64_t in[3] = {seed, kind, ix};
  XXH128_hash_t h = XXH3_128bits(in, sizeof in);
  static const char* digits = "0123456789abcdef";
  std::string out = {prefix, '-'};
  for (uint64_t part : {h.high64, h.low64})
    for (int i = 15; i >= 0; --i) out.push_back(digits[(part >> (i * 4)) & 0xF]);
  return out;
}
}  // namespace

std::string Names::license_id(LicenseIx l) const {
  if (l < given_license_ids.size() && !given_license_ids[l].empty()) return given_license_ids[l];
  return hex_id('l', id_seed, 1, l);
}
std::string Names::grant_id(GrantIx g) const {
  if (g < given_grant_ids.size() && !given_grant_ids[g].empty()) return given_grant_ids[g];
  return hex_id('g', id_seed, 2, g);
}
void Names::name_license(LicenseIx l, std::string alias) {
  alias_names_[alias] = l;
  license_aliases[l] = std::move(alias);
}
void Names::name_grant(GrantIx g, std::string alias) {
  alias_names_[alias] = g;
  grant_aliases[g] = std::move(alias);
}
std::string Names::license_label(LicenseIx l) const {
  auto it = license_aliases.find(l);
  return it == license_aliases.end() ? license_id(l) : license_id(l) + " (" + it->second + ")";
}
std::string Names::grant_label(GrantIx g) const {
  auto it = grant_aliases.find(g);
  return it == grant_aliases.end() ? grant_id(g) : grant_id(g) + " (" + it->second + ")";
}
std::string Names::license_arn(LicenseIx l) const {
  if (l >= license_issuers.size() || license_issuers[l].empty()) return "";
  return "arn:aws:license-manager::" + license_issuers[l] + ":license:" + license_id(l);
}
std::string Names::grant_arn(GrantIx g, AccountIx grantor) const {
  return "arn:aws:license-manager::" + account(grantor) + ":grant:" + grant_id(g);
}
std::string Names::organization_arn(AccountIx management) const {
  return "arn:aws:organizations::" + account(management) + ":organization/" + org_id;
}

bool is_account_id(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool is_organization_id(std::string_view s) {
  if (s.size() < 12 || s.size() > 34 || s.substr(0, 2) != "o-") return false;
  for (char c : s.substr(2))
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

}  // namespace entmc
