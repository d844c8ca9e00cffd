// The simulation loop: build the organization, apply the setup calls, then
// draw and apply events with apply() (model/apply.h, the one semantics),
// counting outcomes, updating the vitals from each event's Changes, and
// checking the invariants incrementally after every event.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "model/apply.h"
#include "properties/property.h"
#include "sim/checker.h"
#include "sim/config.h"
#include "sim/generator.h"
#include "sim/organization.h"
#include "sim/tallies.h"

namespace entmc::sim {

struct RunOptions {
  uint64_t events = 0;            // drawn events to run (after setup)
  uint64_t full_check_every = 0;  // 0: never
  uint64_t sample_every = 0;      // time-series period in events; 0: no samples
  bool check = true;              // incremental invariant checks after every event
  std::vector<Call>* record = nullptr;  // when set, receives every applied call, setup first
  // Called about every 65536 events and at the end, with the events done so far.
  std::function<void(uint64_t done, double seconds)> progress;
};

// One point of the time series.
struct Sample {
  uint64_t event = 0;
  double seconds = 0;
  std::array<int64_t, kGrantStatusCount> grants_by_status{};
  int64_t active_entitlements = 0;
  int64_t running_workloads = 0;
};

struct RunResult {
  uint64_t setup_calls = 0;
  uint64_t events = 0;  // drawn events applied (the violating one included)
  double setup_seconds = 0;
  double seconds = 0;   // the events alone (wall clock)
  double cpu_seconds = 0;  // the events alone, CPU time of this process (the machine may be shared)
  // The system part of cpu_seconds (the covers' time is left out of the user
  // part) and the page faults of the events: first-touched memory, which on
  // a virtual machine can cost the host's work as well (docs/simulator.md).
  double system_seconds = 0;
  uint64_t page_faults = 0;
  std::optional<Violation> violation;
  bool stopped = false;  // a stop request (signal, --time-limit) ended the run early (util/stop_request.h)
  bool violation_in_full_check = false;
  uint64_t digest = 0;  // World::digest() at the end
  std::vector<Sample> samples;
  // Per checker().covers() entry: the event at whose sample (or at the end)
  // a state first satisfied the cover; kNotReached when none did. Covers are
  // evaluated on the whole state at every sample and at the end, not after
  // every event: a state between two samples is not seen. Their time is
  // left out of `seconds` and `cpu_seconds` (it is `cover_seconds`).
  static constexpr uint64_t kNotReached = UINT64_MAX;
  std::vector<uint64_t> cover_reached_at;
  double cover_seconds = 0;
  double events_per_second() const { return seconds > 0 ? double(events) / seconds : 0; }
  double events_per_cpu_second() const { return cpu_seconds > 0 ? double(events) / cpu_seconds : 0; }
};

class Simulation {
 public:
  Simulation(const SimConfig&, const std::vector<Property>&, const Rules& = Rules::standard());

  // Setup (once), then `events` events. Stops at the first violation.
  RunResult run(const RunOptions&);

  // The same in pieces, for the benchmarks: setup() once, then step() per
  // event (false on a violation, kept in last_violation()).
  void setup(bool check = true, std::vector<Call>* record = nullptr, uint64_t expected_events = 0);
  bool step(bool check = true, std::vector<Call>* record = nullptr);
  const std::optional<Violation>& last_violation() const { return violation_; }
  uint64_t setup_calls() const { return setup_calls_; }

  const World& world() const { return org_.world; }
  const Names& names() const { return org_.names; }
  const Tallies& tallies() const { return *tallies_; }
  const InvariantChecker& checker() const { return checker_; }
  const InitialOrg& org() const { return org_; }

 private:
  void prefetch_ahead(const World&);

  const SimConfig& config_;
  const Rules& rules_;
  InitialOrg org_;
  InvariantChecker checker_;
  std::optional<EventGenerator> gen_;
  std::optional<Tallies> tallies_;
  Changes changes_;
  std::optional<Violation> violation_;
  uint64_t setup_calls_ = 0;
  // prefetch_ahead's look two events ahead, kept for the next event's look
  // one ahead (the same event), and that event's number.
  EventGenerator::NextCaller two_ahead_;
  uint64_t two_ahead_event_ = ~uint64_t(0);
};

}  // namespace entmc::sim
