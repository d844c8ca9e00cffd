// C++-built worlds, bounds, test properties and buggy rules for the engine
// tests (no scenario file needed), plus a naive reference explorer: a plain
// BFS over whole Worlds in a std::set, with nothing shared with the engine but
// apply() and enumerate_calls().
#pragma once

#include <algorithm>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "engine/bounds.h"
#include "engine/state_codec.h"
#include "engine/symmetry.h"
#include "model/apply.h"
#include "model/changes_log.h"
#include "model/entitlement.h"
#include "model/names.h"
#include "properties/property.h"

namespace entmc::engine::test {

struct TestModel {
  World world;
  Names names;
  Bounds bounds;
};

// An all-features organization with its prerequisites done: the management
// account, `members` member accounts and `outside` accounts outside, one AMI
// product.
inline TestModel small_model(int members = 2, int outside = 1) {
  TestModel m;
  m.world = make_world(FeatureSet::ALL, {ProductType::AMI}, 0);
  m.world.org.flags = kTrustedLicenseManager | kTrustedMarketplace | kLinkedAccounts;
  add_account(m.world, Membership::MANAGEMENT, kSlrLicenseManager | kSlrLicenseManagerMaster | kSlrMarketplace);
  for (int i = 0; i < members; ++i) add_account(m.world, Membership::MEMBER, kSlrLicenseManager);
  for (int i = 0; i < outside; ++i) add_account(m.world, Membership::OUTSIDE, kSlrLicenseManager);
  for (size_t a = 0; a < m.world.accounts.size(); ++a) m.names.accounts.push_back(std::to_string(111111111110 + a));
  m.names.products.push_back("ami-product");
  m.bounds = Bounds::everything(m.world);
  m.bounds.operations = {Op::Subscribe,        Op::CreateGrant,   Op::AcceptGrant,   Op::RejectGrant,
                         Op::CreateGrantVersion, Op::DeleteGrant, Op::LaunchWorkload, Op::StopWorkload,
                         Op::InviteAccountToOrganization, Op::AcceptHandshake, Op::LeaveOrganization};
  m.bounds.max_licenses = 1;
  m.bounds.max_grants = 1;
  m.bounds.max_running = 1;
  m.bounds.max_grant_version = 2;
  return m;
}

// --- test properties (the real ones live in properties/) ---

// At most one ACTIVE grant and one own AVAILABLE subscription per (account,
// product): a subscription made while a grant is ACTIVE waits behind it
// (docs/semantics.md, Licenses).
inline std::optional<std::string> one_active(const World& w, const Names&) {
  for (AccountIx a = 0; a < w.accounts.size(); ++a)
    for (ProductIx p = 0; p < w.products.size(); ++p) {
      int subscriptions = 0, grants = 0;
      for_each_owned_for(w, a, p, [&](LicenseIx l) { subscriptions += w.licenses[l].status == LicenseStatus::AVAILABLE; });
      for_each_received_for(w, a, p, [&](GrantIx g) {
        grants += w.grants[g].status == GrantStatus::ACTIVE && w.licenses[w.grants[g].license].status == LicenseStatus::AVAILABLE;
      });
      if (subscriptions > 1 || grants > 1) return "account " + std::to_string(a) + " has two active licenses";
    }
  return std::nullopt;
}
inline std::optional<std::string> failed_changes_nothing(const Transition& t, const Names&) {
  if (!t.outcome.ok() && t.before && !(*t.before == t.after)) return std::string("a failed call changed the state");
  return std::nullopt;
}
inline std::optional<std::string> some_workload(const World& w, const Names&) {
  for (uint8_t n : w.running)
    if (n) return std::nullopt;
  return std::string("no workload running");
}
inline std::optional<std::string> never_expired(const World& w, const Names&) {
  for (const License& l : w.licenses)
    if (l.status == LicenseStatus::EXPIRED) return std::nullopt;
  return std::string("no expired license");
}

inline const Property kOneActive{"test-one-active", "", "", PropertyKind::Always, one_active, nullptr, nullptr};
inline const Property kFailedNothing{"test-failed-changes-nothing", "", "", PropertyKind::Transition, nullptr, nullptr,
                                     failed_changes_nothing};
inline const Property kSomeWorkload{"test-some-workload", "", "", PropertyKind::Sometimes, some_workload, nullptr,
                                    nullptr};
inline const Property kExpired{"test-expired", "", "", PropertyKind::Sometimes, never_expired, nullptr, nullptr};

// --- buggy rules (test-only variants: one entry swapped) ---

// Accept & Activate without the one-active-license check.
inline Outcome accept_activate_unchecked(World& w, const Call& c, Changes* ch) {
  Grant& g = w.grants[c.grant];
  if (g.grantee != c.caller || g.status != GrantStatus::PENDING_ACCEPT) return fail(Reason::GrantNotPendingAccept);
  mut::set_grant_status(w, ch, c.grant, GrantStatus::ACTIVE, kReasonNone);
  ++g.version;  // two versions in one call: the second bug
  return success();
}
// StopWorkload that fails but still stops the workload.
inline Outcome stop_and_fail(World& w, const Call& c, Changes*) {
  uint8_t& n = w.running[size_t(c.caller) * w.products.size() + c.product];
  if (n == 0) return fail(Reason::NoRunningWorkload);
  n = uint8_t(n - 1);
  return fail(Reason::NoRunningWorkload);
}

inline Rules rules_with(Op op, RuleFn fn) {
  Rules r = Rules::standard();
  r[op] = fn;
  return r;
}

// --- the reference explorer ---

// Packed states ordered by memcmp (as engine/state_graph.cpp does): the
// standard library's lexicographic compare of vector<uint8_t> trips GCC 12's
// -Wstringop-overread at -O3, a false positive.
struct BytesLess {
  bool operator()(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) const {
    const size_t n = std::min(a.size(), b.size());
    if (const int c = n ? std::memcmp(a.data(), b.data(), n) : 0; c != 0) return c < 0;
    return a.size() < b.size();
  }
};
using PackedSet = std::set<std::vector<uint8_t>, BytesLess>;

struct NaiveResult {
  PackedSet states;  // packed
  std::map<std::vector<uint8_t>, uint32_t, BytesLess> depth;
  std::optional<uint32_t> first_violation_depth;  // of `always` (state) or `transition`
};

inline NaiveResult naive_explore(const World& start, const Bounds& b, const Rules& rules,
                                 const Property* prop = nullptr,
                                 const std::function<void(const World&)>& visit = nullptr) {
  NaiveResult r;
  std::deque<std::pair<World, uint32_t>> queue;
  std::vector<uint8_t> key;
  pack(start, key);
  r.states.insert(key);
  r.depth[key] = 0;
  queue.emplace_back(start, 0);
  Names names;
  auto note = [&](uint32_t d) {
    if (!r.first_violation_depth || d < *r.first_violation_depth) r.first_violation_depth = d;
  };
  if (prop && prop->kind == PropertyKind::Always && prop->check_state(start, names)) note(0);
  while (!queue.empty()) {
    auto [w, d] = queue.front();
    queue.pop_front();
    if (beyond_caps(w, b) || (b.max_depth && d >= b.max_depth)) continue;
    std::vector<Call> calls;
    enumerate_calls(w, b, calls);
    for (const Call& c : calls) {
      World next = w;
      Changes ch;
      Outcome o = apply(next, c, &ch, rules);
      if (prop && prop->kind == PropertyKind::Transition && prop->check_transition(Transition{&w, next, c, o, ch}, names))
        note(d + 1);
      key.clear();
      pack(next, key);
      if (!r.states.insert(key).second) continue;
      r.depth[key] = d + 1;
      if (visit) visit(next);
      if (prop && prop->kind == PropertyKind::Always && prop->check_state(next, names)) note(d + 1);
      queue.emplace_back(std::move(next), d + 1);
    }
  }
  return r;
}

}  // namespace entmc::engine::test
