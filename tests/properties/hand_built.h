// Hand-built violations: a valid world changed directly through the model's
// logging mutation helpers (model/changes_log.h), so that the whole-state
// check, the local check (from Changes) and the transition checks (with and
// without the previous World) all see the same change.
#pragma once

#include <gtest/gtest.h>

#include <iostream>
#include <stdexcept>
#include <string_view>

#include "model/changes_log.h"
#include "properties/property.h"
#include "tests/model/fixture.h"

namespace entmc::test {

inline const Property& property(std::string_view name) {
  const Property* p = find_property(name);
  if (!p) throw std::runtime_error("no property " + std::string(name));
  return *p;
}

// A transition built by hand from a valid state: `after` starts equal to
// `before`; change it through mut:: with &changes.
struct HandBuilt {
  World before;
  World after;
  Changes changes;
  explicit HandBuilt(const World& w) : before(w), after(w) { changes.begin(after); }
};

// The Always property `name` holds on the state of `o`, whole and local.
inline void expect_holds(const Org& o, std::string_view name) {
  const Property& p = property(name);
  EXPECT_EQ(p.check_state(o.w, o.n), std::nullopt) << name;
  Changes none;
  none.begin(o.w);
  if (p.check_local) {
    EXPECT_EQ(p.check_local(o.w, none, o.n), std::nullopt) << name;
  }
}

// The Always property `name` catches the hand-built state, by the whole-state
// check and by the local check from the change log.
inline void expect_caught(const HandBuilt& h, const Names& n, std::string_view name) {
  const Property& p = property(name);
  ASSERT_EQ(p.check_state(h.before, n), std::nullopt) << name << " already fails before the change";
  auto whole = p.check_state(h.after, n);
  EXPECT_TRUE(whole.has_value()) << name << " missed the violation";
  if (whole) std::cout << "    " << name << ": " << *whole << "\n";
  ASSERT_NE(p.check_local, nullptr) << name;
  EXPECT_TRUE(p.check_local(h.after, h.changes, n).has_value()) << name << " (local) missed the violation";
}

// The transition check of `name` on (before, call, outcome, after), with the
// previous World and without it (from the change log alone).
inline void expect_transition(const HandBuilt& h, const Names& n, std::string_view name, const Call& c,
                              const Outcome& out, bool caught) {
  const Property* found = find_property(name, PropertyKind::Transition);
  ASSERT_NE(found, nullptr) << name << " has no transition check";
  const Property& p = *found;
  ASSERT_NE(p.check_transition, nullptr) << name;
  auto with_before = p.check_transition(Transition{&h.before, h.after, c, out, h.changes}, n);
  auto from_changes = p.check_transition(Transition{nullptr, h.after, c, out, h.changes}, n);
  EXPECT_EQ(with_before.has_value(), caught) << name << " with the previous world: " << with_before.value_or("");
  EXPECT_EQ(from_changes.has_value(), caught) << name << " from Changes: " << from_changes.value_or("");
  if (with_before) std::cout << "    " << name << ": " << *with_before << "\n";
}

}  // namespace entmc::test
