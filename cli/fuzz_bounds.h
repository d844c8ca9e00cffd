// The `bounds:` section of a scenario given to `entmc fuzz`, read with the
// command line's ranges (docs/fuzz.md):
//   bounds: { max_steps: 30, max_members: 8, wrong_percent: 10 }
// A library of its own so that its libFuzzer target (tests/fuzz_parser/
// fuzz_fuzz_bounds.cpp) links it without the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>

#include "scenario/scenario.h"

namespace entmc::cli {

// The command line's ranges, which a file's `bounds:` section must respect too.
constexpr uint32_t kFuzzMaxSteps = 10000, kFuzzMaxMembers = 1000, kFuzzMaxWrongPercent = 100;

struct FuzzFileBounds {
  std::optional<uint32_t> max_steps, max_members, wrong_percent;
};

// Each error is a ScenarioError located FILE:LINE:COL (a value out of range,
// an unknown key, a section that is not a map). The explorer's keys (entmc
// check's) are accepted, and a note for each says that fuzz does not use it.
FuzzFileBounds read_fuzz_bounds(const Scenario& sc, std::ostream& notes);

}  // namespace entmc::cli
