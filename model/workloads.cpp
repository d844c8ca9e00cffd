// Workloads: instances, containers, models running a product in an account.
#include "model/rules.h"

namespace entmc::rules {

// Seeds: "Grant Activation" (activation is required to spin up workloads),
// FAQ 1 (a GovCloud account is entitled through its commercial account and
// runs the software in GovCloud), "License Home Region" (workloads run in any
// region of the account's partition).
Outcome launch_workload(World& w, const Call& c, Changes* ch) {
  const bool govcloud_account = w.accounts[c.caller].flags & kGovCloud;
  if (govcloud_account != is_govcloud(c.region)) return fail(Reason::WrongPartitionRegion);
  if (!entitled(w, c.caller, c.product)) return fail(Reason::NoEntitlement);
  uint8_t n = w.running_at(c.caller, c.product);
  if (n == 255) return fail(Reason::WorkloadLimit);
  mut::set_running(w, ch, c.caller, c.product, uint8_t(n + 1));
  return success();
}

// Seeds: "Deactivating Grants", "Deleting Grants", "Keeping track of grants",
// "Delegated Administrator" (transition; removal), FAQ 2: running workloads
// are never stopped by license actions; only their own account stops them.
Outcome stop_workload(World& w, const Call& c, Changes* ch) {
  uint8_t n = w.running_at(c.caller, c.product);
  if (n == 0) return fail(Reason::NoRunningWorkload);
  mut::set_running(w, ch, c.caller, c.product, uint8_t(n - 1));
  return success();
}

}  // namespace entmc::rules
