// Internal to properties/: how violations name things, in the domain's words
// (the IDs a person sees in replay output), and the record-level facts several
// properties share.
#pragma once

#include <string>

#include "model/names.h"
#include "model/world.h"

namespace entmc::props {

std::string account_name(const Names&, AccountIx);
std::string product_name(const Names&, ProductIx);
std::string grant_name(const Names&, const World&, GrantIx);  // "g-... (to A on product P)"
std::string license_name(const Names&, const World&, LicenseIx);

// Only the management account and the current delegated administrator manage
// distributions to the organization ID.
inline bool is_admin(const Organization& org, AccountIx a) {
  return a == org.management || (a != kNone && a == org.delegated_admin);
}

}  // namespace entmc::props
