#include "proptest/round_trip.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "scenario/scenario.h"
#include "scenario/scenario_run.h"
#include "scenario/scenario_writer.h"

namespace entmc::proptest {
namespace {

struct Written {
  std::string text;
  Execution exec;
};

Written write(const Run& run, const Rules& rules, const std::string& name, const std::string& description,
              const std::string& comment) {
  // The initial world and the calls as the run applied them.
  Setup initial = initial_setup(run);
  ExecOptions opts;
  opts.rules = &rules;
  opts.stop_at_violation = false;
  Executor ex(initial, opts);
  std::vector<Call> calls;
  for (const Step& s : run.steps) {
    const StepRecord& r = ex.step(s);
    if (!r.skipped) calls.push_back(r.call);
  }
  ScenarioText text;
  text.name = name;
  text.description = description;
  text.final_comment = comment;
  Written out;
  // ex.names() holds every string and token the calls interned.
  out.text = write_scenario(ex.names(), initial.world, calls, text, rules);
  out.exec.records = ex.records();
  out.exec.found = ex.found();
  out.exec.reached = ex.reached();
  out.exec.digest = ex.world().digest();
  return out;
}

}  // namespace

std::string scenario_text(const Run& run, const Rules& rules, const std::string& name,
                          const std::string& description, const std::string& comment) {
  return write(run, rules, name, description, comment).text;
}

std::optional<std::string> round_trip(const Run& run, const Rules& rules) {
  Written w = write(run, rules, "round trip", {}, {});
  Scenario sc;
  try {
    sc = parse_scenario_text(w.text, "round-trip.yaml");
  } catch (const std::exception& e) {
    return fmt::format("the written scenario does not parse: {}", e.what());
  }
  ScenarioRun replay(sc, rules);
  replay.run_all();
  if (replay.world().digest() != w.exec.digest)
    return fmt::format("replayed final state differs: digest {:016x}, run {:016x}", replay.world().digest(),
                       w.exec.digest);
  // The first step at which the replay reports invariant violations (number
  // 1-based; 0 = the initial state), and which.
  size_t replay_step = SIZE_MAX;
  std::vector<std::string> replay_names;
  for (const StepReport& r : replay.reports()) {
    for (const StepFailure& f : r.failures) {
      if (f.kind != StepFailure::Kind::Invariant)
        return fmt::format("replay step {}: {} {}: {}", r.number, to_string(f.kind), f.what, f.detail);
      if (replay_step == SIZE_MAX || replay_step == r.number) {
        replay_step = r.number;
        replay_names.push_back(f.what);
      }
    }
  }
  if (!w.exec.found) {
    if (replay_step != SIZE_MAX)
      return fmt::format("replay reports {} at step {}, the run no violation", replay_names.front(), replay_step);
    return std::nullopt;
  }
  // Step numbers of the written scenario count only the applied steps.
  size_t number = 0;
  if (w.exec.found->step != kSetupStep)
    for (size_t i = 0; i <= w.exec.found->step; ++i) number += w.exec.records[i].skipped ? 0 : 1;
  const std::string& property = w.exec.found->violation.property;
  if (replay_step != number || std::find(replay_names.begin(), replay_names.end(), property) == replay_names.end())
    return fmt::format("the run violates {} at step {}, the replay reports {}", property, number,
                       replay_step == SIZE_MAX ? std::string("no violation")
                                               : fmt::format("{} at step {}", fmt::join(replay_names, ", "),
                                                             replay_step));
  return std::nullopt;
}

}  // namespace entmc::proptest
