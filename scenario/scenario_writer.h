// Writing a replayable scenario from raw calls: the explorer's
// counterexamples, the simulator's shrunk failures and the random tester's
// failures all become files that `entmc replay` reproduces.
//
// The writer replays the calls itself (with the given Rules) to learn what
// each one creates and whether it fails, then writes:
//   - `org` / `products` such that parsing the file back gives exactly
//     `initial` (the same World, so the same digests) when its accounts are
//     in the parser's order (management, members, outside, GovCloud);
//     otherwise the same organization with its accounts renumbered
//     (scenario_writer.cpp, check_expressible);
//   - one step per call, with `as:` on everything a call creates, org
//     children named by their parent's alias + `recipient:`, printed l-/g- IDs
//     for the rare record no alias reaches, and `fails: CODE` on failing calls;
//   - `strings:` / `client_tokens:` tables when needed so that interned grant
//     names, reasons and tokens get the same ids on reparse.
//   - `start:` when `initial` already holds licenses, grants or running
//     workloads (start_writer.h).
// Throws std::invalid_argument when `initial` cannot be expressed (the
// management account is not account 0).
#pragma once

#include <string>
#include <vector>

#include "model/apply.h"
#include "model/call.h"
#include "model/names.h"
#include "model/world.h"

namespace entmc {

struct ScenarioText {
  std::string name = "generated scenario";  // also decides the printed IDs (id_seed_for)
  std::string description;
  std::string final_comment;  // written as a YAML comment after the last step (e.g. the violation)
};

std::string write_scenario(const Names& names, const World& initial, const std::vector<Call>& calls,
                           const ScenarioText& text = {}, const Rules& rules = Rules::standard());

}  // namespace entmc
