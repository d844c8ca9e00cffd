// Invariant checks as the simulation goes (properties/property.h):
//  - after every event: check_local of every Always property on the event's
//    Changes, and check_transition of every Transition property with
//    before = nullptr (the simulator keeps no copy of the previous state);
//    both cost what the event touched;
//  - every K events, optionally: check_state of every Always property (a full
//    pass over the world).
// Always properties without check_local are left to the full checks (listed
// by state_only(), reported in the summary).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "properties/property.h"

namespace entmc::sim {

class InvariantChecker {
 public:
  explicit InvariantChecker(const std::vector<Property>& properties);

  // nullopt when every incremental check holds.
  std::optional<Violation> after_event(const World& after, const Call&, const Outcome&, const Changes&,
                                       const Names&) const;
  std::optional<Violation> full(const World&, const Names&) const;

  const std::vector<const Property*>& state_only() const { return state_only_; }
  // The cover (`sometimes`) properties: not checked after events (they are
  // not invariants); the simulation evaluates them on the whole state at
  // its samples (Simulation::run).
  const std::vector<const Property*>& covers() const { return covers_; }
  size_t local_count() const { return local_.size(); }
  size_t transition_count() const { return transition_.size(); }

 private:
  std::vector<const Property*> local_;
  std::vector<const Property*> transition_;
  // The checks to run after a call, tabled here once rather than asked per
  // property after every event, where the branches, taken differently from
  // one event to the next, mispredicted:
  //  - the local checks by the kinds of change in its log (may_break);
  //  - the transition checks as sets of transition_ indexes (bit i:
  //    transition_[i]), one by the kinds of change and one by the call's
  //    operation and outcome (may_judge); a check runs when both hold it.
  std::array<std::vector<const Property*>, kEveryChange + 1> local_by_change_;
  std::array<uint32_t, kEveryChange + 1> transition_by_change_{};
  std::array<std::array<uint32_t, 2>, kOpCount> transition_by_call_{};  // [op][succeeded]
  std::vector<const Property*> always_;
  std::vector<const Property*> state_only_;
  std::vector<const Property*> covers_;
};

}  // namespace entmc::sim
