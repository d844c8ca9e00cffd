// The delegated administrator: distributions stay with the account that
// subscribed, and a deregistered administrator's organization distributions
// are switched off.
#include <fmt/format.h>

#include "properties/before_view.h"
#include "properties/catalog.h"
#include "properties/world_facts.h"
#include "properties/describe.h"
#include "properties/touched.h"

namespace entmc::props {
namespace {

// --- delegated-admin-grants-not-transferable ------------------------------

std::optional<std::string> grantor_owns(const World& w, const Names& n, GrantIx g) {
  const Grant& gr = w.grants[g];
  const AccountIx owner = w.licenses[gr.license].owner;
  if (gr.grantor == owner) return std::nullopt;
  return fmt::format("{} has grantor {} but its license is owned by {}", grant_name(n, w, g),
                     account_name(n, gr.grantor), account_name(n, owner));
}

std::optional<std::string> owners_grant_full(const World& w, const Names& n) {
  for (GrantIx g = 0; g < w.grants.size(); ++g)
    if (auto v = grantor_owns(w, n, g)) return v;
  return std::nullopt;
}

// Touched grants, and every grant of a license whose owner changed (never in
// the model). Cost: the touched records.
std::optional<std::string> owners_grant_local(const World& w, const Changes& ch, const Names& n) {
  const Touched& t = Touched::of(w, ch);
  for (const auto& e : t.grants)
    if (auto v = grantor_owns(w, n, e.ix)) return v;
  std::optional<std::string> out;
  for (const auto& e : t.licenses)
    if (e.before && e.before->owner != w.licenses[e.ix].owner)
      for_each_on_license(w, e.ix, [&](GrantIx g) {
        if (!out) out = grantor_owns(w, n, g);
      });
  return out;
}

// A successful grantor-side call that changed something was made by the owner
// of the license: CreateGrant, DeleteGrant, and CreateGrantVersion by anyone
// but the recipient (renaming, activating or deactivating as grantor, bulk on
// an organization grant). A repeated ClientToken changes nothing and is not
// judged here.
std::optional<std::string> grantor_calls(const Transition& t, const Names& n) {
  const Call& c = t.call;
  if (!t.outcome.ok()) return std::nullopt;
  if (c.op != Op::CreateGrant && c.op != Op::DeleteGrant && c.op != Op::CreateGrantVersion) return std::nullopt;
  GrantIx g = c.op == Op::CreateGrant ? GrantIx(t.outcome.created) : c.grant;
  if (g >= t.after.grants.size()) return std::nullopt;
  const Grant& gr = t.after.grants[g];
  if (c.op == Op::CreateGrantVersion && !gr.is_org_parent() && c.caller == gr.grantee) return std::nullopt;
  const AccountIx owner = t.after.licenses[gr.license].owner;
  if (c.caller == owner) return std::nullopt;
  // Last: the whole-state comparison (every condition above only excuses the
  // call, so the order does not change the verdict).
  if (!BeforeView(t).anything_changed()) return std::nullopt;
  return fmt::format("{} by {} on {} succeeded, but the license is owned by {}", to_string(c.op),
                     account_name(n, c.caller), grant_name(n, t.after, g), account_name(n, owner));
}

// --- deregistered-admin-org-grants-disabled -------------------------------

std::optional<std::string> check_org_grant(const World& w, const Names& n, GrantIx g) {
  const Grant& gr = w.grants[g];
  if (gr.is_org_parent()) {
    if (is_admin(w.org, gr.grantor)) return std::nullopt;
    if (gr.status == GrantStatus::DISABLED || is_terminal(gr.status)) return std::nullopt;
    return fmt::format("{} is {}, but its grantor is no longer an organization administrator", grant_name(n, w, g),
                       to_string(gr.status));
  }
  if (gr.is_org_child() && gr.status == GrantStatus::ACTIVE && gr.parent < w.grants.size() &&
      !is_admin(w.org, w.grants[gr.parent].grantor))
    return fmt::format("{} is ACTIVE, but its organization grant's grantor {} is no longer an organization "
                       "administrator",
                       grant_name(n, w, g), account_name(n, w.grants[gr.parent].grantor));
  return std::nullopt;
}

std::optional<std::string> deregistered_full(const World& w, const Names& n) {
  for (GrantIx g = 0; g < w.grants.size(); ++g)
    if (auto v = check_org_grant(w, n, g)) return v;
  return std::nullopt;
}

// Touched grants; and when the administrators changed, every organization
// grant of an account that stopped being one, with the grants on its license.
// Cost: the touched records, plus on a deregistration the organization-grant
// index and the grants on the former administrator's distributed licenses
// (which deregistration itself walks).
std::optional<std::string> deregistered_local(const World& w, const Changes& ch, const Names& n) {
  const Touched& t = Touched::of(w, ch);
  for (const auto& e : t.grants)
    if (auto v = check_org_grant(w, n, e.ix)) return v;
  if (!t.org_changed) return std::nullopt;
  std::optional<std::string> out;
  for (AccountIx former : {t.org_before->management, t.org_before->delegated_admin}) {
    if (former == kNone || is_admin(w.org, former)) continue;
    for (GrantIx p : w.org_grants) {
      if (w.grants[p].grantor != former) continue;
      if (auto v = check_org_grant(w, n, p)) return v;
      for_each_on_license(w, w.grants[p].license, [&](GrantIx g) {
        if (!out && w.grants[g].parent == p) out = check_org_grant(w, n, g);
      });
      if (out) return out;
    }
  }
  return std::nullopt;
}

}  // namespace

Property delegated_admin_grants_not_transferable() {
  return {.name = "delegated-admin-grants-not-transferable",
          .statement = "Every grant's grantor owns the license it is on.",
          .seed = "Delegated Administrator (each account manages only the licenses it subscribed to; distributions "
                  "do not transfer to a new administrator)",
          .kind = PropertyKind::Always,
          .check_state = owners_grant_full,
          .check_local = owners_grant_local,
          // a grant's identity only (not its status): kGrantCreated
          .breaks_on = kLicenseChange | kGrantCreated};
}

// The transition half of delegated-admin-grants-not-transferable: a separate entry under
// the same name, so that checkers dispatching on the kind run it.
Property delegated_admin_grants_not_transferable_transition() {
  return {.name = "delegated-admin-grants-not-transferable",
          .statement = "Every successful grantor-side call (CreateGrant, DeleteGrant, CreateGrantVersion by "
                       "other than the recipient) was made by the owner of the license.",
          .seed = "Delegated Administrator (each account manages only the licenses it subscribed to; distributions "
                  "do not transfer to a new administrator)",
          .kind = PropertyKind::Transition,
          .check_transition = grantor_calls,
          .holds_on_failed_noop = true,
          .breaks_on = kEveryChange,
          .judges_ops = op_bit(Op::CreateGrant) | op_bit(Op::DeleteGrant) | op_bit(Op::CreateGrantVersion),
          .judges_outcome = kSucceeded};
}

Property deregistered_admin_org_grants_disabled() {
  return {.name = "deregistered-admin-org-grants-disabled",
          .statement = "An organization grant whose grantor is neither the management account nor the current "
                       "delegated administrator is DISABLED or DELETED, and none of its children is ACTIVE.",
          .seed = "Delegated Administrator: What happens to my distributed entitlements when the delegated "
                  "administrator account is removed?",
          .kind = PropertyKind::Always,
          .check_state = deregistered_full,
          .check_local = deregistered_local,
          .breaks_on = kOrgChange | kLicenseChange | kGrantChange};
}

}  // namespace entmc::props
