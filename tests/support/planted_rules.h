// Planted bugs, for tests only: Rules tables with one operation's rule (or two
// operations sharing one, as leaving and removal do) swapped for a wrong rule
// written in planted_rules.cpp. Nothing in the product switches rules. Every
// test folder that needs a wrong model takes it from here by name: the
// explorer's round trip (tests/engine), the invariants' own tests
// (tests/properties), random testing (tests/proptest), the simulator
// (tests/sim) and the check command (tests/cli).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "model/apply.h"

namespace entmc::planted {

struct PlantedBug {
  std::string name;      // what is wrong, in a few words
  std::string property;  // the invariant it was planted against (others may catch it too)
  std::vector<Op> ops;   // the operations whose rule is replaced
  Rules rules;           // Rules::standard() with those rules swapped
};

// Every planted bug, in a fixed order.
const std::vector<PlantedBug>& planted_bugs();
// One by name; throws std::out_of_range naming it if there is none.
const PlantedBug& planted_bug(std::string_view name);
// Several by name, in the order given.
std::vector<PlantedBug> planted_bugs(const std::vector<std::string_view>& names);

// GoogleTest prints a parameter with this (the name, not the bytes).
inline void PrintTo(const PlantedBug& b, std::ostream* os) { *os << b.name; }

}  // namespace entmc::planted
