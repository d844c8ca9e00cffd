// Test fixture shared by tests/model and tests/properties: a small
// organization built through apply(), call builders named after the
// operations, and a runner that checks every property on every call.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/apply.h"
#include "model/entitlement.h"
#include "model/names.h"
#include "properties/property.h"

namespace entmc::test {

// --- call builders --------------------------------------------------------

inline Call call(Op op, AccountIx caller, Region region = kHomeRegion) {
  Call c;
  c.op = op;
  c.caller = caller;
  c.region = region;
  return c;
}
inline Call subscribe(AccountIx a, ProductIx p) {
  Call c = call(Op::Subscribe, a);
  c.product = p;
  return c;
}
inline Call cancel(AccountIx a, LicenseIx l) {
  Call c = call(Op::CancelSubscription, a);
  c.license = l;
  return c;
}
inline Call issuer_event(Op op, LicenseIx l) {
  Call c = call(op, kIssuer);
  c.license = l;
  return c;
}
inline Call create_grant(AccountIx a, LicenseIx l, AccountIx to, TokenId token = 0) {
  Call c = call(Op::CreateGrant, a);
  c.license = l;
  c.account = to;
  c.token = token;
  return c;
}
inline Call create_org_grant(AccountIx a, LicenseIx l, TokenId token = 0) {
  Call c = call(Op::CreateGrant, a);
  c.license = l;
  c.to_org = true;
  c.token = token;
  return c;
}
inline Call on_grant(Op op, AccountIx a, GrantIx g) {
  Call c = call(op, a);
  c.grant = g;
  return c;
}
inline Call accept(AccountIx a, GrantIx g) { return on_grant(Op::AcceptGrant, a, g); }
inline Call reject(AccountIx a, GrantIx g) { return on_grant(Op::RejectGrant, a, g); }
inline Call accept_activate(AccountIx a, GrantIx g, ActivationOverride ov = ActivationOverride::NONE) {
  Call c = on_grant(Op::AcceptAndActivateGrant, a, g);
  c.override_behavior = ov;
  return c;
}
inline Call set_status(AccountIx a, GrantIx g, GrantStatus s, ActivationOverride ov = ActivationOverride::NONE,
                       uint32_t source_version = 0) {
  Call c = on_grant(Op::CreateGrantVersion, a, g);
  c.has_status = true;
  c.status = s;
  c.override_behavior = ov;
  c.version = source_version;
  return c;
}
inline Call activate(AccountIx a, GrantIx g, ActivationOverride ov = ActivationOverride::NONE) {
  return set_status(a, g, GrantStatus::ACTIVE, ov);
}
inline Call deactivate(AccountIx a, GrantIx g) { return set_status(a, g, GrantStatus::DISABLED); }
inline Call rename(AccountIx a, GrantIx g, StringId name) {
  Call c = on_grant(Op::CreateGrantVersion, a, g);
  c.name = name;
  return c;
}
inline Call delete_grant(AccountIx a, GrantIx g, uint32_t version) {
  Call c = on_grant(Op::DeleteGrant, a, g);
  c.version = version;
  return c;
}
inline Call service(Op op, AccountIx a, Service s) {
  Call c = call(op, a);
  c.service = s;
  return c;
}
inline Call link_accounts(AccountIx a, bool enable = true) {
  Call c = call(Op::UpdateServiceSettings, a);
  c.enable = enable;
  return c;
}
inline Call on_account(Op op, AccountIx caller, AccountIx target) {
  Call c = call(op, caller);
  c.account = target;
  return c;
}
inline Call workload(Op op, AccountIx a, ProductIx p, Region r = kHomeRegion) {
  Call c = call(op, a, r);
  c.product = p;
  return c;
}

// --- the organization ----------------------------------------------------

// Products: 0 AMI, 1 CONTAINER, 2 SAAS, 3 ML_MODEL.
inline constexpr ProductIx kAmi = 0, kContainer = 1, kSaas = 2, kMl = 3;

struct Org {
  World w;
  Names n;
  AccountIx mgmt = 0, m1 = 0, m2 = 0, m3 = 0, outside = 0, gov = 0;
  bool check_properties = true;  // every call through run() checks every property
  bool violations_fail = true;   // a violation is a test failure (else only collected)
  const Rules* rules = nullptr;  // a rule table other than the standard one
  std::vector<Violation> violations;        // whole-state and transition checks
  std::vector<Violation> local_violations;  // local checks (check_local)

  // An organization with a management account, three members, one outside
  // account and a GovCloud account linked to m1. With `prerequisites`, every
  // commercial account has the License Manager role, and (ALL only) the
  // management account enables trusted access for both services and links
  // the organization's accounts.
  explicit Org(FeatureSet fs = FeatureSet::ALL, bool prerequisites = true) {
    w = make_world(fs, {ProductType::AMI, ProductType::CONTAINER, ProductType::SAAS, ProductType::ML_MODEL}, 8);
    mgmt = add_account(w, Membership::MANAGEMENT);
    m1 = add_account(w, Membership::MEMBER);
    m2 = add_account(w, Membership::MEMBER);
    m3 = add_account(w, Membership::MEMBER);
    outside = add_account(w, Membership::OUTSIDE);
    gov = add_account(w, Membership::OUTSIDE, kGovCloud, m1);
    for (AccountIx a = 0; a < w.accounts.size(); ++a) n.accounts.push_back(std::to_string(111111111111ull * (a + 1)));
    n.products = {"ami-product", "container-product", "saas-product", "ml-product"};
    for (int t = 1; t <= 8; ++t) n.intern_token("token-" + std::to_string(t));
    if (!prerequisites) return;
    for (AccountIx a = 0; a < w.accounts.size(); ++a)
      if (a != gov) ok(service(Op::CreateServiceLinkedRole, a, Service::LicenseManager));
    if (fs != FeatureSet::ALL) return;
    ok(service(Op::CreateServiceLinkedRole, mgmt, Service::LicenseManagerMaster));
    ok(service(Op::EnableAWSServiceAccess, mgmt, Service::LicenseManager));
    ok(service(Op::EnableAWSServiceAccess, mgmt, Service::Marketplace));
    ok(link_accounts(mgmt));
  }

  // Applies the call; checks every transition property (with and without the
  // previous World) and every Always property (whole state and local).
  Outcome run(const Call& c) {
    World before = w;
    Changes ch;
    Outcome out = apply(w, c, &ch, rules ? *rules : Rules::standard());
    if (check_properties) {
      std::vector<Violation> v, local;
      check_transition(Transition{&before, w, c, out, ch}, n, v);
      check_transition(Transition{nullptr, w, c, out, ch}, n, v);
      check_state(w, n, v);
      check_local(w, ch, n, local);
      if (violations_fail) {
        for (const Violation& x : v) ADD_FAILURE() << to_string(c.op) << ": " << x.property << ": " << x.detail;
        for (const Violation& x : local)
          ADD_FAILURE() << to_string(c.op) << ": " << x.property << " (local): " << x.detail;
      }
      violations.insert(violations.end(), v.begin(), v.end());
      local_violations.insert(local_violations.end(), local.begin(), local.end());
      expect_skips_sound(before, c, out, ch);
    }
    return out;
  }
  // The simulator skips a property after a call its claims rule out
  // (Property::breaks_on, judges_ops, judges_outcome). Whatever the rules
  // (planted bugs included), no property may be broken by such a call.
  void expect_skips_sound(const World& before, const Call& c, const Outcome& out, const Changes& ch) {
    const uint8_t changed = ch.kinds(w);
    for (const Property& p : all_properties()) {
      if (p.kind == PropertyKind::Transition && p.check_transition &&
          !(may_break(p, changed) && may_judge(p, c.op, out.ok())))
        if (auto v = p.check_transition(Transition{&before, w, c, out, ch}, n))
          ADD_FAILURE() << p.name << " judged " << to_string(c.op) << (out.ok() ? " (succeeded)" : " (failed)")
                        << ", a call its claims rule out (kinds " << int(changed) << "): " << *v;
      if (p.kind == PropertyKind::Always && p.check_state && !may_break(p, changed) && !p.check_state(before, n))
        if (auto v = p.check_state(w, n))
          ADD_FAILURE() << p.name << " broken by " << to_string(c.op) << ", a change it claims not to read (kinds "
                        << int(changed) << "): " << *v;
    }
  }
  // Runs a call that must succeed; returns what it created.
  uint32_t ok(const Call& c) {
    Outcome out = run(c);
    EXPECT_TRUE(out.ok()) << to_string(c.op) << " failed: " << reason_name(out.error.reason);
    return out.created;
  }
  // Runs a call that must fail with `r`; checks nothing changed.
  void fails(const Call& c, Reason r) {
    const uint64_t d = w.digest();
    Outcome out = run(c);
    EXPECT_FALSE(out.ok()) << to_string(c.op) << " should fail with " << reason_name(r);
    EXPECT_EQ(reason_name(out.error.reason), reason_name(r)) << to_string(c.op);
    EXPECT_EQ(out.error.code, code_of(r));
    EXPECT_EQ(w.digest(), d) << "a failed call changed the world";
  }

  const Grant& grant(GrantIx g) const { return w.grants[g]; }
  GrantStatus status(GrantIx g) const { return w.grants[g].status; }
  LicenseStatus license_status(LicenseIx l) const { return w.licenses[l].status; }
  GrantIx child(GrantIx parent, AccountIx a) const { return find_org_child(w, parent, a); }
  int children_in(GrantIx parent, GrantStatus s) const {
    int k = 0;
    for (const Grant& g : w.grants) k += g.parent == parent && g.status == s;
    return k;
  }
};

}  // namespace entmc::test
