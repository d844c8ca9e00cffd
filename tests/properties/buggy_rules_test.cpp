// Each invariant catches a realistic bug: a planted bug (tests/support: a rule
// table with one rule swapped for a wrong one), driven by
// ordinary calls through apply(). The same calls under the standard rules
// violate nothing.
#include <functional>

#include "planted_rules.h"
#include "tests/properties/hand_built.h"

namespace entmc::test {
namespace {

// --- the cases --------------------------------------------------------------

struct Case {
  const char* property;
  const char* bug;  // tests/support/planted_rules.h
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
      {"deleted-license-has-no-active-grant", "cancel-keeps-grants",
       [](Org& o) { scenario_org_grant(o, [](Org& x, LicenseIx l, GrantIx) { x.run(cancel(x.mgmt, l)); }); }},
      {"org-grant-covers-members", "leave-keeps-org-children",
       [](Org& o) { scenario_org_grant(o, [](Org& x, LicenseIx, GrantIx) { x.run(call(Op::LeaveOrganization, x.m2)); }); }},
      {"org-grant-covers-members", "joiner-without-org-child",
       [](Org& o) {
         scenario_org_grant(o, [](Org& x, LicenseIx, GrantIx) {
           x.run(on_account(Op::InviteAccountToOrganization, x.mgmt, x.outside));
           x.run(call(Op::AcceptHandshake, x.outside));
         });
       }},
      {"deregistered-admin-org-grants-disabled", "deregister-keeps-org-grants",
       [](Org& o) {
         o.run(on_account(Op::RegisterDelegatedAdministrator, o.mgmt, o.m1));
         LicenseIx l = o.run(subscribe(o.m1, kAmi)).created;
         o.run(activate(o.m1, o.run(create_org_grant(o.m1, l)).created));
         o.run(on_account(Op::DeregisterDelegatedAdministrator, o.mgmt, o.m1));
       }},
      {"one-active-license-per-product", "activate-ignoring-others",
       [](Org& o) {
         LicenseIx a = o.run(subscribe(o.mgmt, kAmi)).created;
         LicenseIx b = o.run(subscribe(o.m2, kAmi)).created;
         GrantIx ga = o.run(create_grant(o.mgmt, a, o.m1)).created;
         GrantIx gb = o.run(create_grant(o.m2, b, o.m1)).created;
         o.run(accept(o.m1, gb));
         o.run(activate(o.m1, ga));
         o.run(activate(o.m1, gb));
       }},
      {"recipient-has-marketplace-role", "skip-recipient-role",
       [](Org& o) {  // the outside account has no Marketplace role
         LicenseIx l = o.run(subscribe(o.mgmt, kAmi)).created;
         o.run(accept_activate(o.outside, o.run(create_grant(o.mgmt, l, o.outside)).created));
       }},
      {"workloads-survive-license-actions", "deactivate-stops-workloads",
       [](Org& o) {
         LicenseIx l = o.run(subscribe(o.mgmt, kAmi)).created;
         GrantIx g = o.run(create_grant(o.mgmt, l, o.m1)).created;
         o.run(activate(o.m1, g));
         o.run(workload(Op::LaunchWorkload, o.m1, kAmi));
         o.run(deactivate(o.mgmt, g));
       }},
      {"launch-requires-entitlement", "launch-unchecked",
       [](Org& o) { o.run(workload(Op::LaunchWorkload, o.m3, kContainer)); }},
      {"terminal-grant-states", "reject-anything",
       [](Org& o) {
         LicenseIx l = o.run(subscribe(o.mgmt, kAmi)).created;
         GrantIx g = o.run(create_grant(o.mgmt, l, o.m1)).created;
         o.run(delete_grant(o.mgmt, g, 1));
         o.run(reject(o.m1, g));
       }},
      {"consumption-rights-only", "grant-anything",
       [](Org& o) {
         LicenseIx l = o.run(subscribe(o.mgmt, kAmi)).created;
         o.run(create_grant(o.m1, l, o.m2));
       }},
      {"delegated-admin-grants-not-transferable", "grant-anything",
       [](Org& o) {
         LicenseIx l = o.run(subscribe(o.m1, kAmi)).created;
         o.run(create_grant(o.mgmt, l, o.m2));
       }},
      {"saas-not-distributable", "grant-anything",
       [](Org& o) { o.run(create_grant(o.mgmt, o.run(subscribe(o.mgmt, kSaas)).created, o.m1)); }},
      {"govcloud-mirrors-commercial", "grant-anything",
       [](Org& o) { o.run(create_grant(o.mgmt, o.run(subscribe(o.mgmt, kAmi)).created, o.gov)); }},
      {"org-grants-need-all-features", "grant-anything",
       [](Org& o) { o.run(create_org_grant(o.m2, o.run(subscribe(o.m2, kAmi)).created)); }},
      {"org-grant-covers-members", "grant-anything",
       [](Org& o) { o.run(create_org_grant(o.mgmt, o.run(subscribe(o.mgmt, kAmi)).created)); }},
      {"failed-call-changes-nothing", "accept-then-refuse",
       [](Org& o) {
         LicenseIx l = o.run(subscribe(o.mgmt, kAmi)).created;
         o.run(accept(o.m1, o.run(create_grant(o.mgmt, l, o.m1)).created));
       }},
      {"grant-version-monotonic", "rename-in-place",
       [](Org& o) {
         LicenseIx l = o.run(subscribe(o.mgmt, kAmi)).created;
         o.run(rename(o.mgmt, o.run(create_grant(o.mgmt, l, o.m1)).created, o.n.intern_string("renamed")));
       }},
      // Frame conditions and birth rules (issue 17): no other property says these.
      {"frame-grant-calls", "accept-all-pending",
       [](Org& o) {
         GrantIx g1 = o.run(create_grant(o.m2, o.run(subscribe(o.m2, kAmi)).created, o.m1)).created;
         o.run(create_grant(o.m3, o.run(subscribe(o.m3, kContainer)).created, o.m1));
         o.run(accept(o.m1, g1));
       }},
      {"frame-license-calls", "cancel-deletes-received-grants",
       [](Org& o) {
         o.run(create_grant(o.m2, o.run(subscribe(o.m2, kAmi)).created, o.m1));
         o.run(cancel(o.m1, o.run(subscribe(o.m1, kAmi)).created));
       }},
      {"frame-organization-calls", "leave-disables-account-grants",
       [](Org& o) {
         GrantIx g = o.run(create_grant(o.mgmt, o.run(subscribe(o.mgmt, kAmi)).created, o.m1)).created;
         o.run(activate(o.m1, g));
         o.run(call(Op::LeaveOrganization, o.m1));
       }},
      {"frame-workload-calls", "launch-counts-commercial",
       [](Org& o) {
         o.run(subscribe(o.m1, kAmi));
         o.run(workload(Op::LaunchWorkload, o.gov, kAmi, Region::us_gov_west_1));
       }},
      {"birth-states", "grant-always-auto-accepted",
       [](Org& o) { o.run(create_grant(o.m2, o.run(subscribe(o.m2, kAmi)).created, o.m1)); }},
  };
  return all;
}

// The properties issue 17 added: a bug planted against one of them was
// missed by every property before them.
bool new_oracle(std::string_view property) {
  return property.starts_with("frame-") || property == "birth-states";
}

bool reported(const std::vector<Violation>& v, std::string_view property) {
  for (const Violation& x : v)
    if (x.property == property) return true;
  return false;
}

TEST(BuggyRules, EachWrongRuleIsCaughtByItsInvariantAndTheRightRulesPass) {
  for (const Case& k : cases()) {
    SCOPED_TRACE(std::string(k.property) + " / " + k.bug);
    Org right;
    k.calls(right);
    EXPECT_TRUE(right.violations.empty());

    Org o;
    const Rules wrong = planted::planted_bug(k.bug).rules;
    o.rules = &wrong;
    o.violations_fail = false;
    k.calls(o);
    EXPECT_TRUE(reported(o.violations, k.property)) << "not caught";
    if (new_oracle(k.property)) {
      for (const Violation& v : o.violations)
        EXPECT_TRUE(new_oracle(v.property)) << "an older property catches it too: " << v.property;
    }
    const Property& p = property(k.property);
    // A broken state is seen by the local check too (the transition half
    // of an Always property is not a state: org-grants-need-all-features).
    if (p.kind == PropertyKind::Always && p.check_state(o.w, o.n)) {
      EXPECT_TRUE(reported(o.local_violations, k.property)) << "the local check missed it";
    }
  }
}

// call-preconditions (issue 17): who may make a call and what must hold
// first, stated from the guides; a bug that lets the wrong caller through, or
// skips a prerequisite, or refuses a call whose preconditions all hold, is
// caught by it and by no other property (frame conditions state what a
// successful call does, not whether it may succeed).
struct PreconditionCase {
  const char* bug;
  FeatureSet feature_set;
  std::function<void(Org&)> calls;
};

TEST(BuggyRules, CallPreconditionsAloneCatchWrongCallersAndMissingPrerequisites) {
  const std::vector<PreconditionCase> all{
      {"deregister-by-anyone", FeatureSet::ALL,
       [](Org& o) {
         o.run(on_account(Op::RegisterDelegatedAdministrator, o.mgmt, o.m1));
         o.run(on_account(Op::DeregisterDelegatedAdministrator, o.m2, o.m1));
       }},
      {"master-role-anywhere", FeatureSet::ALL,
       [](Org& o) { o.run(service(Op::CreateServiceLinkedRole, o.m1, Service::LicenseManagerMaster)); }},
      {"link-without-all-features", FeatureSet::CONSOLIDATED_BILLING,
       [](Org& o) {
         o.run(service(Op::CreateServiceLinkedRole, o.mgmt, Service::LicenseManagerMaster));
         o.run(link_accounts(o.mgmt));
       }},
      {"leave-always-refused", FeatureSet::ALL, [](Org& o) { o.run(call(Op::LeaveOrganization, o.m3)); }},
  };
  for (const PreconditionCase& k : all) {
    SCOPED_TRACE(k.bug);
    EXPECT_EQ(planted::planted_bug(k.bug).property, "call-preconditions");
    Org right(k.feature_set);
    k.calls(right);
    EXPECT_TRUE(right.violations.empty());
    Org o(k.feature_set);
    const Rules wrong = planted::planted_bug(k.bug).rules;
    o.rules = &wrong;
    o.violations_fail = false;
    k.calls(o);
    EXPECT_TRUE(reported(o.violations, "call-preconditions")) << "not caught";
    for (const Violation& v : o.violations)
      EXPECT_EQ(v.property, "call-preconditions") << "another property catches it too: " << v.detail;
  }
}

}  // namespace
}  // namespace entmc::test
