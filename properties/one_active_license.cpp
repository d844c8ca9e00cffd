// One active license per product and account: an account's own AVAILABLE
// subscriptions plus its ACTIVE grants on AVAILABLE licenses, at most one.
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "properties/world_facts.h"
#include "properties/catalog.h"
#include "properties/describe.h"
#include "properties/scratch.h"
#include "properties/touched.h"

namespace entmc::props {
namespace {

// One pass over the account's owned and received lists counts every product.
std::optional<std::string> check_account(const World& w, const Names& n, AccountIx a, std::vector<int>& count) {
  count.assign(w.product_count(), 0);
  for_each_owned(w, a, [&](LicenseIx l) {
    const License& lic = w.licenses[l];
    if (lic.status == LicenseStatus::AVAILABLE) ++count[lic.product];
  });
  for_each_received(w, a, [&](GrantIx g) {
    const Grant& gr = w.grants[g];
    const License& lic = w.licenses[gr.license];
    if (gr.status == GrantStatus::ACTIVE && lic.status == LicenseStatus::AVAILABLE) ++count[lic.product];
  });
  for (ProductIx p = 0; p < count.size(); ++p)
    if (count[p] > 1)
      return fmt::format("{} has {} active licenses for {} (own AVAILABLE subscriptions plus ACTIVE grants)",
                         account_name(n, a), count[p], product_name(n, p));
  return std::nullopt;
}

std::optional<std::string> full(const World& w, const Names& n) {
  std::vector<int> count;
  for (AccountIx a = 0; a < w.accounts.size(); ++a)
    if (auto v = check_account(w, n, a, count)) return v;
  return std::nullopt;
}

// One (account, product), counted by walking the account's owned list and its
// received list for that product (not from World::active_licenses, which the
// rules maintain and this property must not trust).
std::optional<std::string> check_pair(const World& w, const Names& n, AccountIx a, ProductIx p) {
  const int count = active_license_count_by_scan(w, a, p);
  if (count <= 1) return std::nullopt;
  return fmt::format("{} has {} active licenses for {} (own AVAILABLE subscriptions plus ACTIVE grants)",
                     account_name(n, a), count, product_name(n, p));
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

}  // namespace

Property one_active_license_per_product() {
  return {.name = "one-active-license-per-product",
          .statement = "Every account has at most one active license per product (own AVAILABLE subscriptions "
                       "plus ACTIVE grants on AVAILABLE licenses).",
          .seed = "Updating License status reason (one license active per product-account); Grant Activation; FAQ 2",
          .kind = PropertyKind::Always,
          .check_state = full,
          .check_local = local,
          .breaks_on = kAccountChange | kLicenseChange | kGrantChange};
}

}  // namespace entmc::props
