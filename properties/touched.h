// Internal to properties/: what one call touched, for the local checks
// (Property::check_local). Each local check looks at these records and the few
// records they lead to, so its cost follows the size of the change, not of the
// world: the simulator's million-account organization depends on it.
//
// Every local check assumes what the simulator guarantees: the property held
// before the call (it checks every step), and the identity fields of a record
// (a grant's license, grantor, grantee, parent; a license's product and owner)
// never change after creation, which the model never does.
#pragma once

#include <vector>

#include "model/world.h"

namespace entmc::props {

struct Touched {
  template <typename Rec>
  struct Entry {
    uint32_t ix;
    const Rec* before;  // nullptr: created by the call
  };
  std::vector<Entry<Grant>> grants;      // modified or created, one entry per index, sorted
  std::vector<Entry<License>> licenses;  // modified or created
  std::vector<Entry<Account>> accounts;  // modified
  bool org_changed = false;
  const Organization* org_before = nullptr;  // when org_changed

  // What the call behind `ch` touched. The result lives in a per-thread slot
  // whose buffers are reused (every local check asks after every simulated
  // event): the reference is valid until the next call on this thread, so a
  // local check takes it once, at its start. Inside a LocalCheckScope
  // (property.h) for the same (after, ch), it is computed once for all checks.
  static const Touched& of(const World& after, const Changes& ch);
};

}  // namespace entmc::props
