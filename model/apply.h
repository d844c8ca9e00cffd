// The model's one next-state function:
//
//   apply(world, call) -> Outcome   (success, or a typed Error and no change)
//
// Replay, the explorer, random testing and the simulator all call this. The
// rules are a plain value (Rules): one function per operation. The product
// uses Rules::standard(); tests build variants with one rule swapped for a
// wrong one to prove that the checkers catch it. Nothing in the product
// switches rules.
#pragma once

#include <array>

#include "model/call.h"
#include "model/errors.h"
#include "model/world.h"

namespace entmc {

using RuleFn = Outcome (*)(World&, const Call&, Changes*);

struct Rules {
  std::array<RuleFn, kOpCount> by_op{};
  static const Rules& standard();
  RuleFn& operator[](Op op) { return by_op[static_cast<size_t>(op)]; }
  RuleFn operator[](Op op) const { return by_op[static_cast<size_t>(op)]; }
};

// Checks that hold for every operation before its rule runs: the caller, the
// indices the call names, the region, the License Manager role. Returns the
// failure, or Reason::None.
Reason precheck(const World&, const Call&);

// Applies `call`. When `changes` is given it is reset and receives the
// before-image of everything the call modified (empty on failure).
Outcome apply(World&, const Call&, Changes* changes = nullptr, const Rules& rules = Rules::standard());

}  // namespace entmc
