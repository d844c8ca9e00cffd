// Local checks agree with whole-state checks, and transition checks from
// Changes agree with transition checks from the previous World, on seeded
// random call sequences through apply(): under the standard rules (where
// nothing may be reported) and under wrong rule tables (where violations
// happen, and the local check must see each one the step it appears).
#include "planted_rules.h"
#include "tests/properties/hand_built.h"
#include "tests/properties/random_calls.h"

namespace entmc::test {
namespace {

// Planted bugs (tests/support) that break Always invariants in ways random
// calls reach; "standard" has none.
struct Variant {
  const char* name;
  const char* bug;  // nullptr: the standard rules
};

const std::vector<Variant>& variants() {
  static const std::vector<Variant> all{
      {"standard", nullptr},
      {"cancel keeps grants", "cancel-keeps-grants"},
      {"leave keeps children", "leave-keeps-org-children"},
      {"join without children", "joiner-without-org-child"},
      {"deregister keeps distributions", "deregister-keeps-org-grants"},
      {"activate ignoring others", "activate-ignoring-others"},
      {"grant unchecked", "grant-unchecked"},
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
    const Rules rules = v.bug ? planted::planted_bug(v.bug).rules : Rules::standard();
    int violations = 0, successes = 0, failed_noops = 0, skippable = 0, unjudged = 0;
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
        // The mutation helpers keep the derived counters right whatever the
        // rule (the planted bugs included).
        EXPECT_TRUE(active_licenses_consistent(o.w)) << "after " << to_string(c.op) << " at step " << step;
        bool broken = false;
        const uint8_t changed = ch.kinds(o.w);
        for (const Property* p : always) {
          auto whole = p->check_state(o.w, o.n);
          auto local = p->check_local(o.w, ch, o.n);
          EXPECT_EQ(whole.has_value(), local.has_value())
              << p->name << " after " << to_string(c.op) << " at step " << step << ": "
              << whole.value_or(local.value_or(""));
          // A checker may skip the property after a change it does not read
          // (Property::breaks_on): it held before, so it must hold now.
          if (!may_break(*p, changed)) {
            ++skippable;
            EXPECT_FALSE(whole.has_value()) << p->name << " broken by a change it claims not to read ("
                                            << int(changed) << ") in " << to_string(c.op) << ": " << *whole;
          }
          broken |= whole.has_value();
        }
        // The simulator's way: every transition check of the call on one
        // Transition, sharing one index of its before-images.
        const Transition shared{nullptr, o.w, c, out, ch};
        const TransitionCheckScope shared_scope(shared);
        for (const Property& p : all_properties()) {
          if (!p.check_transition) continue;
          auto with_before = p.check_transition(Transition{&before, o.w, c, out, ch}, o.n);
          auto from_changes = p.check_transition(Transition{nullptr, o.w, c, out, ch}, o.n);
          EXPECT_EQ(with_before.has_value(), from_changes.has_value())
              << p.name << " after " << to_string(c.op) << ": " << with_before.value_or(from_changes.value_or(""));
          EXPECT_EQ(p.check_transition(shared, o.n), from_changes) << p.name << " after " << to_string(c.op);
          if (!v.bug) {
            EXPECT_FALSE(with_before.has_value()) << p.name << ": " << with_before.value_or("");
          }
          if (!may_break(p, changed)) {
            ++skippable;
            EXPECT_FALSE(with_before.has_value()) << p.name << " judged a change it claims cannot break it ("
                                                  << int(changed) << ") in " << to_string(c.op) << ": "
                                                  << with_before.value_or("");
          }
          // A checker may skip it after a call it does not judge
          // (Property::judges_ops, judges_outcome), whatever changed.
          if (!may_judge(p, c.op, out.ok())) {
            ++unjudged;
            EXPECT_FALSE(with_before.has_value()) << p.name << " judged a call it claims not to judge ("
                                                  << to_string(c.op) << (out.ok() ? ", succeeded" : ", failed")
                                                  << "): " << with_before.value_or("");
          }
          // Nothing changed: a checker may pass the same World as before and
          // after (property.h), and a property that claims to hold on failed
          // calls that change nothing must (the explorer skips it there).
          if (before == o.w) {
            auto aliased = p.check_transition(Transition{&o.w, o.w, c, out, ch}, o.n);
            EXPECT_EQ(aliased, with_before) << p.name << " after " << to_string(c.op);
            if (!out.ok() && ch.empty(o.w)) {
              ++failed_noops;
              if (p.holds_on_failed_noop) {
                EXPECT_FALSE(with_before.has_value()) << p.name << " judged a failed " << to_string(c.op);
              }
            }
          }
        }
        if (broken) {  // start again from a valid state: the local checks assume one
          ++violations;
          o = fresh();
        }
      }
    }
    if (v.bug) {
      EXPECT_GT(violations, 0) << v.name << ": the random calls never reached the bug";
    } else {
      EXPECT_EQ(violations, 0);
    }
    EXPECT_GT(successes, 100) << v.name;
    EXPECT_GT(failed_noops, 100) << v.name;
    EXPECT_GT(skippable, 1000) << v.name;
    EXPECT_GT(unjudged, 1000) << v.name;
    std::cout << "    " << v.name << ": " << successes << " successful calls, " << violations
              << " violations found\n";
  }
}

// delegated-admin-replaced reads the organization grants through
// World::org_grants; on random call sequences (organization grants created,
// administrators registered, deregistered and replaced) it agrees with a scan
// of every grant, and both verdicts occur.
TEST(LocalAgreement, AdminReplacedCoverAgreesWithAScanOfEveryGrant) {
  const Property& cover = property("delegated-admin-replaced");
  int examples = 0, others = 0;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    RandomCalls gen(seed);
    Org o;
    o.check_properties = false;
    o.ok(on_account(Op::RegisterDelegatedAdministrator, o.mgmt, o.m1));
    o.ok(create_org_grant(o.m1, o.ok(subscribe(o.m1, kMl))));
    for (int step = 0; step < 400; ++step) {
      apply(o.w, gen.next(o.w));
      const AccountIx admin = o.w.org.delegated_admin;
      bool scan = false;
      for (const Grant& g : o.w.grants)
        scan |= admin != kNone && g.is_org_parent() && g.grantor != admin && g.grantor != o.w.org.management;
      const bool example = !cover.check_state(o.w, o.n).has_value();
      EXPECT_EQ(example, scan) << "seed " << seed << " step " << step;
      (example ? examples : others) += 1;
    }
  }
  EXPECT_GT(examples, 0);
  EXPECT_GT(others, 0);
}

}  // namespace
}  // namespace entmc::test
