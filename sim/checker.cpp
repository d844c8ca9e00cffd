#include "sim/checker.h"

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
    }
  }
  for (unsigned changed = 0; changed <= kEveryChange; ++changed) {
    Dispatch& d = dispatch_[changed];
    if (changed != 0)  // an unchanged state breaks no state invariant
      for (const Property* p : local_)
        if (may_break(*p, uint8_t(changed))) d.local.push_back(p);
    for (const Property* p : transition_)
      if (may_break(*p, uint8_t(changed))) d.transition.push_back(p);
  }
}

std::optional<Violation> InvariantChecker::after_event(const World& after, const Call& call, const Outcome& outcome,
                                                       const Changes& changes, const Names& names) const {
  // Only the properties the change can break (Property::breaks_on): a launch
  // or a stop, half the events, changes a workload count alone, which no
  // state invariant reads.
  const Dispatch& d = dispatch_[changes.kinds(after)];
  if (!d.local.empty()) {
    const LocalCheckScope shared;  // one reading of the touched records for all local checks
    for (const Property* p : d.local)
      if (auto why = p->check_local(after, changes, names)) return Violation{std::string(p->name), std::move(*why)};
  }
  const Transition t{nullptr, after, call, outcome, changes};
  const TransitionCheckScope shared_before(t);  // one index of the before-images for all transition checks
  for (const Property* p : d.transition)
    if (auto why = p->check_transition(t, names)) return Violation{std::string(p->name), std::move(*why)};
  return std::nullopt;
}

std::optional<Violation> InvariantChecker::full(const World& w, const Names& names) const {
  for (const Property* p : always_)
    if (auto why = p->check_state(w, names)) return Violation{std::string(p->name), std::move(*why)};
  return std::nullopt;
}

}  // namespace entmc::sim
