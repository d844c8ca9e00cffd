// Internal to scenario/: what the section parsers share while reading one
// file: the reader, the side table being filled, and the aliases defined so
// far (aliases are checked at parse time: defined before use, once).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "scenario/scenario.h"
#include "scenario/yaml_reader.h"

namespace entmc::scn {

// An absent key: an undefined node, so that `if (node)` tells whether it was
// given (a default-constructed YAML::Node counts as a defined null). Bind it
// with reset(v), never `= v`: yaml-cpp's assignment merges the whole
// document's node set into the target, which made parsing quadratic.
inline YAML::Node absent() { return YAML::Node(YAML::NodeType::Undefined); }

enum class AliasKind : uint8_t { License, Grant };

struct AliasInfo {
  AliasKind kind;
  size_t step;  // the step whose `as:` defines it
  SourceMark mark;
};

// The `org` section: the accounts in index order and the organization record.
struct OrgSection {
  FeatureSet feature_set = FeatureSet::ALL;
  std::vector<Account> accounts;  // in AccountIx order, matching Names::accounts
  Organization org;
};

struct Context {
  yaml::Reader reader;
  Names& names;
  std::unordered_map<std::string, AliasInfo> aliases;
  // Account ID -> index (Names::find_account is a linear search; organizations
  // written by the simulator have up to millions of accounts).
  std::unordered_map<std::string, AccountIx> account_ix;

  std::optional<AccountIx> find_account(const std::string& id) const {
    auto it = account_ix.find(id);
    if (it == account_ix.end()) return std::nullopt;
    return it->second;
  }

  // An account by its 12-digit ID (or `aws-marketplace` when `issuer_ok`).
  // With `unknown_ok` (a call's parameters) also "account#N" beyond the
  // world's accounts (scenario/unknown_ref.h); the same for products.
  AccountIx account(const YAML::Node&, std::string_view what, bool issuer_ok = false, bool unknown_ok = false) const;
  AccountIx unknown_account(const YAML::Node&, uint32_t ix) const;
  ProductIx product(const YAML::Node&, bool unknown_ok = false) const;
  // A license / grant reference: an alias defined by an earlier step, or a
  // printed l-/g- ID.
  RecordRef record(const YAML::Node&, AliasKind) const;
};

// Sections, each in its own file.
OrgSection parse_org(Context&, const YAML::Node& org);  // org_section.cpp
void parse_products(Context&, const YAML::Node& products, std::vector<ProductType>& types);
std::vector<Step> parse_steps(Context&, const YAML::Node& steps);                 // step_parser.cpp
std::vector<Expectation> parse_expect(Context&, const YAML::Node& expect);       // expect_parser.cpp

bool is_printed_id(std::string_view s, char prefix);  // l-/g- + 32 lowercase hex digits

}  // namespace entmc::scn
