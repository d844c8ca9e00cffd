// Grants to the organization ID: every member gets a child, one live child per
// member, and only all-features organizations have them.
#include <algorithm>

#include <fmt/format.h>

#include "properties/before_view.h"
#include "properties/catalog.h"
#include "properties/world_facts.h"
#include "properties/describe.h"
#include "properties/scratch.h"
#include "properties/touched.h"

namespace entmc::props {
namespace {

// --- org-grant-covers-members ----------------------------------------------

// A child of a grant to the organization whose recipient is no member.
std::optional<std::string> non_member_active(const World& w, const Names& n, GrantIx g) {
  const Grant& gr = w.grants[g];
  if (!gr.is_org_child() || gr.status != GrantStatus::ACTIVE || w.is_member(gr.grantee)) return std::nullopt;
  return fmt::format("{} is ACTIVE but {} is not a member of the organization", grant_name(n, w, g),
                     account_name(n, gr.grantee));
}

// Every member other than the grantor has a child of `p` (when `p` is not
// DELETED), and no account has two non-terminal children of `p`.
std::optional<std::string> check_parent(const World& w, const Names& n, GrantIx p) {
  const Grant& pg = w.grants[p];
  // Per account: kHas (a child of p), kLive (a non-terminal one), in one
  // recycled buffer (two vectors per call were two allocations per call).
  enum : uint8_t { kHas = 1, kLive = 2 };
  Scratch<uint8_t> seen_buffer;
  std::vector<uint8_t>& seen = seen_buffer.v;
  seen.assign(w.accounts.size(), 0);
  std::optional<std::string> out;
  for_each_on_license(w, pg.license, [&](GrantIx g) {
    const Grant& gr = w.grants[g];
    if (gr.parent != p || !w.valid_account(gr.grantee)) return;
    uint8_t& s = seen[gr.grantee];
    s |= kHas;
    if (is_terminal(gr.status)) return;
    if ((s & kLive) && !out)
      out = fmt::format("{} has two non-terminal children of {}", account_name(n, gr.grantee), grant_name(n, w, p));
    s |= kLive;
  });
  if (out || pg.status == GrantStatus::DELETED) return out;
  for (AccountIx a = 0; a < w.accounts.size(); ++a)
    if (w.is_member(a) && a != pg.grantor && !(seen[a] & kHas))
      return fmt::format("member {} has no child of {}", account_name(n, a), grant_name(n, w, p));
  return std::nullopt;
}

// The same two facts seen from one account: a member has a child of every
// organization grant not DELETED (unless it is the grantor), never two live
// ones of the same grant, and a non-member has no ACTIVE child.
std::optional<std::string> check_account(const World& w, const Names& n, AccountIx a) {
  Scratch<GrantIx> parents_buffer, live_buffer;
  std::vector<GrantIx>& parents = parents_buffer.v;
  std::vector<GrantIx>& live_parents = live_buffer.v;
  std::optional<std::string> out;
  for_each_received(w, a, [&](GrantIx g) {
    const Grant& gr = w.grants[g];
    if (!gr.is_org_child()) return;
    parents.push_back(gr.parent);
    if (!is_terminal(gr.status)) live_parents.push_back(gr.parent);
    if (!out) out = non_member_active(w, n, g);
  });
  if (out) return out;
  std::sort(live_parents.begin(), live_parents.end());
  if (auto d = std::adjacent_find(live_parents.begin(), live_parents.end()); d != live_parents.end())
    return fmt::format("{} has two non-terminal children of {}", account_name(n, a), grant_name(n, w, *d));
  if (!w.is_member(a)) return std::nullopt;
  std::sort(parents.begin(), parents.end());
  for (GrantIx p : w.org_grants) {
    const Grant& pg = w.grants[p];
    if (pg.status == GrantStatus::DELETED || pg.grantor == a) continue;
    if (!std::binary_search(parents.begin(), parents.end(), p))
      return fmt::format("member {} has no child of {}", account_name(n, a), grant_name(n, w, p));
  }
  return std::nullopt;
}

// Reads the grants themselves, not the organization-grant index, so a parent
// missing from the index is still checked.
std::optional<std::string> covers_full(const World& w, const Names& n) {
  for (GrantIx g = 0; g < w.grants.size(); ++g) {
    if (w.grants[g].is_org_parent())
      if (auto v = check_parent(w, n, g)) return v;
    if (auto v = non_member_active(w, n, g)) return v;
  }
  return std::nullopt;
}

// A child that started to matter, seen from its recipient: not ACTIVE unless
// the recipient is a member, and the recipient's only live child of its
// parent (the recipient's grants for the parent's product).
std::optional<std::string> check_child(const World& w, const Names& n, GrantIx g) {
  if (auto v = non_member_active(w, n, g)) return v;
  const Grant& gr = w.grants[g];
  if (is_terminal(gr.status)) return std::nullopt;
  int live = 0;
  for_each_received_for(w, gr.grantee, product_of_grant(w, g), [&](GrantIx r) {
    const Grant& o = w.grants[r];
    live += o.parent == gr.parent && !is_terminal(o.status);
  });
  if (live <= 1) return std::nullopt;
  return fmt::format("{} has two non-terminal children of {}", account_name(n, gr.grantee),
                     grant_name(n, w, gr.parent));
}

// A new organization grant (or one no longer DELETED) is checked against every
// account: O(accounts), as large as the call that created its children.
// Otherwise the property held before the call, and it can only break through
// a child that was created, became ACTIVE or left a terminal status (a second
// live child of its parent for its recipient; an ACTIVE child of a
// non-member), checked by check_child over the recipient's grants for that
// product, or for an account whose membership changed (a new member without a
// child; a former member with an ACTIVE child), checked from the account's
// side: O(organization grants + grants it received). A child that was
// deactivated, renamed or deleted, and organization settings, cannot break it:
// children are never removed and a grant's parent and grantee never change.
std::optional<std::string> covers_local(const World& w, const Changes& ch, const Names& n) {
  const Touched& t = Touched::of(w, ch);
  for (const auto& e : t.grants) {
    const Grant& gr = w.grants[e.ix];
    if (gr.is_org_parent()) {
      const bool revived = !e.before || e.before->status == GrantStatus::DELETED;
      if (revived && gr.status != GrantStatus::DELETED)
        if (auto v = check_parent(w, n, e.ix)) return v;
    } else if (gr.is_org_child() && w.valid_account(gr.grantee)) {
      const bool matters = !e.before ||
                           (gr.status == GrantStatus::ACTIVE && e.before->status != GrantStatus::ACTIVE) ||
                           (is_terminal(e.before->status) && !is_terminal(gr.status));
      if (matters)
        if (auto v = check_child(w, n, e.ix)) return v;
    }
  }
  for (const auto& e : t.accounts)
    if (!e.before || e.before->membership != w.accounts[e.ix].membership)
      if (auto v = check_account(w, n, e.ix)) return v;
  return std::nullopt;
}

// --- org-grants-need-all-features ------------------------------------------

std::optional<std::string> needs_all(const World& w, const Names& n, GrantIx g) {
  const Grant& gr = w.grants[g];
  if (w.org.feature_set == FeatureSet::ALL || !(gr.is_org_parent() || gr.is_org_child())) return std::nullopt;
  return fmt::format("{} exists in an organization with feature set {}", grant_name(n, w, g),
                     to_string(w.org.feature_set));
}

std::optional<std::string> all_features_full(const World& w, const Names& n) {
  for (GrantIx g = 0; g < w.grants.size(); ++g)
    if (auto v = needs_all(w, n, g)) return v;
  return std::nullopt;
}

// Touched grants; a change of feature set checks the organization-grant
// index (O(1): any entry is a violation).
std::optional<std::string> all_features_local(const World& w, const Changes& ch, const Names& n) {
  const Touched& t = Touched::of(w, ch);
  for (const auto& e : t.grants)
    if (auto v = needs_all(w, n, e.ix)) return v;
  if (t.org_changed && w.org.feature_set != FeatureSet::ALL && !w.org_grants.empty())
    return needs_all(w, n, w.org_grants.front());
  return std::nullopt;
}

// A grant to the organization ID is created only by the management account or
// the delegated administrator of an all-features organization.
std::optional<std::string> created_by_admin(const Transition& t, const Names& n) {
  const Call& c = t.call;
  if (c.op != Op::CreateGrant || !t.outcome.ok()) return std::nullopt;
  BeforeView view(t);
  const GrantIx g = t.outcome.created;
  if (g >= t.after.grants.size() || g < view.grant_count() || !t.after.grants[g].is_org_parent()) return std::nullopt;
  const Organization& org = view.org();
  if (org.feature_set != FeatureSet::ALL)
    return fmt::format("CreateGrant by {} created {} in an organization with feature set {}",
                       account_name(n, c.caller), grant_name(n, t.after, g), to_string(org.feature_set));
  if (!is_admin(org, c.caller))
    return fmt::format("CreateGrant by {} created {}, but {} is neither the management account nor the delegated "
                       "administrator",
                       account_name(n, c.caller), grant_name(n, t.after, g), account_name(n, c.caller));
  return std::nullopt;
}

}  // namespace

Property org_grant_covers_members() {
  return {.name = "org-grant-covers-members",
          .statement = "Every member but the grantor has a child of each organization grant not DELETED, no account "
                       "has two live children of one, and no non-member's child is ACTIVE.",
          .seed = "Creating Grants to an AWS Organizations ID; Keeping track of grants to accounts in your "
                  "organization",
          .kind = PropertyKind::Always,
          .check_state = covers_full,
          .check_local = covers_local,
          .breaks_on = kAccountChange | kLicenseChange | kGrantChange};
}

Property org_grants_need_all_features() {
  return {.name = "org-grants-need-all-features",
          .statement = "Grants to the organization ID exist only in an ALL-features organization.",
          .seed = "Pre-requisite Permissions (Trusted Access: only with all features); Creating Grants to an AWS "
                  "Organizations ID; Delegated Administrator",
          .kind = PropertyKind::Always,
          .check_state = all_features_full,
          .check_local = all_features_local,
          // a grant's identity only (not its status): kGrantCreated
          .breaks_on = kOrgChange | kGrantCreated};
}

// The transition half of org-grants-need-all-features: a separate entry under
// the same name, so that checkers dispatching on the kind run it.
Property org_grants_need_all_features_transition() {
  return {.name = "org-grants-need-all-features",
          .statement = "A grant to the organization ID is created only by the management account or the "
                       "delegated administrator of an ALL-features organization.",
          .seed = "Pre-requisite Permissions (Trusted Access: only with all features); Creating Grants to an AWS "
                  "Organizations ID; Delegated Administrator",
          .kind = PropertyKind::Transition,
          .check_transition = created_by_admin,
          .holds_on_failed_noop = true,
          // judges only a call that created an organization grant: kGrantCreated
          .breaks_on = kGrantCreated,
          .judges_ops = op_bit(Op::CreateGrant),
          .judges_outcome = kSucceeded};
}

}  // namespace entmc::props
