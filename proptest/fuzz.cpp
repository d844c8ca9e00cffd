#include "proptest/fuzz.h"

#include "proptest/round_trip.h"
#include "util/stop_request.h"

namespace entmc::proptest {

uint64_t run_seed(uint64_t seed, size_t index) { return seed + index; }

Run generate_run(const FuzzOptions& o, uint64_t seed) {
  const rc::Random random(seed);
  auto gen = o.base ? gen_run_from(o.base, o.bounds, o.rules) : gen_run(o.bounds, o.rules);
  return gen(random, rc::kNominalSize).value();
}

std::optional<Found> check_run(const Run& run, const Rules& rules, bool with_round_trip, Execution* exec) {
  ExecOptions opts;
  opts.rules = &rules;
  Execution e = execute(run, opts);
  std::optional<Found> found = e.found;
  if (!found && with_round_trip)
    if (auto why = round_trip(run, rules))
      found = Found{run.steps.empty() ? kSetupStep : run.steps.size() - 1, Violation{kRoundTripProperty, *why}};
  if (exec) *exec = std::move(e);
  return found;
}

namespace {

void count(FuzzReport& r, const Run& run, const Execution& e) {
  ++r.runs;
  for (size_t i = 0; i < e.records.size(); ++i) {
    const StepRecord& rec = e.records[i];
    if (rec.skipped) continue;
    ++r.steps;
    ++r.op_calls[size_t(rec.call.op)];
    if (!rec.outcome.ok()) ++r.failed_calls;
  }
  (void)run;
  for (int op = 0; op < kOpCount; ++op)
    if (e.reached.ops & (1u << op)) ++r.op_runs[size_t(op)];
  for (int s = 0; s < kGrantStatusCount; ++s)
    if (e.reached.statuses & (1u << s)) ++r.status_runs[size_t(s)];
  for (size_t c = 0; c < e.reached.covers.size() && c < r.cover_runs.size(); ++c)
    if (e.reached.covers[c]) ++r.cover_runs[c];
}

}  // namespace

FuzzFailure shrink_failure(const Run& run, const Found& found, const Rules& rules, size_t budget) {
  FuzzFailure f;
  f.original = run;
  f.found = found;
  const std::string property = found.violation.property;
  const bool round = property == kRoundTripProperty;
  StillFails still = [&](const Run& r) {
    auto again = check_run(r, rules, round);
    return again && again->violation.property == property;
  };
  f.shrunk = shrink_run(truncate_after(run, found.step), still, rules, &f.stats, budget);
  f.shrunk_found = check_run(f.shrunk, rules, round).value_or(found);
  return f;
}

FuzzReport fuzz(const FuzzOptions& o) {
  FuzzReport report;
  for (const Property* p : cover_properties(o.base ? o.base->extra : nullptr)) report.cover_names.emplace_back(p->name);
  report.cover_runs.assign(report.cover_names.size(), 0);
  for (size_t i = 0; i < o.runs; ++i) {
    if (util::stop_requested()) {  // a signal or --time-limit: the runs so far stand
      report.stopped = true;
      break;
    }
    const uint64_t seed = run_seed(o.seed, i);
    Run run = generate_run(o, seed);
    Execution e;
    std::optional<Found> found = check_run(run, *o.rules, o.round_trip, &e);
    count(report, run, e);
    if (o.progress) o.progress(i + 1, o.runs);
    if (!found) continue;

    FuzzFailure f = shrink_failure(run, *found, *o.rules, o.shrink_budget);
    f.run_index = i;
    f.run_seed = seed;
    report.failure = std::move(f);
    break;
  }
  return report;
}

}  // namespace entmc::proptest
