// A fuzzing session: generate runs from explicit seeds, check every property
// on each, and on the first failure shrink it to a minimal run that fails the
// same way. `entmc fuzz` and the planted-bug tests both drive this.
//
// Run i of a session with seed S is generated from rc::Random(S + i) alone,
// so `--seed S+i --runs 1` reproduces that run exactly.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>

#include "proptest/execute.h"
#include "proptest/generators.h"
#include "proptest/shrink.h"

namespace entmc::proptest {

struct FuzzOptions {
  size_t runs = 100;
  uint64_t seed = 1;
  Bounds bounds;
  const Rules* rules = &Rules::standard();
  std::shared_ptr<const Setup> base;  // a fixed world (entmc fuzz FILE), else generated
  bool round_trip = true;             // write/parse/replay every run through the scenario format
  size_t shrink_budget = 4000;
  std::function<void(size_t done, size_t total)> progress;  // after every run
};

struct FuzzFailure {
  size_t run_index = 0;
  uint64_t run_seed = 0;
  Run original;
  Found found;  // what the original run violated
  Run shrunk;
  Found shrunk_found;
  ShrinkStats stats;
};

struct FuzzReport {
  size_t runs = 0;   // runs checked
  size_t steps = 0;  // steps applied
  size_t failed_calls = 0;
  std::array<size_t, kOpCount> op_runs{};              // runs in which the operation succeeded at least once
  std::array<size_t, kOpCount> op_calls{};             // calls generated per operation
  std::array<size_t, kGrantStatusCount> status_runs{};  // runs in which some grant reached the status
  std::vector<std::string> cover_names;                  // cover_properties(), built-in then the user's
  std::vector<size_t> cover_runs;                        // per cover: runs in which some state satisfied it
  std::optional<FuzzFailure> failure;
  bool stopped = false;  // a stop request (signal, --time-limit) ended the session early
};

// The run that session seed `seed`'s run `index` checks.
uint64_t run_seed(uint64_t seed, size_t index);
Run generate_run(const FuzzOptions&, uint64_t run_seed);

// Every property of one run: the invariants after every step, failed calls
// change nothing, and (when enabled) the scenario round trip. nullopt when
// all hold.
std::optional<Found> check_run(const Run&, const Rules&, bool round_trip, Execution* exec = nullptr);

// Shrinks a run that failed with `found` to a minimal run failing with the
// same property (the round-trip property is re-checked only when it is the
// one that failed).
FuzzFailure shrink_failure(const Run&, const Found&, const Rules&, size_t budget = 4000);

FuzzReport fuzz(const FuzzOptions&);

// The grant statuses the seeds document (and coverage must reach).
inline constexpr std::array<GrantStatus, 6> kDocumentedStatuses{
    GrantStatus::PENDING_ACCEPT, GrantStatus::DISABLED, GrantStatus::ACTIVE,
    GrantStatus::REJECTED,       GrantStatus::DELETED,  GrantStatus::WORKFLOW_COMPLETED};

}  // namespace entmc::proptest
