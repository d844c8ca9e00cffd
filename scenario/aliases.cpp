#include "scenario/aliases.h"

#include <fmt/format.h>

namespace entmc {
namespace {

std::string unique_alias(const Names& n, const std::string& base) {
  if (!n.alias_taken(base)) return base;
  for (int k = 2;; ++k) {
    std::string a = fmt::format("{}_{}", base, k);
    if (!n.alias_taken(a)) return a;
  }
}

}  // namespace

std::string name_created(Names& n, const Call& c, const Outcome& o, size_t licenses_before, size_t grants_before) {
  if (!o.ok() || o.created == kNone) return "";
  if (c.op == Op::Subscribe && o.created >= licenses_before) {
    if (auto it = n.license_aliases.find(o.created); it != n.license_aliases.end()) return it->second;
    std::string a = unique_alias(n, fmt::format("lic{}", o.created + 1));
    n.name_license(o.created, a);
    return a;
  }
  if (c.op == Op::CreateGrant && o.created >= grants_before) {
    if (auto it = n.grant_aliases.find(o.created); it != n.grant_aliases.end()) return it->second;
    std::string a = unique_alias(n, fmt::format("grant{}", o.created + 1));
    n.name_grant(o.created, a);
    return a;
  }
  return "";
}

}  // namespace entmc
