// One active license per product and account. An account's active license for
// a product is its ACTIVE grant on an AVAILABLE license if it holds one, else
// its own AVAILABLE subscription: a subscription made while a grant for the
// product is ACTIVE does not count until no grant for it is ACTIVE (Delegated
// Administrator: "First, subscribe ... using your newly registered Delegated
// Administrator account"; docs/semantics.md). So, as a state: at most one ACTIVE
// grant on an AVAILABLE license and at most one own AVAILABLE subscription per
// (account, product); and as a transition (FAQ 2: "Once the original linked
// account subscription is cancelled, activate the new granted license"): no
// grant becomes ACTIVE for an account that owned an AVAILABLE subscription for
// the product before the call.
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "properties/world_facts.h"
#include "properties/catalog.h"
#include "properties/describe.h"
#include "properties/before_view.h"
#include "properties/scratch.h"
#include "properties/touched.h"

namespace entmc::props {
namespace {

// Own AVAILABLE subscriptions and ACTIVE grants on AVAILABLE licenses, counted apart.
struct Counts {
  int subscriptions = 0;
  int grants = 0;
};

std::optional<std::string> verdict(const Names& n, AccountIx a, ProductIx p, const Counts& c) {
  if (c.grants > 1)
    return fmt::format("{} has {} ACTIVE grants for {}: one active license per product and account",
                       account_name(n, a), c.grants, product_name(n, p));
  if (c.subscriptions > 1)
    return fmt::format("{} has {} AVAILABLE subscriptions to {}: one active license per product and account",
                       account_name(n, a), c.subscriptions, product_name(n, p));
  return std::nullopt;
}

// One pass over the account's owned and received lists counts every product.
std::optional<std::string> check_account(const World& w, const Names& n, AccountIx a, std::vector<Counts>& count) {
  count.assign(w.product_count(), Counts{});
  for_each_owned(w, a, [&](LicenseIx l) {
    const License& lic = w.licenses[l];
    if (lic.status == LicenseStatus::AVAILABLE) ++count[lic.product].subscriptions;
  });
  for_each_received(w, a, [&](GrantIx g) {
    const Grant& gr = w.grants[g];
    const License& lic = w.licenses[gr.license];
    if (gr.status == GrantStatus::ACTIVE && lic.status == LicenseStatus::AVAILABLE) ++count[lic.product].grants;
  });
  for (ProductIx p = 0; p < count.size(); ++p)
    if (auto v = verdict(n, a, p, count[p])) return v;
  return std::nullopt;
}

std::optional<std::string> full(const World& w, const Names& n) {
  std::vector<Counts> count;
  for (AccountIx a = 0; a < w.accounts.size(); ++a)
    if (auto v = check_account(w, n, a, count)) return v;
  return std::nullopt;
}

// One (account, product), counted by walking the account's owned list and its
// received list for that product (not from World::active_licenses, which the
// rules maintain and this property must not trust).
std::optional<std::string> check_pair(const World& w, const Names& n, AccountIx a, ProductIx p) {
  Counts c;
  for_each_owned_for(w, a, p, [&](LicenseIx l) { c.subscriptions += w.licenses[l].status == LicenseStatus::AVAILABLE; });
  for_each_received_for(w, a, p, [&](GrantIx g) {
    const Grant& gr = w.grants[g];
    c.grants += gr.status == GrantStatus::ACTIVE && w.licenses[gr.license].status == LicenseStatus::AVAILABLE;
  });
  return verdict(n, a, p, c);
}

// The property held before the call, so only a count that went up can break
// it, and a count goes up only when a record starts to contribute: a grant
// that became ACTIVE (created ACTIVE, or its status changed to ACTIVE) on an
// AVAILABLE license counts for its grantee and its license's product; a
// license that became AVAILABLE (created, or its status changed; never in the
// model, checked for completeness) counts for its owner and for the grantee
// of every ACTIVE grant on it, for its product. A grant's license and grantee
// and a license's product and owner never change; organization settings and
// account records (membership, flags, the owned-list head that add_license
// moves, judged above) do not enter the count. Cost: the touched records plus,
// for each affected (account, product), the account's owned list and its
// received list for that product; a call that only deactivates, renames,
// creates a pending grant or launches checks nothing.
std::optional<std::string> local(const World& w, const Changes& ch, const Names& n) {
  const Touched& t = Touched::of(w, ch);
  // account << 16 | product, in a buffer taken only when a count goes up (an
  // activation, a subscription: few calls)
  std::optional<Scratch<uint64_t>> scratch_pairs;
  auto affected = [&](AccountIx a, ProductIx p) {
    if (!scratch_pairs) scratch_pairs.emplace();
    scratch_pairs->v.push_back(uint64_t(a) << 16 | p);
  };
  for (const auto& e : t.grants) {
    const Grant& gr = w.grants[e.ix];
    const bool became_active =
        gr.status == GrantStatus::ACTIVE && (!e.before || e.before->status != GrantStatus::ACTIVE);
    if (became_active && gr.grantee != kNone) affected(gr.grantee, w.licenses[gr.license].product);
  }
  for (const auto& e : t.licenses) {
    const License& lic = w.licenses[e.ix];
    const bool became_available = lic.status == LicenseStatus::AVAILABLE &&
                                  (!e.before || e.before->status != LicenseStatus::AVAILABLE);
    if (!became_available) continue;
    affected(lic.owner, lic.product);
    for_each_on_license(w, e.ix, [&](GrantIx g) {
      if (w.grants[g].grantee != kNone && w.grants[g].status == GrantStatus::ACTIVE)
        affected(w.grants[g].grantee, lic.product);
    });
  }
  if (!scratch_pairs) return std::nullopt;
  std::vector<uint64_t>& pairs = scratch_pairs->v;
  // Already sorted when the grants were (a bulk activation's children, in account order).
  if (!std::is_sorted(pairs.begin(), pairs.end())) std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  for (const uint64_t key : pairs) {
    const auto a = AccountIx(key >> 16);
    const auto p = ProductIx(key & 0xFFFF);
    if (a < w.accounts.size() && p < w.product_count())
      if (auto v = check_pair(w, n, a, p)) return v;
  }
  return std::nullopt;
}

// The transition half: a grant that became ACTIVE (created ACTIVE, or changed
// to ACTIVE) for an account that owned an AVAILABLE subscription to the
// product before the call. The owned list is read in the state after the
// call, each license as it was before it (a license created by the call did
// not exist before). Cost: the changed grants, and for the few that became
// ACTIVE, the grantee's owned list for the product.
std::optional<std::string> activation_over_subscription(const Transition& t, const Names& n) {
  if (!t.outcome.ok()) return std::nullopt;
  const BeforeView before(t);
  const World& w = t.after;
  std::optional<std::string> out;
  before.for_each_changed_grant([&](GrantIx g, const Grant* was, const Grant& now) {
    if (out || now.status != GrantStatus::ACTIVE || (was && was->status == GrantStatus::ACTIVE)) return;
    if (now.grantee == kNone || now.grantee >= w.accounts.size()) return;
    const ProductIx p = w.licenses[now.license].product;
    for_each_owned_for(w, now.grantee, p, [&](LicenseIx l) {
      const License* lic = before.license(l);
      if (!out && lic && lic->status == LicenseStatus::AVAILABLE)
        out = fmt::format("{} became ACTIVE while {} owned the AVAILABLE {}: an own subscription is the active "
                          "license until it is cancelled",
                          grant_name(n, w, g), account_name(n, now.grantee), license_name(n, w, l));
    });
  });
  return out;
}

}  // namespace

Property one_active_license_per_product_transition() {
  return {.name = "one-active-license-per-product",
          .statement = "No grant becomes ACTIVE for an account that owned an AVAILABLE subscription to the product "
                       "before the call.",
          .seed = "FAQ 2 (cancel the subscription, then activate the granted license); Updating License status reason",
          .kind = PropertyKind::Transition,
          .check_transition = activation_over_subscription,
          .holds_on_failed_noop = true,
          .breaks_on = kGrantChange,
          .judges_outcome = kSucceeded};
}

Property one_active_license_per_product() {
  return {.name = "one-active-license-per-product",
          .statement = "Every account has at most one active license per product: at most one ACTIVE grant on an "
                       "AVAILABLE license, and at most one own AVAILABLE subscription, which is the active license "
                       "only while no grant for the product is ACTIVE.",
          .seed = "Updating License status reason (one license active per product-account); Grant Activation; FAQ 2; "
                  "Delegated Administrator (first, subscribe)",
          .kind = PropertyKind::Always,
          .check_state = full,
          .check_local = local,
          .breaks_on = kAccountChange | kLicenseChange | kGrantChange};
}

}  // namespace entmc::props
