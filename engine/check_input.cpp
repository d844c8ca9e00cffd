#include "engine/check_input.h"

#include <fmt/format.h>

#include "engine/bounds_yaml.h"
#include "scenario/aliases.h"
#include "scenario/scenario_run.h"
#include "scenario/scenario_writer.h"

namespace entmc::engine {
namespace {

CheckInput prepare(Scenario sc, const Rules& rules) {
  CheckInput in;
  in.scenario = std::move(sc);
  in.bounds = read_bounds(in.scenario);
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
