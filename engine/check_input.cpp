#include "engine/check_input.h"

#include <fmt/format.h>

#include "engine/bounds_yaml.h"
#include "scenario/aliases.h"
#include "scenario/scenario_run.h"
#include "scenario/scenario_writer.h"

namespace entmc::engine {
namespace {

// A bounded space needs a cap: without one the explorer would run until the
// memory limit (or the kernel) stops it. Refused before the run, with the fix.
void require_caps(const Scenario& sc, const Bounds& b) {
  // Nothing in the file is silently ignored: a simulation: section belongs to entmc simulate.
  if (sc.root.IsMap() && sc.root["simulation"])
    throw ScenarioError(sc.file, mark_of(sc.root["simulation"]),
                        "a simulation: section is not read by entmc check or graph (they explore the bounds: "
                        "section); remove it, or run it with entmc simulate");
  const bool has_section = sc.root.IsMap() && sc.root["bounds"] && !sc.root["bounds"].IsNull();
  if (!has_section)
    throw ScenarioError(sc.file, SourceMark{1, 1},
                        "no bounds: section; entmc check and graph explore within bounds: add one with at least "
                        "max_depth or the caps max_licenses, max_grants, max_running, max_grant_version "
                        "(docs/explorer.md)");
  if (!b.max_depth && !b.max_licenses && !b.max_grants && !b.max_running && !b.max_grant_version) {
    throw ScenarioError(sc.file, mark_of(sc.root["bounds"]),
                        "bounds: has no cap, so the space is unbounded: give max_depth or at least one of "
                        "max_licenses, max_grants, max_running, max_grant_version (docs/explorer.md)");
  }
}

CheckInput prepare(Scenario sc, const Rules& rules) {
  CheckInput in;
  in.scenario = std::move(sc);
  in.bounds = read_bounds(in.scenario);
  require_caps(in.scenario, in.bounds);
  ScenarioRun run(in.scenario, rules);
  run.run_all();
  for (const StepReport& r : run.reports()) {
    if (r.ok()) continue;
    const StepFailure& f = r.failures.front();
    throw ScenarioError(in.scenario.file, r.mark.line ? r.mark : SourceMark{1, 1},
                        fmt::format("the steps before the exploration must hold: {} {}: {}", to_string(f.kind), f.what,
                                    f.detail));
  }
  in.scenario.names = run.names();  // with the aliases the steps' `as:` gave
  in.start = run.world();
  in.prefix = run.calls();
  return in;
}

}  // namespace

CheckInput load_check_input(const std::string& file, const Rules& rules) {
  return prepare(parse_scenario_file(file), rules);
}

CheckInput load_check_text(std::string_view text, const std::string& filename, const Rules& rules) {
  return prepare(parse_scenario_text(text, filename), rules);
}

Names trace_names(const CheckInput& in, const Trace& t) {
  Names n = in.scenario.names;
  const World* before = &t.start;
  for (const TraceStep& s : t.steps) {
    name_created(n, s.call, s.outcome, before->licenses.size(), before->grants.size());
    before = &s.after;
  }
  return n;
}

std::string trace_scenario(const CheckInput& in, const ViolationReport& v, const Rules& rules) {
  std::vector<Call> calls = in.prefix;
  for (const TraceStep& s : v.trace.steps) calls.push_back(s.call);
  ScenarioText text;
  text.name = in.scenario.name + " counterexample " + v.property;
  text.description = fmt::format(
      "Written by entmc check from {}: a shortest run ({} calls after the model's {} steps) into a violation of "
      "{}. entmc replay reproduces it.",
      in.scenario.file, v.trace.steps.size(), in.prefix.size(), v.property);
  text.final_comment = fmt::format("violates {}: {}", v.property, v.detail);
  return write_scenario(in.scenario.names, in.scenario.initial, calls, text, rules);
}

}  // namespace entmc::engine
