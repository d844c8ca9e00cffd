// Planted bugs: Rules tables with exactly one entry swapped for a wrong rule
// written here, in the tests (nothing in the product switches rules). Each
// breaks one invariant of properties/; the tests assert that random testing
// finds it and shrinks it to a short scenario that replays to the violation.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "model/apply.h"

namespace entmc::planted {

struct PlantedBug {
  std::string name;      // what is wrong, in a few words
  std::string property;  // the invariant that must catch it
  Rules rules;           // Rules::standard() with one rule swapped
};

const std::vector<PlantedBug>& planted_bugs();

// GoogleTest prints a parameter with this (the name, not the bytes).
inline void PrintTo(const PlantedBug& b, std::ostream* os) { *os << b.name; }

}  // namespace entmc::planted
