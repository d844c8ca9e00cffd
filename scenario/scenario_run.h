// Running a scenario one step at a time: resolve aliases, apply() the call,
// check `fails:`, check `expect:` steps, and check every invariant
// (properties/property.h) after every step. The same runner serves `entmc
// replay`, the tests, and the other tools' round trips (with a Rules variant).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/apply.h"
#include "properties/property.h"
#include "scenario/scenario.h"

namespace entmc {

// Something that did not hold at a step.
struct StepFailure {
  enum class Kind : uint8_t {
    Fails,        // the call's outcome is not what `fails:` (or its absence) says
    Expectation,  // an `expect:` assertion does not hold
    Invariant,    // a property from properties/ is violated
    Reference,    // a license/grant reference could not be resolved at this point
  };
  Kind kind = Kind::Expectation;
  std::string what;    // the property name, or the expectation as written ("grant dist status ACTIVE")
  std::string detail;  // what was found instead, in the domain's words
  SourceMark mark;
};
std::string_view to_string(StepFailure::Kind);

struct StepReport {
  size_t number = 0;  // 0 = the initial state (its invariants), else the step number
  SourceMark mark;
  bool is_expect = false;
  bool applied = false;  // a call was resolved and applied
  Call call;             // resolved (valid when applied)
  Outcome outcome;       // valid when applied
  std::string call_text;          // describe_call, or the expectations for an `expect:` step
  std::string outcome_text;       // describe_outcome
  std::vector<std::string> changes;  // describe_changes, one line each
  std::vector<StepFailure> failures;
  std::string state;  // describe_state of the world after the step, filled only when something failed
  bool ok() const { return failures.empty(); }
};

class ScenarioRun {
 public:
  // `scenario` must outlive the run.
  explicit ScenarioRun(const Scenario& scenario, const Rules& rules = Rules::standard());
  // Also checks `extra` (user properties, policy/) after every step; it must
  // outlive the run.
  ScenarioRun(const Scenario& scenario, const Rules& rules, const std::vector<Property>* extra);

  bool finished() const { return next_ >= scenario_.steps.size(); }
  // Runs the next step and returns its report (also kept in reports()).
  const StepReport& step();
  // Runs every remaining step. Returns ok().
  bool run_all();

  const World& world() const { return world_; }
  const Scenario& scenario() const { return scenario_; }
  // The scenario's names plus the aliases its `as:` gave so far (reports print
  // them next to the IDs).
  const Names& names() const { return names_; }
  // The initial-state report (number 0) followed by one report per step run.
  const std::vector<StepReport>& reports() const { return reports_; }
  // The resolved calls applied so far, in order (for write_scenario).
  const std::vector<Call>& calls() const { return calls_; }
  bool ok() const;

  // The cover (`sometimes`) properties, built-in then `extra`'s, and the
  // first step whose state satisfied each (0: the initial state; nullopt:
  // none so far). A cover is not an invariant: reaching none is no failure.
  struct Cover {
    std::string property;
    std::optional<uint32_t> step;
  };
  const std::vector<Cover>& covers() const { return covers_; }

 private:
  std::optional<uint32_t> resolve(const RecordRef&, bool grant, std::string& why) const;
  void run_call(const Step&, StepReport&);
  void run_expect(const Step&, StepReport&);
  void check_expectation(const Expectation&, StepReport&) const;
  void check_invariants(const World* before, const Call*, const Outcome*, const Changes*, StepReport&);

  const Scenario& scenario_;
  Names names_;
  const std::vector<Property>* extra_ = nullptr;
  Rules rules_;  // a copy: 22 function pointers, and no lifetime to mind
  World world_;
  Changes changes_;
  size_t next_ = 0;
  std::unordered_map<std::string, uint32_t> licenses_;  // alias -> LicenseIx
  std::unordered_map<std::string, uint32_t> grants_;    // alias -> GrantIx
  std::vector<StepReport> reports_;
  std::vector<Call> calls_;
  std::vector<const Property*> cover_props_;
  std::vector<Cover> covers_;
};

// The call in the domain's words: "CreateGrant by 838202657455: license
// l-..., principal 776190005587, name \"Dist\"". With `world` the grant/license
// IDs are checked against it; without, they are printed from the indices.
std::string describe_call(const Call&, const Names&, const World* world = nullptr);
// "ok", "ok: created g-...", or "AccessDeniedException (reason-name): message".
std::string describe_outcome(const Outcome&, const Call&, const Names&);
// One line per changed (or created) grant, license, workload, account and
// organization setting, showing only what changed:
//   grant g-... (Dist, 838202657455 -> 776190005587): status PENDING_ACCEPT -> ACTIVE, version 1 -> 2
std::vector<std::string> change_lines(const World& after, const Changes&, const Names&);
std::string describe_changes(const World& after, const Changes&, const Names&);  // change_lines joined by '\n'
// One assertion as written: "grant dist for 776190005587 status ACTIVE".
std::string describe_expectation(const Expectation&, const Names&);
// A compact picture of the whole state (organization, licenses, grants,
// running workloads), for failure reports.
std::string describe_state(const World&, const Names&);

}  // namespace entmc
