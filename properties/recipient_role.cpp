// recipient-has-marketplace-role: no account is entitled through a grant
// without the AWS Marketplace service-linked role. Seed "Pre-requisite
// Permissions": "You will need to enable the service linked role for AWS
// Marketplace - License Management across every account that you plan to
// grant or receive licenses through managed entitlements"; the Note: trusted
// access across an all-features organization "ensures that SLRs will be
// created for your organization's linked accounts as well".
//
// An independent oracle: it states who holds the role itself (holds_role
// below) instead of asking the model's has_marketplace_role.
#include <fmt/format.h>

#include "properties/world_facts.h"
#include "properties/catalog.h"
#include "properties/describe.h"
#include "properties/touched.h"

namespace entmc::props {
namespace {

// The organization creates the role in every member account when it has all
// features and its management account enabled trusted access for AWS Marketplace.
bool org_creates_roles(const Organization& org) {
  return org.feature_set == FeatureSet::ALL && (org.flags & kTrustedMarketplace) != 0;
}

// AWSServiceRoleForMarketplaceLicenseManagement exists for the account: created
// in it, or created for it as a member by the organization.
bool holds_role(const World& w, AccountIx a) {
  const Account& acc = w.accounts[a];
  if (acc.flags & kSlrMarketplace) return true;
  return acc.membership != Membership::OUTSIDE && org_creates_roles(w.org);
}

std::optional<std::string> check_grant(const World& w, const Names& n, GrantIx g) {
  const Grant& gr = w.grants[g];
  if (gr.status != GrantStatus::ACTIVE || gr.grantee == kNone || gr.grantee >= w.accounts.size()) return std::nullopt;
  if (holds_role(w, gr.grantee)) return std::nullopt;
  return fmt::format("{} is ACTIVE for {}, which has no AWSServiceRoleForMarketplaceLicenseManagement (own or "
                     "through trusted access)",
                     grant_name(n, w, g), account_name(n, gr.grantee));
}

std::optional<std::string> full(const World& w, const Names& n) {
  for (GrantIx g = 0; g < w.grants.size(); ++g)
    if (auto v = check_grant(w, n, g)) return v;
  return std::nullopt;
}

// The verdict changes only where a grant became ACTIVE (a touched grant), an
// account lost the role (a touched account: its flags or its membership), or
// the organization stopped creating roles (never in the model: then the whole
// state is checked). Cost: the touched grants, and the received lists of the
// touched accounts that hold no role.
std::optional<std::string> local(const World& w, const Changes& ch, const Names& n) {
  const Touched& t = Touched::of(w, ch);
  if (t.org_changed && t.org_before && org_creates_roles(*t.org_before) && !org_creates_roles(w.org))
    return full(w, n);
  for (const auto& e : t.grants)
    if (auto v = check_grant(w, n, e.ix)) return v;
  std::optional<std::string> out;
  for (const auto& e : t.accounts) {
    if (e.ix >= w.accounts.size() || holds_role(w, e.ix)) continue;
    for_each_received(w, e.ix, [&](GrantIx g) {
      if (!out) out = check_grant(w, n, g);
    });
    if (out) return out;
  }
  return std::nullopt;
}

}  // namespace

Property recipient_role_held() {
  return {.name = "recipient-has-marketplace-role",
          .statement = "Every ACTIVE grant's recipient holds AWSServiceRoleForMarketplaceLicenseManagement: its own, "
                       "or, as a member of an all-features organization with trusted access for AWS Marketplace, "
                       "the organization's.",
          .seed = "Pre-requisite Permissions (the Marketplace role in every account that will grant or receive "
                  "licenses; the Note on trusted access)",
          .kind = PropertyKind::Always,
          .check_state = full,
          .check_local = local,
          .breaks_on = kOrgChange | kAccountChange | kGrantChange};
}

}  // namespace entmc::props
