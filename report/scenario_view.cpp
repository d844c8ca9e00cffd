#include "report/scenario_view.h"

#include "scenario/scenario.h"
#include "scenario/scenario_run.h"

namespace entmc::report {

HtmlFailure failure_from_scenario(const std::string& path, const Rules& rules) {
  const Scenario sc = parse_scenario_file(path);
  ScenarioRun run(sc, rules);
  TraceView view = start_view(run.names(), run.world());
  HtmlFailure f;
  f.scenario = path;
  while (!run.finished()) {
    const World before = run.world();
    const StepReport& r = run.step();
    if (r.applied) add_step(view, run.names(), before, r.call, r.outcome, r.changes, run.world());
    else add_check_step(view, run.names(), r.call_text, r.ok(), run.world());
    view.steps.back().number = r.number;
    if (!r.ok() && f.property.empty()) {
      const StepFailure& sf = r.failures.front();
      f.property = sf.what;
      f.detail = sf.detail;
      f.step = r.number;
      view.steps.back().failing = true;
      for (const Property& p : all_properties())
        if (p.name == sf.what) {
          f.statement = std::string(p.statement);
          f.seed = std::string(p.seed);
        }
    }
  }
  f.trace = std::move(view);
  return f;
}

}  // namespace entmc::report
