#include "sim/organization.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "model/entitlement.h"
#include "model/memory_hints.h"
#include "scenario/scenario.h"
#include "scenario/start_state.h"

namespace entmc::sim {

// i -> (i * M + C) mod 10^12 is a bijection on [0, 10^12) because M is odd
// and not a multiple of 5; i < 2^32 and M < 2^31 keep i * M below 2^63.
std::string generated_account_id(uint64_t index) {
  constexpr uint64_t kMod = 1000000000000ull;
  constexpr uint64_t kMul = 1234567891ull;
  constexpr uint64_t kAdd = 100000000007ull;
  return fmt::format("{:012d}", (index * kMul + kAdd) % kMod);
}

InitialOrg build_initial_org(const SimConfig& c) {
  InitialOrg o;
  std::vector<ProductType> types;
  for (const auto& p : c.products) {
    types.push_back(p.type);
    o.names.products.push_back(p.name);
  }
  o.world = make_world(c.feature_set, std::move(types), 0);
  o.names.org_id = c.org_id.empty() ? fmt::format("o-{:010x}", std::hash<std::string>{}(c.name) % 0xFFFFFFFFFFull)
                                    : c.org_id;
  o.names.id_seed = c.seed;
  // The grant names RenameGrant events use (EventGenerator), interned here so
  // that every Names built from this file has them, with the same ids.
  for (char x = 'a'; x <= 'd'; ++x) o.names.intern_string(std::string("sim-grant-") + x);

  std::unordered_set<std::string> explicit_ids;
  auto note = [&](const std::string& id) {
    if (!explicit_ids.insert(id).second)
      throw ConfigError(c.path, 0, 0, fmt::format("account {} is listed twice", id));
  };
  if (!c.management_id.empty()) note(c.management_id);
  for (const auto& id : c.member_ids) note(id);
  for (const auto& id : c.outside_ids) note(id);

  const size_t total = 1 + size_t(c.members) + c.outside;
  o.world.accounts.reserve(total);
  o.world.running.reserve(total * c.products.size());
  o.world.active_licenses.reserve(total * c.products.size());
  o.world.first_received.reserve(total * c.products.size());
  o.world.first_owned.reserve(total * c.products.size());
  // Read at random by every event (its caller's records): huge pages, advised
  // before the accounts are added (memory_hints.h).
  advise_huge_pages(o.world.accounts);
  advise_huge_pages(o.world.running);
  advise_huge_pages(o.world.active_licenses);
  advise_huge_pages(o.world.first_received);
  advise_huge_pages(o.world.first_owned);
  o.names.accounts.reserve(total);
  uint64_t next_generated = 0;
  auto fresh_id = [&]() {
    for (;;) {
      std::string id = generated_account_id(next_generated++);
      if (!explicit_ids.count(id)) return id;
    }
  };
  const bool all_features = c.feature_set == FeatureSet::ALL;
  // Prerequisite shortcuts: the License Manager and Marketplace service-linked
  // roles in every account (Pre-requisite Permissions).
  const uint8_t roles = c.prerequisites ? uint8_t(kSlrLicenseManager | kSlrMarketplace) : uint8_t(0);

  o.management = add_account(o.world, Membership::MANAGEMENT,
                             uint8_t(roles | (c.prerequisites ? kSlrLicenseManagerMaster : 0)));
  o.names.accounts.push_back(c.management_id.empty() ? fresh_id() : c.management_id);
  o.first_member = AccountIx(o.world.accounts.size());
  for (uint32_t i = 0; i < c.members; ++i) {
    add_account(o.world, Membership::MEMBER, roles);
    o.names.accounts.push_back(i < c.member_ids.size() ? c.member_ids[i] : fresh_id());
  }
  o.member_end = AccountIx(o.world.accounts.size());
  for (uint32_t i = 0; i < c.outside; ++i) {
    add_account(o.world, Membership::OUTSIDE, roles);
    o.names.accounts.push_back(i < c.outside_ids.size() ? c.outside_ids[i] : fresh_id());
  }
  if (c.prerequisites) {
    // Trusted access for License Manager and Marketplace, and 'Link AWS
    // Organizations accounts' (all-features organizations only).
    if (all_features) o.world.org.flags = kTrustedLicenseManager | kTrustedMarketplace | kLinkedAccounts;
  }
  if (c.delegated_admin == "first-member") {
    o.delegated_admin = o.first_member;
  } else if (!c.delegated_admin.empty()) {
    auto it = std::find(o.names.accounts.begin(), o.names.accounts.end(), c.delegated_admin);
    if (it == o.names.accounts.end())
      throw ConfigError(c.path, 0, 0, fmt::format("delegated_admin {} is not an account of the organization",
                                                  c.delegated_admin));
    o.delegated_admin = AccountIx(it - o.names.accounts.begin());
  }
  if (c.start) {
    // The file's start state, by the scenario format's own builder: the
    // same checks and located errors as replay, check and fuzz give it.
    try {
      apply_start_section(*c.start, c.path, o.world, o.names);
    } catch (const ScenarioError& e) {
      throw ConfigError(c.path, e.mark().line, e.mark().column, e.message());
    }
  }
  return o;
}

bool has_start_records(const World& w) {
  if (!w.licenses.empty() || !w.grants.empty()) return true;
  for (uint8_t r : w.running)
    if (r != 0) return true;
  return false;
}

Changes start_records_as_changes(const World& w) {
  Changes ch;
  ch.licenses_before = 0;
  ch.grants_before = 0;
  const size_t np = w.products.size();
  for (size_t slot = 0; slot < w.running.size(); ++slot)
    if (w.running[slot] != 0) ch.workloads.push_back({AccountIx(slot / np), ProductIx(slot % np), 0});
  return ch;
}

SetupPlan::SetupPlan(const SimConfig& c, const InitialOrg& o) {
  std::vector<Call> calls;
  std::vector<Fill> fills;
  auto push = [&](Call call, Fill f) {
    calls.push_back(call);
    fills.push_back(f);
  };
  if (o.delegated_admin != kNone) {
    Call call;
    call.op = Op::RegisterDelegatedAdministrator;
    call.caller = o.management;
    call.account = o.delegated_admin;
    push(call, Fill::None);
  }
  if (c.management_subscribes) {
    uint32_t org_granted = 0;
    for (size_t p = 0; p < c.products.size(); ++p) {
      Call sub;
      sub.op = Op::Subscribe;
      sub.caller = o.management;
      sub.product = ProductIx(p);
      push(sub, Fill::None);
      if (c.products[p].type == ProductType::SAAS || org_granted >= c.org_grant_products) continue;
      ++org_granted;
      Call grant;
      grant.op = Op::CreateGrant;
      grant.caller = o.management;
      grant.to_org = true;
      grant.product = ProductIx(p);  // remembered for the fill; CreateGrant ignores it
      push(grant, Fill::LastLicenseOfMgmtForProduct);
      if (c.org_grants_bulk_active) {
        Call activate;
        activate.op = Op::CreateGrantVersion;
        activate.caller = o.management;
        activate.has_status = true;
        activate.status = GrantStatus::ACTIVE;
        push(activate, Fill::LastOrgGrant);
      }
    }
  }
  pending_.assign(calls.rbegin(), calls.rend());
  fill_.assign(fills.rbegin(), fills.rend());
}

bool SetupPlan::next(const World& w, Call& out) {
  if (pending_.empty()) return false;
  out = pending_.back();
  const Fill f = fill_.back();
  pending_.pop_back();
  fill_.pop_back();
  if (f == Fill::LastLicenseOfMgmtForProduct) {
    // The newest license the caller owns for the product (owned lists run newest first).
    out.license = kNone;
    for_each_owned(w, out.caller, [&](LicenseIx l) {
      if (out.license == kNone && w.licenses[l].product == out.product) out.license = l;
    });
    out.product = 0;
  } else if (f == Fill::LastOrgGrant) {
    out.grant = w.org_grants.empty() ? kNone : w.org_grants.back();
  }
  return true;
}

}  // namespace entmc::sim
