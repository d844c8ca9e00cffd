// Each invariant catches a realistic bug: a rule table with one rule swapped
// for a wrong one (apply.h: tests build buggy variants this way), driven by
// ordinary calls through apply(). The same calls under the standard rules
// violate nothing.
#include <functional>

#include "model/rules.h"
#include "tests/properties/hand_built.h"

namespace entmc::test {
namespace {

// --- wrong rules ------------------------------------------------------------

// Cancels the license but leaves its grants as they were.
Outcome cancel_keeps_grants(World& w, const Call& c, Changes* ch) {
  if (w.licenses[c.license].owner != c.caller) return fail(Reason::NotLicenseOwner);
  mut::license(w, ch, c.license).status = LicenseStatus::DELETED;
  return success();
}
// Leaving keeps the leaver's organization children active.
Outcome leave_keeps_children(World& w, const Call& c, Changes* ch) {
  if (!w.is_member(c.caller) || c.caller == w.org.management) return fail(Reason::NotMember);
  mut::account(w, ch, c.caller).membership = Membership::OUTSIDE;
  return success();
}
// Joining without receiving the organization's distributions.
Outcome join_without_children(World& w, const Call& c, Changes* ch) {
  if (!(w.accounts[c.caller].flags & kInvited)) return fail(Reason::NoOpenHandshake);
  Account& a = mut::account(w, ch, c.caller);
  a.flags &= uint8_t(~kInvited);
  a.membership = Membership::MEMBER;
  return success();
}
// Deregistering without disabling the former administrator's distributions.
Outcome deregister_keeps_distributions(World& w, const Call& c, Changes* ch) {
  if (w.org.delegated_admin != c.account) return fail(Reason::NotDelegatedAdmin);
  mut::org(w, ch).delegated_admin = kNone;
  return success();
}
// Activation that ignores the one-active-license rule.
Outcome activate_ignoring_others(World& w, const Call& c, Changes* ch) {
  if (c.has_status && c.status == GrantStatus::ACTIVE && !w.grants[c.grant].is_org_parent()) {
    mut::set_grant_status(w, ch, c.grant, GrantStatus::ACTIVE, kReasonNone);
    return success(c.grant);
  }
  return rules::create_grant_version(w, c, ch);
}
// Deactivation that also stops the recipient's workloads.
Outcome deactivate_stops_workloads(World& w, const Call& c, Changes* ch) {
  Outcome out = rules::create_grant_version(w, c, ch);
  const Grant& g = w.grants[c.grant];
  if (out.ok() && g.status == GrantStatus::DISABLED && g.grantee != kNone)
    mut::set_running(w, ch, g.grantee, product_of_grant(w, c.grant), 0);
  return out;
}
// Launch without an entitlement check.
Outcome launch_unchecked(World& w, const Call& c, Changes* ch) {
  mut::set_running(w, ch, c.caller, c.product, uint8_t(w.running_at(c.caller, c.product) + 1));
  return success();
}
// Rejection that ignores terminal states.
Outcome reject_anything(World& w, const Call& c, Changes* ch) {
  if (w.grants[c.grant].grantee != c.caller) return fail(Reason::NotGrantRecipient);
  mut::set_grant_status(w, ch, c.grant, GrantStatus::REJECTED, kReasonNone);
  return success();
}
// CreateGrant without any check on the license, the caller or the principal.
Outcome grant_anything(World& w, const Call& c, Changes* ch) {
  Grant g;
  g.license = c.license;
  g.grantor = c.caller;
  g.grantee = c.to_org ? kNone : c.account;
  g.flags = c.to_org ? kOrgParent : 0;
  g.allowed_ops = c.allowed_ops ? c.allowed_ops : kConsumptionOps;
  GrantIx ix = mut::add_grant(w, ch, g);
  if (c.to_org) w.org_grants.push_back(ix);
  return success(ix);
}
// AcceptGrant that bumps the version and then refuses.
Outcome accept_then_refuse(World& w, const Call& c, Changes* ch) {
  ++mut::grant(w, ch, c.grant).version;
  return fail(Reason::GrantNotPendingAccept);
}
// Renaming without a new version.
Outcome rename_in_place(World& w, const Call& c, Changes* ch) {
  if (c.name == 0 || c.has_status) return rules::create_grant_version(w, c, ch);
  mut::grant(w, ch, c.grant).name = c.name;
  return success(c.grant);
}

// --- the cases --------------------------------------------------------------

struct Case {
  const char* property;
  Op op;
  RuleFn wrong;
  std::function<void(Org&)> calls;
};

void scenario_org_grant(Org& o, const std::function<void(Org&, LicenseIx, GrantIx)>& then) {
  LicenseIx l = o.run(subscribe(o.mgmt, kAmi)).created;
  GrantIx p = o.run(create_org_grant(o.mgmt, l)).created;
  o.run(activate(o.mgmt, p));
  then(o, l, p);
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all{
      {"deleted-license-has-no-active-grant", Op::CancelSubscription, cancel_keeps_grants,
       [](Org& o) { scenario_org_grant(o, [](Org& x, LicenseIx l, GrantIx) { x.run(cancel(x.mgmt, l)); }); }},
      {"org-grant-covers-members", Op::LeaveOrganization, leave_keeps_children,
       [](Org& o) { scenario_org_grant(o, [](Org& x, LicenseIx, GrantIx) { x.run(call(Op::LeaveOrganization, x.m2)); }); }},
      {"org-grant-covers-members", Op::AcceptHandshake, join_without_children,
       [](Org& o) {
         scenario_org_grant(o, [](Org& x, LicenseIx, GrantIx) {
           x.run(on_account(Op::InviteAccountToOrganization, x.mgmt, x.outside));
           x.run(call(Op::AcceptHandshake, x.outside));
         });
       }},
      {"deregistered-admin-org-grants-disabled", Op::DeregisterDelegatedAdministrator,
       deregister_keeps_distributions,
       [](Org& o) {
         o.run(on_account(Op::RegisterDelegatedAdministrator, o.mgmt, o.m1));
         LicenseIx l = o.run(subscribe(o.m1, kAmi)).created;
         o.run(activate(o.m1, o.run(create_org_grant(o.m1, l)).created));
         o.run(on_account(Op::DeregisterDelegatedAdministrator, o.mgmt, o.m1));
       }},
      {"one-active-license-per-product", Op::CreateGrantVersion, activate_ignoring_others,
       [](Org& o) {
         LicenseIx a = o.run(subscribe(o.mgmt, kAmi)).created;
         LicenseIx b = o.run(subscribe(o.m2, kAmi)).created;
         GrantIx ga = o.run(create_grant(o.mgmt, a, o.m1)).created;
         GrantIx gb = o.run(create_grant(o.m2, b, o.m1)).created;
         o.run(accept(o.m1, gb));
         o.run(activate(o.m1, ga));
         o.run(activate(o.m1, gb));
       }},
      {"workloads-survive-license-actions", Op::CreateGrantVersion, deactivate_stops_workloads,
       [](Org& o) {
         LicenseIx l = o.run(subscribe(o.mgmt, kAmi)).created;
         GrantIx g = o.run(create_grant(o.mgmt, l, o.m1)).created;
         o.run(activate(o.m1, g));
         o.run(workload(Op::LaunchWorkload, o.m1, kAmi));
         o.run(deactivate(o.mgmt, g));
       }},
      {"launch-requires-entitlement", Op::LaunchWorkload, launch_unchecked,
       [](Org& o) { o.run(workload(Op::LaunchWorkload, o.m3, kContainer)); }},
      {"terminal-grant-states", Op::RejectGrant, reject_anything,
       [](Org& o) {
         LicenseIx l = o.run(subscribe(o.mgmt, kAmi)).created;
         GrantIx g = o.run(create_grant(o.mgmt, l, o.m1)).created;
         o.run(delete_grant(o.mgmt, g, 1));
         o.run(reject(o.m1, g));
       }},
      {"consumption-rights-only", Op::CreateGrant, grant_anything,
       [](Org& o) {
         LicenseIx l = o.run(subscribe(o.mgmt, kAmi)).created;
         o.run(create_grant(o.m1, l, o.m2));
       }},
      {"delegated-admin-grants-not-transferable", Op::CreateGrant, grant_anything,
       [](Org& o) {
         LicenseIx l = o.run(subscribe(o.m1, kAmi)).created;
         o.run(create_grant(o.mgmt, l, o.m2));
       }},
      {"saas-not-distributable", Op::CreateGrant, grant_anything,
       [](Org& o) { o.run(create_grant(o.mgmt, o.run(subscribe(o.mgmt, kSaas)).created, o.m1)); }},
      {"govcloud-mirrors-commercial", Op::CreateGrant, grant_anything,
       [](Org& o) { o.run(create_grant(o.mgmt, o.run(subscribe(o.mgmt, kAmi)).created, o.gov)); }},
      {"org-grants-need-all-features", Op::CreateGrant, grant_anything,
       [](Org& o) { o.run(create_org_grant(o.m2, o.run(subscribe(o.m2, kAmi)).created)); }},
      {"org-grant-covers-members", Op::CreateGrant, grant_anything,
       [](Org& o) { o.run(create_org_grant(o.mgmt, o.run(subscribe(o.mgmt, kAmi)).created)); }},
      {"failed-call-changes-nothing", Op::AcceptGrant, accept_then_refuse,
       [](Org& o) {
         LicenseIx l = o.run(subscribe(o.mgmt, kAmi)).created;
         o.run(accept(o.m1, o.run(create_grant(o.mgmt, l, o.m1)).created));
       }},
      {"grant-version-monotonic", Op::CreateGrantVersion, rename_in_place,
       [](Org& o) {
         LicenseIx l = o.run(subscribe(o.mgmt, kAmi)).created;
         o.run(rename(o.mgmt, o.run(create_grant(o.mgmt, l, o.m1)).created, o.n.intern_string("renamed")));
       }},
  };
  return all;
}

bool reported(const std::vector<Violation>& v, std::string_view property) {
  for (const Violation& x : v)
    if (x.property == property) return true;
  return false;
}

TEST(BuggyRules, EachWrongRuleIsCaughtByItsInvariantAndTheRightRulesPass) {
  for (const Case& k : cases()) {
    SCOPED_TRACE(std::string(k.property) + " / wrong " + std::string(to_string(k.op)));
    Org right;
    k.calls(right);
    EXPECT_TRUE(right.violations.empty());

    Org o;
    Rules wrong = Rules::standard();
    wrong[k.op] = k.wrong;
    o.rules = &wrong;
    o.violations_fail = false;
    k.calls(o);
    EXPECT_TRUE(reported(o.violations, k.property)) << "not caught";
    const Property& p = property(k.property);
    // A broken state is seen by the local check too (the transition half
    // of an Always property is not a state: org-grants-need-all-features).
    if (p.kind == PropertyKind::Always && p.check_state(o.w, o.n)) {
      EXPECT_TRUE(reported(o.local_violations, k.property)) << "the local check missed it";
    }
  }
}

}  // namespace
}  // namespace entmc::test
