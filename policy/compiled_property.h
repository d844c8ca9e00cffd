// Internal to policy/: one user property after compilation, what its
// Property's checks point to.
#pragma once

#include <string>
#include <vector>

#include "policy/nodes.h"
#include "policy/user_properties.h"

namespace entmc::policy {

struct CompiledProperty {
  std::string name, description, where;  // where: FILE:LINE of the entry
  PropertyKind kind = PropertyKind::Always;
  bool never = false;       // always, negated
  bool eventually = false;  // eventually_possible (graph)
  PredPtr pred;             // as written (for never: what must never hold)
  Footprint fp;
  // The GovCloud accounts linked to each commercial account: a change to the
  // commercial account's licenses changes what they can launch.
  std::vector<std::vector<AccountIx>> govcloud_of;

  // Does the state satisfy the property's predicate (never: not hold)?
  bool holds(const World&, const Names&) const;
  // What a counterexample says: the description, where it was written, and
  // the bindings that fail.
  std::string explain(const World&, const Names&) const;
};

}  // namespace entmc::policy
