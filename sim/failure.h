// What the simulator does when an invariant breaks: regenerate the run up to
// the violating event (the run is deterministic, so nothing is recorded while
// simulating), write it as a scenario, shrink it by delta debugging to a small
// scenario that still violates the same property, and write that too. Both
// files replay with `entmc replay` (scenario/scenario_writer.h).
#pragma once

#include <functional>
#include <string>

#include "sim/config.h"
#include "sim/simulation.h"
#include "sim/shrink.h"

namespace entmc::sim {

struct FailureFiles {
  std::string full_path;    // the run up to the violation
  std::string shrunk_path;  // the shrunk scenario
  size_t full_steps = 0;
  size_t shrunk_steps = 0;
  size_t shrunk_accounts = 0;
  size_t shrink_tests = 0;
  bool budget_exhausted = false;
  std::string shrunk_detail;
};

// `result` is the violating run of `config`; `prefix` + ".full.yaml" and
// prefix + ".yaml" are written. `limits` gives the shrinker's budget and,
// for user properties, the accounts to keep and how to compile the
// properties again (shrink.h). `finish`, when set, completes each file's
// text (the user's `properties:` section, so that replay checks them too).
// Throws std::runtime_error when a file cannot be written.
FailureFiles write_failure(const SimConfig&, const std::vector<Property>&, const Rules&, const RunResult& result,
                           const std::string& prefix, const ShrinkInput& limits,
                           const std::function<std::string(const std::string&)>& finish = {});

}  // namespace entmc::sim
