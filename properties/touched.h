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
#include "properties/scratch.h"

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

  static Touched of(const World& after, const Changes&);

  // The vectors' buffers are recycled (scratch.h): every local check builds
  // one of these after every simulated event.
  Touched() {
    take_buffer(grants);
    take_buffer(licenses);
    take_buffer(accounts);
  }
  ~Touched() {
    give_buffer(grants);
    give_buffer(licenses);
    give_buffer(accounts);
  }
  Touched(Touched&&) = default;
  Touched(const Touched&) = delete;
  Touched& operator=(const Touched&) = delete;
};

// Sorts and removes duplicates.
void sort_unique(std::vector<uint32_t>&);

}  // namespace entmc::props
