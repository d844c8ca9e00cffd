// Running workloads: only their own account stops them, and only an entitled
// account starts them.
#include <fmt/format.h>

#include "properties/world_facts.h"
#include "properties/before_view.h"
#include "properties/catalog.h"
#include "properties/describe.h"

namespace entmc::props {
namespace {

std::optional<std::string> only_stop_decreases(const Transition& t, const Names& n) {
  std::optional<std::string> out;
  const Call& c = t.call;
  BeforeView(t).for_each_changed_workload([&](AccountIx a, ProductIx p, uint8_t before, uint8_t after) {
    if (out || after > before) return;
    const bool own_stop = c.op == Op::StopWorkload && t.outcome.ok() && c.caller == a && c.product == p &&
                          after + 1 == before;
    if (!own_stop)
      out = fmt::format("{} by {} changed the running {} workloads of {} from {} to {}", to_string(c.op),
                        account_name(n, c.caller), product_name(n, p), account_name(n, a), before, after);
  });
  return out;
}

// Without the previous World the entitlement is read from the state after the
// launch: a launch changes only a running count, which entitlement does not
// read, so the two agree. A launch that changed anything else is reported.
std::optional<std::string> launch_entitled(const Transition& t, const Names& n) {
  const Call& c = t.call;
  if (c.op != Op::LaunchWorkload || !t.outcome.ok()) return std::nullopt;
  bool was_entitled = false;
  if (t.before) {
    was_entitled = entitled_by_scan(*t.before, c.caller, c.product);
  } else {
    if (BeforeView(t).non_workload_changed())
      return fmt::format("LaunchWorkload by {} for {} changed licenses, grants, accounts or the organization",
                         account_name(n, c.caller), product_name(n, c.product));
    was_entitled = entitled_by_scan(t.after, c.caller, c.product);
  }
  if (was_entitled) return std::nullopt;
  return fmt::format("LaunchWorkload by {} for {} succeeded without an entitlement (no AVAILABLE subscription and "
                     "no ACTIVE grant on an AVAILABLE license)",
                     account_name(n, c.caller), product_name(n, c.product));
}

}  // namespace

Property workloads_survive_license_actions() {
  return {.name = "workloads-survive-license-actions",
          .statement = "A running-workload count decreases only by one, through a successful StopWorkload by that "
                       "account for that product.",
          .seed = "Deactivating Grants; Deleting Grants; Keeping track of grants (leaving); Delegated Administrator "
                  "(removal); FAQ 2",
          .kind = PropertyKind::Transition,
          .check_transition = only_stop_decreases,
          .holds_on_failed_noop = true,
          .breaks_on = kWorkloadChange};
}

Property launch_requires_entitlement() {
  return {.name = "launch-requires-entitlement",
          .statement = "A successful LaunchWorkload by account A for product P means A was entitled to P before it.",
          .seed = "Grant Activation (activate to spin up workloads); Terminology (Entitlement); FAQ 1",
          .kind = PropertyKind::Transition,
          .check_transition = launch_entitled,
          .holds_on_failed_noop = true,
          .judges_ops = op_bit(Op::LaunchWorkload),
          .judges_outcome = kSucceeded};
}

}  // namespace entmc::props
