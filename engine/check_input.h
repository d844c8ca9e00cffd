// What `entmc check` and `entmc graph` start from: a scenario file whose
// `org`/`products` describe the world, whose `steps` lead to the start state
// and whose `bounds:` section limits the exploration.
#pragma once

#include <string>
#include <vector>

#include "engine/bounds.h"
#include "engine/explorer.h"
#include "model/apply.h"
#include "scenario/scenario.h"

namespace entmc::engine {

struct CheckInput {
  Scenario scenario;
  Bounds bounds;
  World start;              // after the scenario's steps
  std::vector<Call> prefix;  // the steps' calls, resolved
};

// Parses the file, reads the bounds and runs the steps (with `rules`). Throws
// ScenarioError for bad input, including steps that fail their expectations.
CheckInput load_check_input(const std::string& file, const Rules& rules = Rules::standard());
CheckInput load_check_text(std::string_view text, const std::string& filename, const Rules& rules = Rules::standard());

// The input's names plus aliases for what the trace's calls create: the
// same aliases (and IDs) as trace_scenario writes and its replay prints
// (scenario/aliases.h).
Names trace_names(const CheckInput& in, const Trace& t);

// A scenario that `entmc replay` runs into the violation: the input's steps,
// then the trace's calls (scenario_writer.h).
std::string trace_scenario(const CheckInput& in, const ViolationReport& v, const Rules& rules = Rules::standard());

}  // namespace entmc::engine
