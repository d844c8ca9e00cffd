// Builds the simulation's starting point from a SimConfig: the initial World
// (accounts, products, prerequisites already in place, as a scenario's `org`
// section with its prerequisite shortcuts would build it), its Names, and the
// setup calls (delegated administrator, subscriptions, organization grants)
// that the simulator applies with apply() before the first drawn event.
#pragma once

#include <vector>

#include "model/call.h"
#include "model/names.h"
#include "model/world.h"
#include "sim/config.h"

namespace entmc::sim {

struct InitialOrg {
  World world;
  Names names;
  AccountIx management = 0;
  AccountIx first_member = 1;
  AccountIx member_end = 1;  // members are [first_member, member_end), outside accounts after
  AccountIx delegated_admin = kNone;  // registered by the first setup call
};

// Account layout: 0 is the management account, then the members, then the
// outside accounts. IDs listed in the file come first; the rest are generated:
// distinct 12-digit IDs, a fixed function of the index (generated_account_id).
// The file's `start` section, when it has one, then adds its licenses, grants
// and workloads (scenario/start_state.h); its errors are ConfigErrors.
InitialOrg build_initial_org(const SimConfig&);
// Does the world hold records a start section gave it (licenses, grants or
// running workloads before any call)?
bool has_start_records(const World&);
std::string generated_account_id(uint64_t index);
// The start records as one call's change log that created them all (every
// license and grant new, every running slot started), for whatever keeps
// indexes of them from change logs (the generator).
Changes start_records_as_changes(const World&);

// The setup calls, in order. They name licenses and grants by index, so they
// are produced one at a time from the world as it is: next_setup_call returns
// false when setup is complete.
class SetupPlan {
 public:
  SetupPlan(const SimConfig&, const InitialOrg&);
  bool next(const World&, Call& out);

 private:
  std::vector<Call> pending_;  // in reverse order; license/grant filled in from the world
  enum class Fill : uint8_t { None, LastLicenseOfMgmtForProduct, LastOrgGrant };
  std::vector<Fill> fill_;
};

}  // namespace entmc::sim
