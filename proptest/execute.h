// Runs a Run through the model's apply() one step at a time, checking every
// invariant of properties/ after every step. Generation (gen_run) and every
// re-execution while shrinking use this same Executor, so a generated run and
// its replay can never disagree about what a step means.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/apply.h"
#include "properties/property.h"
#include "proptest/run.h"

namespace entmc::proptest {

// How the steps' symbolic references map to the world's indices.
struct Symbols {
  std::vector<uint32_t> created;  // per step: the license/grant it created or returned, else kNone
  std::vector<Ref> license_ref;   // per LicenseIx: how a step refers to it
  std::vector<Ref> grant_ref;     // per GrantIx: how a step refers to it (None: not referable)
};

struct StepRecord {
  Call call;  // as applied (references resolved)
  Outcome outcome;
  bool skipped = false;  // a reference did not resolve (its creating step was removed or failed)
};

inline constexpr size_t kSetupStep = SIZE_MAX;  // a violation in the initial world

struct Found {
  size_t step = kSetupStep;  // index into Run::steps
  Violation violation;
};

// Which operations succeeded and which grant statuses some grant was in.
// And which cover (`sometimes`) properties some state satisfied.
struct Reached {
  uint32_t ops = 0;       // bit per Op
  uint16_t statuses = 0;  // bit per GrantStatus
  std::vector<uint8_t> covers;  // per cover_properties() entry: 1 when some state satisfied it
  void merge(const Reached& o) {
    ops |= o.ops;
    statuses |= o.statuses;
    if (covers.size() < o.covers.size()) covers.resize(o.covers.size(), 0);
    for (size_t i = 0; i < o.covers.size(); ++i) covers[i] |= o.covers[i];
  }
};

// The cover properties a run reports, in order: the built-in ones
// (properties/), then the user's `sometimes:` entries (Setup::extra).
std::vector<const Property*> cover_properties(const std::vector<Property>* extra);

struct ExecOptions {
  const Rules* rules = &Rules::standard();
  bool check_properties = true;
  bool stop_at_violation = true;
};

class Executor {
 public:
  Executor(const WorldSpec&, size_t token_count, ExecOptions = {});
  // Continue from an existing setup (a scenario file's world).
  Executor(Setup, ExecOptions = {});

  // Applies `step` (the next step of the run); returns its record. After a
  // violation the executor keeps applying but records no further violation.
  const StepRecord& step(const Step&);

  const World& world() const { return setup_.world; }
  const Names& names() const { return setup_.names; }
  const Symbols& symbols() const { return symbols_; }
  const std::vector<StepRecord>& records() const { return records_; }
  const std::optional<Found>& found() const { return found_; }
  const Reached& reached() const { return reached_; }
  // What the last applied step changed (before-images), for differential
  // checks against other state representations.
  const Changes& last_changes() const { return changes_; }
  Setup& setup() { return setup_; }

 private:
  void check_initial();
  bool resolve(const Step&, Call&);
  void record_symbols(const Step&, const Outcome&, const Changes&);
  void note_reached(const Call&, const Outcome&, const Changes&);
  void note_covers();  // the covers not yet satisfied, on the current state

  Setup setup_;
  ExecOptions opts_;
  Symbols symbols_;
  std::vector<StepRecord> records_;
  std::optional<Found> found_;
  Reached reached_;
  std::vector<const Property*> covers_;
  World before_;
  Changes changes_;
  std::vector<Violation> scratch_;
};

// Distinct ClientTokens a run uses (the World's token table size).
size_t token_count(const Run&);

// The world a run starts from: build_world(run.world), or a copy of run.base
// with the run's ClientTokens interned (in order of first use) and given
// slots, so that the scenario writer can express it exactly.
Setup initial_setup(const Run&);

struct Execution {
  std::vector<StepRecord> records;
  std::optional<Found> found;
  Reached reached;
  uint64_t digest = 0;  // World::digest() of the final state
};

Execution execute(const Run&, const ExecOptions& = {});

// The string a step's name/reason/token number stands for.
std::string generated_name(uint8_t k);
std::string generated_reason(uint8_t k);
std::string generated_token(uint8_t k);

}  // namespace entmc::proptest
