#include "sim/checker.h"

#include <bit>
#include <stdexcept>
#include <string>

namespace entmc::sim {

InvariantChecker::InvariantChecker(const std::vector<Property>& properties) {
  for (const Property& p : properties) {
    if (p.kind == PropertyKind::Always) {
      if (p.check_state) always_.push_back(&p);
      if (p.check_local)
        local_.push_back(&p);
      else
        state_only_.push_back(&p);
    } else if (p.kind == PropertyKind::Transition && p.check_transition) {
      transition_.push_back(&p);
    } else if (p.kind == PropertyKind::Sometimes && p.check_state) {
      covers_.push_back(&p);
    }
  }
  if (transition_.size() > 32)
    throw std::logic_error("InvariantChecker tables at most 32 transition properties, not " +
                           std::to_string(transition_.size()));
  for (unsigned changed = 0; changed <= kEveryChange; ++changed) {
    if (changed != 0)  // an unchanged state breaks no state invariant
      for (const Property* p : local_)
        if (may_break(*p, uint8_t(changed))) local_by_change_[changed].push_back(p);
    for (size_t i = 0; i < transition_.size(); ++i)
      if (may_break(*transition_[i], uint8_t(changed))) transition_by_change_[changed] |= uint32_t(1) << i;
  }
  for (int op = 0; op < kOpCount; ++op)
    for (int ok = 0; ok < 2; ++ok)
      for (size_t i = 0; i < transition_.size(); ++i)
        if (may_judge(*transition_[i], Op(op), ok != 0)) transition_by_call_[op][ok] |= uint32_t(1) << i;
}

std::optional<Violation> InvariantChecker::after_event(const World& after, const Call& call, const Outcome& outcome,
                                                       const Changes& changes, const Names& names) const {
  // Only the properties the change can break (Property::breaks_on): a launch
  // or a stop, half the events, changes a workload count alone, which no
  // state invariant reads.
  const uint8_t changed = changes.kinds(after);
  const std::vector<const Property*>& local = local_by_change_[changed];
  if (!local.empty()) {
    const LocalCheckScope shared;  // one reading of the touched records for all local checks
    for (const Property* p : local)
      if (auto why = p->check_local(after, changes, names)) return Violation{std::string(p->name), std::move(*why)};
  }
  // Only the transition checks that judge this call (Property::judges_ops,
  // judges_outcome): the launch checks hold on a grant call, the failed-call
  // check on a successful one.
  uint32_t run = transition_by_change_[changed];
  if (static_cast<size_t>(call.op) < transition_by_call_.size())
    run &= transition_by_call_[static_cast<size_t>(call.op)][outcome.ok() ? 1 : 0];
  if (run == 0) return std::nullopt;
  const Transition t{nullptr, after, call, outcome, changes};
  const TransitionCheckScope shared_before(t);  // one index of the before-images for all transition checks
  for (; run != 0; run &= run - 1) {
    const Property* p = transition_[size_t(std::countr_zero(run))];
    if (auto why = p->check_transition(t, names)) return Violation{std::string(p->name), std::move(*why)};
  }
  return std::nullopt;
}

std::optional<Violation> InvariantChecker::full(const World& w, const Names& names) const {
  for (const Property* p : always_)
    if (auto why = p->check_state(w, names)) return Violation{std::string(p->name), std::move(*why)};
  return std::nullopt;
}

}  // namespace entmc::sim
