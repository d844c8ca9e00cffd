// Shrinking a failing run to a small one that fails the same way.
//
// Why our own shrinker rather than RapidCheck's: RapidCheck shrinks the value
// tree of the generator, but our steps are generated from the state that the
// earlier steps reached, so RapidCheck's shrinks of an early choice would
// regenerate (and lose) everything after it, and its shrinking is not
// callable with an explicit seed and budget from `entmc fuzz`. Shrinking the
// finished step sequence instead (delta debugging: delete chunks, then single
// steps, then accounts and products the run does not need, then simplify
// calls), re-validated by executing every candidate, keeps the steps that
// matter as they were, and the symbolic references (run.h) keep every
// candidate a valid run: a step whose license or grant was created by a
// removed step is dropped by normalize().
#pragma once

#include <functional>

#include "proptest/execute.h"
#include "proptest/run.h"

namespace entmc::proptest {

// Executes the run and removes the steps whose references no longer resolve;
// references are renumbered to the remaining steps.
Run normalize(const Run&, const Rules& = Rules::standard());

// The steps up to and including the one that failed.
Run truncate_after(const Run&, size_t step);

using StillFails = std::function<bool(const Run&)>;

struct ShrinkStats {
  size_t attempts = 0;  // candidate runs executed
  size_t accepted = 0;  // candidates that still failed and were kept
};

// Returns the smallest run found that still fails. `budget` bounds the
// number of candidates executed.
Run shrink_run(const Run& failing, const StillFails&, const Rules& = Rules::standard(), ShrinkStats* = nullptr,
               size_t budget = 4000);

// The usual StillFails: the run violates the property named `property`
// under `rules`.
StillFails fails_with(std::string property, const Rules& rules);

}  // namespace entmc::proptest
