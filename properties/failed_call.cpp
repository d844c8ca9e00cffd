// A failed call changes nothing: apply() either succeeds or leaves the world
// exactly as it was, with an empty change log.
#include <fmt/format.h>

#include "properties/catalog.h"
#include "properties/describe.h"

namespace entmc::props {
namespace {

std::string_view first_difference(const World& a, const World& b) {
  if (!(a.org == b.org)) return "the organization";
  if (a.products != b.products) return "the products";
  if (a.accounts != b.accounts) return "an account";
  if (a.licenses != b.licenses) return "a license";
  if (a.grants != b.grants) return "a grant";
  if (a.org_grants != b.org_grants) return "the organization-grant index";
  if (a.running != b.running) return "a running workload count";
  if (a.tokens != b.tokens) return "a client token";
  return "nothing";
}

std::optional<std::string> unchanged(const Transition& t, const Names& n) {
  if (t.outcome.ok()) return std::nullopt;
  const Call& c = t.call;
  // t.before == &t.after: the checker established that nothing changed (property.h).
  if (t.before && t.before != &t.after && !(*t.before == t.after))
    return fmt::format("{} by {} failed ({}) but changed {}", to_string(c.op), account_name(n, c.caller),
                       reason_name(t.outcome.error.reason), first_difference(*t.before, t.after));
  if (!t.changes.empty(t.after))
    return fmt::format("{} by {} failed ({}) but its change log is not empty", to_string(c.op),
                       account_name(n, c.caller), reason_name(t.outcome.error.reason));
  return std::nullopt;
}

}  // namespace

Property failed_call_changes_nothing() {
  return {.name = "failed-call-changes-nothing",
          .statement = "A call that fails leaves the world exactly as it was.",
          .seed = "aws-api-facts (errors); issue 2 (a failed call changes nothing)",
          .kind = PropertyKind::Transition,
          .check_transition = unchanged,
          .holds_on_failed_noop = true,
          .breaks_on = kEveryChange,
          .judges_outcome = kFailed};
}

}  // namespace entmc::props
