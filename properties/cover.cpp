// Cover properties ("sometimes"): states a thorough exploration should reach.
// check_state returns nullopt when the state is an example, else an empty
// string: the property's statement already says what is missing, and the
// explorer asks every new state until one is an example, where a sentence
// per state was a heap allocation per state.
#include "properties/world_facts.h"
#include "properties/catalog.h"
#include "properties/describe.h"

namespace entmc::props {
namespace {

std::optional<std::string> not_an_example() { return std::string(); }

template <typename Pred>
bool any_grant(const World& w, Pred pred) {
  for (const Grant& g : w.grants)
    if (pred(g)) return true;
  return false;
}

std::optional<std::string> grant_active(const World& w, const Names&) {
  if (any_grant(w, [](const Grant& g) { return g.status == GrantStatus::ACTIVE; })) return std::nullopt;
  return not_an_example();
}

std::optional<std::string> workflow_completed(const World& w, const Names&) {
  if (any_grant(w, [](const Grant& g) { return g.is_org_parent() && g.status == GrantStatus::WORKFLOW_COMPLETED; }))
    return std::nullopt;
  return not_an_example();
}

std::optional<std::string> workload_outlives(const World& w, const Names&) {
  for (AccountIx a = 0; a < w.accounts.size(); ++a)
    for (ProductIx p = 0; p < w.product_count(); ++p)
      if (w.running_at(a, p) > 0 && !entitled_by_scan(w, a, p)) return std::nullopt;
  return not_an_example();
}

// The organization grants are read through the World's list of them
// (World::org_grants, which the frame conditions hold to exactly the
// organization grants in creation order) rather than by scanning every grant:
// the simulator asks this at every sample until it is reached, and on
// scenarios/sim/large.yaml (5 M grants, never reached) the scans were a
// quarter of the run's time.
std::optional<std::string> admin_replaced(const World& w, const Names&) {
  if (w.org.delegated_admin == kNone) return not_an_example();
  for (const GrantIx p : w.org_grants)
    if (p < w.grants.size() && w.grants[p].is_org_parent() && !is_admin(w.org, w.grants[p].grantor))
      return std::nullopt;
  return not_an_example();
}

std::optional<std::string> child_blocked(const World& w, const Names&) {
  if (any_grant(w, [](const Grant& g) {
        return g.is_org_child() && g.status != GrantStatus::ACTIVE &&
               g.status_reason == kReasonActivationFailedActiveLicense;
      }))
    return std::nullopt;
  return not_an_example();
}

}  // namespace

Property cover_grant_active() {
  return {.name = "grant-reaches-active",
          .statement = "Some grant is ACTIVE.",
          .seed = "Grant Activation",
          .kind = PropertyKind::Sometimes,
          .check_state = grant_active};
}

Property cover_org_grant_workflow_completed() {
  return {.name = "org-grant-workflow-completed",
          .statement = "Some organization grant shows WORKFLOW_COMPLETED after a bulk action.",
          .seed = "Bulk activate",
          .kind = PropertyKind::Sometimes,
          .check_state = workflow_completed};
}

Property cover_workload_outlives_entitlement() {
  return {.name = "workload-outlives-entitlement",
          .statement = "Some workload keeps running after its account lost the entitlement.",
          .seed = "Deactivating Grants (running workloads are not affected); FAQ 2",
          .kind = PropertyKind::Sometimes,
          .check_state = workload_outlives};
}

Property cover_delegated_admin_replaced() {
  return {.name = "delegated-admin-replaced",
          .statement = "A new delegated administrator is registered while a former one's organization grant remains.",
          .seed = "Delegated Administrator (replacing 1234 by 4321)",
          .kind = PropertyKind::Sometimes,
          .check_state = admin_replaced};
}

Property cover_child_activation_blocked() {
  return {.name = "org-child-activation-blocked",
          .statement = "Some organization child could not activate because its account already had an active "
                       "license.",
          .seed = "Bulk activate (some account-level licenses might not activate)",
          .kind = PropertyKind::Sometimes,
          .check_state = child_blocked};
}

}  // namespace entmc::props
