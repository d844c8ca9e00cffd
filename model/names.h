// The side table: everything a person reads (12-digit account IDs, product
// names, grant names, status reasons, client tokens, license and grant IDs)
// kept out of the World so that states stay small. One Names serves a whole
// run; Worlds refer to its entries by index.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/types.h"

namespace entmc {

class Names {
 public:
  Names();  // starts with the model's own status reasons (SystemReason)

  std::string org_id = "o-exampleorg1";
  uint64_t id_seed = 0;  // mixes into license and grant IDs: same scenario, same IDs

  std::vector<std::string> accounts;  // 12-digit account ID per AccountIx
  std::vector<std::string> products;  // product name per ProductIx
  // Real IDs of records a scenario's start state names (`id:`), per index;
  // an index past the end or an empty entry prints the derived ID.
  std::vector<std::string> given_license_ids, given_grant_ids;
  // The account in a start license's real ARN (`issuer:`): a Marketplace
  // license ARN names the seller's (issuer's) account, which the model has no
  // record of; empty when unknown.
  std::vector<std::string> license_issuers;

  StringId intern_string(std::string_view);  // grant names and status reasons
  TokenId intern_token(std::string_view);    // client tokens
  const std::string& string(StringId id) const { return strings_[id]; }
  const std::string& token(TokenId id) const { return tokens_[id]; }
  size_t string_count() const { return strings_.size(); }
  size_t token_count() const { return tokens_.size() - 1; }

  std::optional<AccountIx> find_account(std::string_view id) const;
  std::optional<ProductIx> find_product(std::string_view name) const;
  std::string account(AccountIx) const;  // "kIssuer" prints as "aws-marketplace"

  // AWS-shaped identifiers, derived from (id_seed, index) alone.
  std::string license_id(LicenseIx) const;  // l- + 32 hex digits
  std::string grant_id(GrantIx) const;      // g- + 32 hex digits
  // The issuer's account (license_issuers); "" when the scenario does not give it.
  std::string license_arn(LicenseIx) const;
  std::string grant_arn(GrantIx, AccountIx grantor) const;
  std::string organization_arn(AccountIx management) const;

  // The names scenarios give licenses and grants (`as: ALIAS`), shown next
  // to their IDs in every report: "l-... (lic1)". Empty in runs that name
  // nothing (the simulator).
  std::unordered_map<LicenseIx, std::string> license_aliases;
  std::unordered_map<GrantIx, std::string> grant_aliases;
  void name_license(LicenseIx, std::string alias);
  void name_grant(GrantIx, std::string alias);
  bool alias_taken(const std::string& alias) const { return alias_names_.count(alias) != 0; }
  std::string license_label(LicenseIx) const;  // the ID, with " (alias)" when there is one
  std::string grant_label(GrantIx) const;

 private:
  std::vector<std::string> strings_;
  std::unordered_map<std::string, StringId> string_ix_;
  std::vector<std::string> tokens_;
  std::unordered_map<std::string, TokenId> token_ix_;
  std::unordered_map<std::string, uint32_t> alias_names_;  // every alias given, either kind
};

// Format checks from aws-api-facts.md.
bool is_account_id(std::string_view);       // ^\d{12}$
bool is_organization_id(std::string_view);  // ^o-[a-z0-9]{10,32}$

}  // namespace entmc
