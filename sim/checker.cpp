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
}

std::optional<Violation> InvariantChecker::after_event(const World& after, const Call& call, const Outcome& outcome,
                                                       const Changes& changes, const Names& names) const {
  // An unchanged state cannot break a state invariant that held before it.
  if (!changes.empty(after)) {
    const LocalCheckScope shared;  // one reading of the touched records for all local checks
    for (const Property* p : local_)
      if (auto why = p->check_local(after, changes, names)) return Violation{std::string(p->name), std::move(*why)};
  }
  const Transition t{nullptr, after, call, outcome, changes};
  for (const Property* p : transition_)
    if (auto why = p->check_transition(t, names)) return Violation{std::string(p->name), std::move(*why)};
  return std::nullopt;
}

std::optional<Violation> InvariantChecker::full(const World& w, const Names& names) const {
  for (const Property* p : always_)
    if (auto why = p->check_state(w, names)) return Violation{std::string(p->name), std::move(*why)};
  return std::nullopt;
}

}  // namespace entmc::sim
