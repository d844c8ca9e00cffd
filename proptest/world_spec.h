// The description of a generated world: an organization with its accounts,
// products, prerequisite shortcuts, GovCloud links and delegated
// administrator. build_world turns it into the model's World and the Names
// side table; a scenario's `org`/`products` sections say the same thing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/names.h"
#include "model/world.h"
#include "properties/property.h"

namespace entmc::proptest {

struct WorldSpec {
  FeatureSet feature_set = FeatureSet::ALL;
  // Accounts, in AccountIx order: [0] is the management account, then
  // `members` member accounts, then `outside` accounts outside the
  // organization, then one GovCloud account per entry of govcloud_links (the
  // commercial account it is linked to).
  uint32_t members = 1;
  uint32_t outside = 0;
  std::vector<AccountIx> govcloud_links;
  std::vector<ProductType> products{ProductType::AMI};
  // Prerequisite shortcuts (seed "Pre-requisite Permissions"): organization
  // flags (OrgFlag) and, per commercial account, service-linked role flags
  // (AccountFlag kSlr*); missing entries mean no roles.
  uint8_t org_flags = 0;
  std::vector<uint8_t> roles;
  AccountIx delegated_admin = kNone;

  uint32_t commercial_count() const { return 1 + members + outside; }
  uint32_t account_count() const { return commercial_count() + uint32_t(govcloud_links.size()); }
  bool operator==(const WorldSpec&) const = default;
};

struct Setup {
  World world;
  Names names;
  // User properties (policy/) to check as well, from the scenario file that
  // fixed the world; owned by the caller, who keeps them alive.
  const std::vector<Property>* extra = nullptr;
};

// Account IDs are fixed per index (12 digits, distinct), product names per
// index and type: the same spec always gives the same Setup.
std::string account_id(AccountIx);
std::string product_name(ProductIx, ProductType);

// `token_count`: how many ClientTokens the run may use (World::tokens).
Setup build_world(const WorldSpec&, size_t token_count);

// False (with a reason) when the spec describes an impossible organization,
// e.g. a delegated administrator that is not a member.
bool valid(const WorldSpec&, std::string* why = nullptr);

}  // namespace entmc::proptest
