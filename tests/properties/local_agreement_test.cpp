// Local checks agree with whole-state checks, and transition checks from
// Changes agree with transition checks from the previous World, on seeded
// random call sequences through apply(): under the standard rules (where
// nothing may be reported) and under wrong rule tables (where violations
// happen, and the local check must see each one the step it appears).
#include "model/rules.h"
#include "tests/properties/hand_built.h"
#include "tests/properties/random_calls.h"

namespace entmc::test {
namespace {

// Wrong rules that break Always invariants in ways random calls reach.
Outcome cancel_keeps_grants(World& w, const Call& c, Changes* ch) {
  if (w.licenses[c.license].owner != c.caller) return fail(Reason::NotLicenseOwner);
  mut::license(w, ch, c.license).status = LicenseStatus::DELETED;
  return success();
}
Outcome leave_keeps_children(World& w, const Call& c, Changes* ch) {
  AccountIx target = c.op == Op::LeaveOrganization ? c.caller : c.account;
  if (!w.is_member(target) || target == w.org.management || target == w.org.delegated_admin)
    return fail(Reason::NotMember);
  mut::account(w, ch, target).membership = Membership::OUTSIDE;
  return success();
}
Outcome join_without_children(World& w, const Call& c, Changes* ch) {
  if (!(w.accounts[c.caller].flags & kInvited)) return fail(Reason::NoOpenHandshake);
  Account& a = mut::account(w, ch, c.caller);
  a.flags &= uint8_t(~kInvited);
  a.membership = Membership::MEMBER;
  return success();
}
Outcome deregister_keeps_distributions(World& w, const Call& c, Changes* ch) {
  if (c.caller != w.org.management || w.org.delegated_admin != c.account) return fail(Reason::NotDelegatedAdmin);
  mut::org(w, ch).delegated_admin = kNone;
  return success();
}
Outcome activate_ignoring_others(World& w, const Call& c, Changes* ch) {
  const Grant& g = w.grants[c.grant];
  if (c.has_status && c.status == GrantStatus::ACTIVE && !g.is_org_parent() && g.status == GrantStatus::DISABLED &&
      (c.caller == g.grantee || c.caller == g.grantor)) {
    mut::set_grant_status(w, ch, c.grant, GrantStatus::ACTIVE, kReasonNone);
    return success(c.grant);
  }
  return rules::create_grant_version(w, c, ch);
}
Outcome grant_unchecked(World& w, const Call& c, Changes* ch) {
  if (c.to_org || c.account == c.caller || (w.accounts[c.account].flags & kGovCloud && c.token == 0))
    return rules::create_grant(w, c, ch);
  Grant g;  // no owner, status or SaaS check
  g.license = c.license;
  g.grantor = c.caller;
  g.grantee = c.account;
  return success(mut::add_grant(w, ch, g));
}

struct Variant {
  const char* name;
  Op op;
  Op op2;
  RuleFn wrong;
};

const std::vector<Variant>& variants() {
  static const std::vector<Variant> all{
      {"standard", Op::Subscribe, Op::Subscribe, nullptr},
      {"cancel keeps grants", Op::CancelSubscription, Op::CancelSubscription, cancel_keeps_grants},
      {"leave keeps children", Op::LeaveOrganization, Op::RemoveAccountFromOrganization, leave_keeps_children},
      {"join without children", Op::AcceptHandshake, Op::AcceptHandshake, join_without_children},
      {"deregister keeps distributions", Op::DeregisterDelegatedAdministrator, Op::DeregisterDelegatedAdministrator,
       deregister_keeps_distributions},
      {"activate ignoring others", Op::CreateGrantVersion, Op::CreateGrantVersion, activate_ignoring_others},
      {"grant unchecked", Op::CreateGrant, Op::CreateGrant, grant_unchecked},
  };
  return all;
}

std::vector<const Property*> always_properties() {
  std::vector<const Property*> out;
  for (const Property& p : all_properties())
    if (p.kind == PropertyKind::Always) out.push_back(&p);
  return out;
}

TEST(LocalAgreement, LocalAndWholeStateChecksAgreeOnRandomCallSequences) {
  const auto always = always_properties();
  for (const Variant& v : variants()) {
    Rules rules = Rules::standard();
    if (v.wrong) rules[v.op] = rules[v.op2] = v.wrong;
    int violations = 0, successes = 0;
    for (uint64_t seed = 1; seed <= 2; ++seed) {
      SCOPED_TRACE(std::string(v.name) + " seed " + std::to_string(seed));
      RandomCalls gen(seed);
      auto fresh = [] {
        Org x;
        x.check_properties = false;
        x.ok(on_account(Op::RegisterDelegatedAdministrator, x.mgmt, x.m1));
        x.ok(activate(x.m1, x.ok(create_org_grant(x.m1, x.ok(subscribe(x.m1, kMl))))));
        x.n.intern_string("user string");
        return x;
      };
      Org o = fresh();
      for (int step = 0; step < 300; ++step) {
        const World before = o.w;
        const Call c = gen.next(o.w);
        Changes ch;
        const Outcome out = apply(o.w, c, &ch, rules);
        successes += out.ok();
        bool broken = false;
        for (const Property* p : always) {
          auto whole = p->check_state(o.w, o.n);
          auto local = p->check_local(o.w, ch, o.n);
          EXPECT_EQ(whole.has_value(), local.has_value())
              << p->name << " after " << to_string(c.op) << " at step " << step << ": "
              << whole.value_or(local.value_or(""));
          broken |= whole.has_value();
        }
        for (const Property& p : all_properties()) {
          if (!p.check_transition) continue;
          auto with_before = p.check_transition(Transition{&before, o.w, c, out, ch}, o.n);
          auto from_changes = p.check_transition(Transition{nullptr, o.w, c, out, ch}, o.n);
          EXPECT_EQ(with_before.has_value(), from_changes.has_value())
              << p.name << " after " << to_string(c.op) << ": " << with_before.value_or(from_changes.value_or(""));
          if (!v.wrong) {
            EXPECT_FALSE(with_before.has_value()) << p.name << ": " << with_before.value_or("");
          }
        }
        if (broken) {  // start again from a valid state: the local checks assume one
          ++violations;
          o = fresh();
        }
      }
    }
    if (v.wrong) {
      EXPECT_GT(violations, 0) << v.name << ": the random calls never reached the bug";
    } else {
      EXPECT_EQ(violations, 0);
    }
    EXPECT_GT(successes, 100) << v.name;
    std::cout << "    " << v.name << ": " << successes << " successful calls, " << violations
              << " violations found\n";
  }
}

}  // namespace
}  // namespace entmc::test
