// Random runs applied to the simulator's incremental view agree with the
// World step by step: the simulator keeps its vital signs (grants per status,
// active entitlements, running workloads) up to date from each call's Changes
// (sim/tallies.h) and checks invariants on the touched records only
// (Property::check_local). After every step of every generated run, the
// incremental vitals equal a recount of the World, and every local check
// reports a violation exactly when the whole-state check does.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "proptest/generators.h"
#include "rc_check.h"
#include "sim/tallies.h"

namespace entmc::proptest {
namespace {

void agree_step_by_step(const proptest::Run& run) {
  ExecOptions opts;
  opts.check_properties = false;
  Executor ex(initial_setup(run), opts);
  sim::Tallies tallies(ex.world());
  for (size_t i = 0; i < run.steps.size(); ++i) {
    const StepRecord& r = ex.step(run.steps[i]);
    if (r.skipped || !r.outcome.ok()) continue;
    tallies.observe(ex.world(), ex.last_changes());
    RC_ASSERT(tallies.vitals() == sim::recount(ex.world()));
    for (const Property& p : all_properties()) {
      if (p.kind != PropertyKind::Always || !p.check_local) continue;
      const bool whole = p.check_state(ex.world(), ex.names()).has_value();
      const bool local = p.check_local(ex.world(), ex.last_changes(), ex.names()).has_value();
      if (whole != local)
        RC_FAIL(fmt::format("step {} ({}): {} whole-state says {}, local says {}", i + 1, to_string(r.call.op), p.name,
                            whole ? "violated" : "holds", local ? "violated" : "holds"));
    }
  }
}

TEST(SecondRepresentation, SimulatorTalliesAndLocalChecksAgreeStepByStep) {
  testing::rc_check([] { agree_step_by_step(*gen_run()); }, testing::scaled_runs(300), 0x5eed0004);
}

}  // namespace
}  // namespace entmc::proptest
