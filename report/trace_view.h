// What the HTML report shows of a trace, step by step: the call (caller,
// operation, outcome), what it changed, and the organization after it
// (accounts x products entitlement grid, every grant with its status and
// version), with what changed marked. Built from the model's own state
// (entitled(), the World's records): the report reads, it decides nothing.
#pragma once

#include <string>
#include <vector>

#include "model/apply.h"
#include "model/names.h"
#include "model/world.h"

namespace entmc::report {

struct GrantView {
  std::string id;  // with its alias: "g-... (grant1)"
  std::string name, product, grantor, grantee, status;
  uint32_t version = 0;
  bool changed = false;  // created or changed by this step
};

struct StepView {
  size_t number = 0;  // 0: the start state
  std::string caller, operation, call, outcome;
  bool ok = true;
  bool failing = false;  // the step where the failure shows
  std::vector<std::string> changes;
  // grid[a][p]: "entitled" / "running" (entitled and running) / "" ; changed_cells marks what moved.
  std::vector<std::vector<std::string>> grid;
  std::vector<std::vector<bool>> changed_cells;
  std::vector<GrantView> grants;
  std::vector<std::string> licenses;  // "l-... (lic1): Widget AMI, owner 111..., AVAILABLE"
};

struct TraceView {
  std::vector<std::string> accounts;  // "111111111111 (management)"
  std::vector<std::string> products;
  std::vector<StepView> steps;  // steps[0] is the start state
};

// Start a view at `start`; then add() each step with the world after it.
// `names` must carry the aliases (scenario/aliases.h) for the labels.
TraceView start_view(const Names& names, const World& start);
void add_step(TraceView& view, const Names& names, const World& before, const Call& call, const Outcome& outcome,
              const Changes& changes, const World& after);
// The same with the change lines already described (entmc replay's reports).
void add_step(TraceView& view, const Names& names, const World& before, const Call& call, const Outcome& outcome,
              std::vector<std::string> change_lines, const World& after);
// A step that is not a call (an `expect:` step): its text and whether it held.
void add_check_step(TraceView& view, const Names& names, const std::string& text, bool ok, const World& now);

}  // namespace entmc::report
