#include "sim/failure.h"

#include <fmt/format.h>

#include <fstream>
#include <stdexcept>

#include "scenario/scenario_writer.h"
#include "util/atomic_file.h"

namespace entmc::sim {
namespace {

void write_file(const std::string& path, const std::string& text) {
  const std::string why = util::write_file_atomic(path, text);
  if (!why.empty()) throw std::runtime_error(why);
}

}  // namespace

FailureFiles write_failure(const SimConfig& config, const std::vector<Property>& properties, const Rules& rules,
                           const RunResult& result, const std::string& prefix, const ShrinkInput& limits,
                           const std::function<std::string(const std::string&)>& finish) {
  FailureFiles f;
  auto complete = [&](std::string text) { return finish ? finish(text) : text; };
  // 1. The same run again, recording its calls, up to the violating event.
  std::vector<Call> calls;
  const InitialOrg initial = build_initial_org(config);
  {
    Simulation again(config, properties, rules);
    RunOptions opt;
    opt.events = result.events;
    opt.full_check_every = config.full_check_every;
    opt.record = &calls;
    const RunResult r2 = again.run(opt);
    if (!r2.violation || r2.violation->property != result.violation->property)
      throw std::logic_error("the simulation did not repeat its violation: it is not deterministic");
  }
  f.full_steps = calls.size();
  f.full_path = prefix + ".full.yaml";
  ScenarioText text;
  text.name = fmt::format("{}-violation", config.name);
  text.description = fmt::format("entmc simulate {} --seed {}: the run up to the violation of {}", config.path,
                                 config.seed, result.violation->property);
  text.final_comment = fmt::format("violates {}: {}", result.violation->property, result.violation->detail);
  write_file(f.full_path, complete(write_scenario(initial.names, initial.world, calls, text, rules)));

  // 2. Shrink and write.
  InvariantChecker checker(properties);
  ShrinkInput in = limits;
  in.initial = &initial.world;
  in.names = &initial.names;
  in.checker = &checker;
  in.rules = &rules;
  in.property = result.violation->property;
  in.full_check = result.violation_in_full_check;
  ShrinkResult s = shrink(calls, in);
  f.shrunk_steps = s.calls.size();
  f.shrunk_accounts = s.initial.accounts.size();
  f.shrink_tests = s.tests;
  f.budget_exhausted = s.budget_exhausted;
  f.shrunk_detail = s.detail;
  f.shrunk_path = prefix + ".yaml";
  text.name = fmt::format("{}-violation-shrunk", config.name);
  text.description = fmt::format("entmc simulate {} --seed {}: {} events shrunk to {} steps that still violate {}",
                                 config.path, config.seed, calls.size(), s.calls.size(), result.violation->property);
  text.final_comment = fmt::format("violates {}: {}", result.violation->property, s.detail);
  write_file(f.shrunk_path, complete(write_scenario(s.names, s.initial, s.calls, text, rules)));
  return f;
}

}  // namespace entmc::sim
