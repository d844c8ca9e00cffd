// The ARNs entmc reads (aws-api-facts.md): licenses, grants, the
// organization principal, account principals and organizational units.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace entmc::aws {

enum class ArnKind { License, Grant, Organization, Account, OrganizationalUnit };

struct Arn {
  ArnKind kind;
  std::string account;  // the account field (for an organization: the management account)
  std::string id;       // l-/g- ID, o- ID, OU ID; empty for an account
};

// arn:aws:license-manager:[REGION]:ACCOUNT:license:l-...  / :grant:g-...
// arn:aws:organizations::MGMT:organization/o-...           / :ou/o-.../ou-...
// arn:aws:iam::ACCOUNT:root, or a bare 12-digit account ID
std::optional<Arn> parse_arn(std::string_view);

}  // namespace entmc::aws
