// Where things live and run: the home region us-east-1 for every license
// resource, and GovCloud accounts that only mirror their commercial account.
#include <fmt/format.h>

#include "properties/world_facts.h"
#include "properties/before_view.h"
#include "properties/catalog.h"
#include "properties/describe.h"
#include "properties/touched.h"

namespace entmc::props {
namespace {

// --- home-region-only --------------------------------------------------------

std::optional<std::string> license_home(const World& w, const Names& n, LicenseIx l) {
  if (w.licenses[l].home_region == kHomeRegion) return std::nullopt;
  return fmt::format("{} has home region {}", license_name(n, w, l), to_string(w.licenses[l].home_region));
}
std::optional<std::string> grant_home(const World& w, const Names& n, GrantIx g) {
  if (w.grants[g].home_region == kHomeRegion) return std::nullopt;
  return fmt::format("{} has home region {}", grant_name(n, w, g), to_string(w.grants[g].home_region));
}

std::optional<std::string> home_full(const World& w, const Names& n) {
  for (LicenseIx l = 0; l < w.licenses.size(); ++l)
    if (auto v = license_home(w, n, l)) return v;
  for (GrantIx g = 0; g < w.grants.size(); ++g)
    if (auto v = grant_home(w, n, g)) return v;
  return std::nullopt;
}

// Touched licenses and grants only.
std::optional<std::string> home_local(const World& w, const Changes& ch, const Names& n) {
  const Touched& t = Touched::of(w, ch);
  for (const auto& e : t.licenses)
    if (auto v = license_home(w, n, e.ix)) return v;
  for (const auto& e : t.grants)
    if (auto v = grant_home(w, n, e.ix)) return v;
  return std::nullopt;
}

// The operations lm_call_in_home judges (Property::judges_ops): the License
// Manager calls as the API facts list them (world_facts.h), not the model's
// operation table, so that a slip in the table is caught.
uint32_t license_manager_ops() {
  uint32_t ops = 0;
  for (int op = 0; op < kOpCount; ++op)
    if (is_license_manager_call(Op(op))) ops |= op_bit(Op(op));
  return ops;
}

std::optional<std::string> lm_call_in_home(const Transition& t, const Names& n) {
  const Call& c = t.call;
  if (!t.outcome.ok() || !is_license_manager_call(c.op) || c.region == kHomeRegion) return std::nullopt;
  return fmt::format("License Manager call {} by {} succeeded in {}", to_string(c.op), account_name(n, c.caller),
                     to_string(c.region));
}

// --- govcloud-mirrors-commercial ---------------------------------------------

bool is_gov(const World& w, AccountIx a) { return w.valid_account(a) && (w.accounts[a].flags & kGovCloud); }

std::optional<std::string> check_govcloud_account(const World& w, const Names& n, AccountIx g) {
  const Account& acc = w.accounts[g];
  if (!(acc.flags & kGovCloud)) return std::nullopt;
  LicenseIx owned = kNone;
  for_each_owned(w, g, [&](LicenseIx l) { owned = owned == kNone ? l : owned; });
  if (owned != kNone)
    return fmt::format("GovCloud account {} owns {}", account_name(n, g), license_name(n, w, owned));
  GrantIx received = kNone;
  for_each_received(w, g, [&](GrantIx r) { received = received == kNone ? r : received; });
  if (received != kNone)
    return fmt::format("GovCloud account {} received {}", account_name(n, g), grant_name(n, w, received));
  const AccountIx c = acc.govcloud_link;
  if (!w.valid_account(c) || is_gov(w, c))
    return fmt::format("GovCloud account {} is not linked to a commercial account", account_name(n, g));
  for (ProductIx p = 0; p < w.product_count(); ++p)
    if (entitled_by_scan(w, g, p) != entitled_by_scan(w, c, p))
      return fmt::format("GovCloud account {} is {}entitled to {} but its commercial account {} is {}",
                         account_name(n, g), entitled_by_scan(w, g, p) ? "" : "not ", product_name(n, p),
                         account_name(n, c), entitled_by_scan(w, c, p) ? "" : "not");
  return std::nullopt;
}

std::optional<std::string> license_owner_commercial(const World& w, const Names& n, LicenseIx l) {
  if (!is_gov(w, w.licenses[l].owner)) return std::nullopt;
  return fmt::format("{} is owned by a GovCloud account", license_name(n, w, l));
}
std::optional<std::string> grantee_commercial(const World& w, const Names& n, GrantIx g) {
  if (!is_gov(w, w.grants[g].grantee)) return std::nullopt;
  return fmt::format("{} was granted to a GovCloud account", grant_name(n, w, g));
}

std::optional<std::string> govcloud_full(const World& w, const Names& n) {
  for (AccountIx a = 0; a < w.accounts.size(); ++a)
    if (auto v = check_govcloud_account(w, n, a)) return v;
  for (LicenseIx l = 0; l < w.licenses.size(); ++l)
    if (auto v = license_owner_commercial(w, n, l)) return v;
  for (GrantIx g = 0; g < w.grants.size(); ++g)
    if (auto v = grantee_commercial(w, n, g)) return v;
  return std::nullopt;
}

// Touched accounts, licenses and grants. A GovCloud account's entitlement is
// by definition its commercial account's (entitlement_account), so a change to
// the commercial account cannot break the mirror; only the link can.
std::optional<std::string> govcloud_local(const World& w, const Changes& ch, const Names& n) {
  const Touched& t = Touched::of(w, ch);
  for (const auto& e : t.accounts)
    if (auto v = check_govcloud_account(w, n, e.ix)) return v;
  for (const auto& e : t.licenses)
    if (auto v = license_owner_commercial(w, n, e.ix)) return v;
  for (const auto& e : t.grants)
    if (auto v = grantee_commercial(w, n, e.ix)) return v;
  return std::nullopt;
}

// A successful launch runs in the account's own partition, and a GovCloud
// account launches only what its commercial account is entitled to.
std::optional<std::string> govcloud_launch(const Transition& t, const Names& n) {
  const Call& c = t.call;
  if (c.op != Op::LaunchWorkload || !t.outcome.ok() || !t.after.valid_account(c.caller)) return std::nullopt;
  const bool gov = is_gov(t.after, c.caller);
  if (gov != is_govcloud(c.region))
    return fmt::format("{} account {} launched {} in {}", gov ? "GovCloud" : "commercial", account_name(n, c.caller),
                       product_name(n, c.product), to_string(c.region));
  if (!gov) return std::nullopt;
  const AccountIx commercial = t.after.accounts[c.caller].govcloud_link;
  const World& before = t.before ? *t.before : t.after;  // a launch changes no entitlement
  if (!before.valid_account(commercial) || !entitled_by_scan(before, commercial, c.product))
    return fmt::format("GovCloud account {} launched {} but its commercial account {} is not entitled",
                       account_name(n, c.caller), product_name(n, c.product), account_name(n, commercial));
  return std::nullopt;
}

}  // namespace

Property home_region_only() {
  return {.name = "home-region-only",
          .statement = "Every license and grant has home region us-east-1.",
          .seed = "License Home Region; Create grant info (Home Region)",
          .kind = PropertyKind::Always,
          .check_state = home_full,
          .check_local = home_local,
          // a grant's identity only (not its status): kGrantCreated
          .breaks_on = kLicenseChange | kGrantCreated};
}

// The transition half of home-region-only: a separate entry under
// the same name, so that checkers dispatching on the kind run it.
Property home_region_only_transition() {
  return {.name = "home-region-only",
          .statement = "Every successful License Manager call was made in us-east-1.",
          .seed = "License Home Region; Create grant info (Home Region)",
          .kind = PropertyKind::Transition,
          .check_transition = lm_call_in_home,
          .holds_on_failed_noop = true,
          .judges_ops = license_manager_ops(),
          .judges_outcome = kSucceeded};
}

Property govcloud_mirrors_commercial() {
  return {.name = "govcloud-mirrors-commercial",
          .statement = "A GovCloud account owns and receives no license and is entitled exactly when its commercial "
                       "account is.",
          .seed = "FAQ 1: How does Managed entitlements work for MP GovCloud Customers?",
          .kind = PropertyKind::Always,
          .check_state = govcloud_full,
          .check_local = govcloud_local,
          // a grant's identity only (not its status): kGrantCreated
          .breaks_on = kOrgChange | kAccountChange | kLicenseChange | kGrantCreated};
}

// The transition half of govcloud-mirrors-commercial: a separate entry under
// the same name, so that checkers dispatching on the kind run it.
Property govcloud_mirrors_commercial_transition() {
  return {.name = "govcloud-mirrors-commercial",
          .statement = "A successful LaunchWorkload runs in the account's partition, and a GovCloud account "
                       "launches only what its commercial account is entitled to.",
          .seed = "FAQ 1: How does Managed entitlements work for MP GovCloud Customers?",
          .kind = PropertyKind::Transition,
          .check_transition = govcloud_launch,
          .holds_on_failed_noop = true,
          .judges_ops = op_bit(Op::LaunchWorkload),
          .judges_outcome = kSucceeded};
}

}  // namespace entmc::props
