// Reading the `bounds:` section of a scenario (docs/explorer.md has the
// format). Errors are ScenarioErrors: "FILE:LINE:COL: error: ...".
#pragma once

#include "engine/bounds.h"
#include "scenario/scenario.h"

namespace entmc::engine {

// Reads `sc.root["bounds"]` (absent: every operation, account and product,
// and no caps). Interns the status reasons, names and client tokens it lists
// into `sc.names`, and sizes `sc.initial`'s token table to match, so call this
// before running the scenario's steps.
Bounds read_bounds(Scenario& sc);

}  // namespace entmc::engine
