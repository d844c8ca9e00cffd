// Properties: named predicates over a state or over a transition, checked by
// replay, the explorer, random testing and the simulator alike.
//
//   always      a state invariant: holds in every reachable state
//   transition  a transition invariant: holds for every (before, call, after)
//   sometimes   a cover property: some reachable state satisfies it (an example
//               is reported; a miss is flagged, never a failure of `check`)
//
// A few invariants constrain both states and transitions (e.g. home-region-only:
// every license is in us-east-1, and every successful License Manager call was
// made there). They appear twice in all_properties(), under one name: an Always
// entry and a Transition entry. Each entry has exactly the checks of its kind,
// so a checker that dispatches on the kind runs both halves.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/call.h"
#include "model/errors.h"
#include "model/names.h"
#include "model/world.h"

namespace entmc {

enum class PropertyKind { Always, Transition, Sometimes };
std::string_view to_string(PropertyKind);

// One applied call. `before` is the whole previous state where the checker has
// it (replay, explorer, random testing); the simulator passes nullptr and the
// property works from `changes` (before-images of what the call modified).
// `before` may point to `after` itself: the checker (the explorer, for the
// many calls that fail) established that the call changed nothing, with the
// same World equality and Changes::empty the properties would use, so a
// property may skip diffing the two; its verdict must be the one it gives for
// two equal Worlds.
struct Transition {
  const World* before;
  const World& after;
  const Call& call;
  const Outcome& outcome;
  const Changes& changes;
};

// A failed check: which property, and what is wrong, in the domain's words.
struct Violation {
  std::string property;
  std::string detail;
};

// Property::breaks_on for a Transition property that judges the call itself
// (beside the ChangeKind bits).
inline constexpr uint8_t kJudgesCall = 1 << 7;

// Property::judges_ops: a set of operations, one bit per Op.
static_assert(kOpCount <= 32);
constexpr uint32_t op_bit(Op op) { return uint32_t(1) << static_cast<unsigned>(op); }
inline constexpr uint32_t kEveryOp = (uint64_t(1) << kOpCount) - 1;
// Property::judges_outcome: calls that succeeded, failed, or both.
enum CallOutcome : uint8_t { kSucceeded = 1, kFailed = 2, kEitherOutcome = kSucceeded | kFailed };

// A property's check: a plain function (the built-in properties), or a
// function with a context pointer (user properties compiled from a scenario's
// `properties:` section, policy/). Tested and called like a function pointer;
// a built-in pays one well-predicted branch.
template <typename R, typename... A>
class CheckFn {
 public:
  using Plain = R (*)(A...);
  using Bound = R (*)(const void*, A...);
  constexpr CheckFn() = default;
  constexpr CheckFn(std::nullptr_t) {}
  constexpr CheckFn(Plain f) : plain_(f) {}
  constexpr CheckFn(Bound f, const void* context) : bound_(f), context_(context) {}
  explicit constexpr operator bool() const { return plain_ != nullptr || bound_ != nullptr; }
  R operator()(A... a) const { return bound_ ? bound_(context_, a...) : plain_(a...); }
  friend constexpr bool operator==(const CheckFn& f, std::nullptr_t) { return !f; }

 private:
  Plain plain_ = nullptr;
  Bound bound_ = nullptr;
  const void* context_ = nullptr;
};

struct Property {
  std::string_view name;       // stable identifier, e.g. "terminal-grant-states"
  std::string_view statement;  // one line
  std::string_view seed;       // the seed section it comes from
  PropertyKind kind;
  // Always / Sometimes: nullopt when the state satisfies the property (for
  // Sometimes: when it is an example), else what is wrong (for Sometimes an
  // empty string: the statement says what is missing).
  CheckFn<std::optional<std::string>, const World&, const Names&> check_state = nullptr;
  // Always only, optional: the same check restricted to what `changes`
  // touched, for the simulator after each event and the explorer on each new
  // state (cost proportional to the change). When absent, checkers fall back
  // to check_state.
  CheckFn<std::optional<std::string>, const World&, const Changes&, const Names&> check_local = nullptr;
  // Transition only.
  CheckFn<std::optional<std::string>, const Transition&, const Names&> check_transition = nullptr;
  // Transition only: the property holds on every transition of a call that
  // failed and changed nothing (after equal to before, an empty change log),
  // so a checker that established that may skip it (the explorer does: most
  // of the calls it tries fail). A property that judges failed calls for
  // their outcome leaves it false. properties_tests checks the claim on every
  // such transition of its random call sequences.
  bool holds_on_failed_noop = false;
  // The kinds of change (ChangeKind) that can break the property: a checker
  // may skip it after a call whose change log holds none of them (the
  // simulator does: half its events only start or stop a workload). For an
  // Always property, the kinds of record its predicate reads: a call that
  // changed none of them leaves its verdict as it was, and the checker knows
  // the property held before. For grants the kind is finer: a predicate that
  // reads only what identifies a grant (Grant::same_identity) lists
  // kGrantCreated alone, and is skipped after the status changes that are
  // most grant calls (kGrantStatusChange). For a Transition property, the kinds of change
  // without which it holds whatever the call and its outcome; one that judges
  // the call itself (a successful launch, the region of a call) also needs
  // kJudgesCall, which every call has. The default skips nothing.
  // local_agreement_test checks each claim on random call sequences, under
  // the standard rules and under planted bugs.
  uint8_t breaks_on = kEveryChange | kJudgesCall;
  // Transition only: the calls it can judge, by operation and outcome. On any
  // other call it holds whatever the call changed, and a checker may skip it
  // (the simulator does: the launch checks after a grant call, the failed-call
  // check after a successful one). local_agreement_test checks the claim like
  // breaks_on's. The default: every call.
  uint32_t judges_ops = kEveryOp;
  uint8_t judges_outcome = kEitherOutcome;
};

// May `p` break on a call whose change log holds `changed` (ChangeKind bits)?
inline bool may_break(const Property& p, uint8_t changed) {
  return (p.breaks_on & (p.kind == PropertyKind::Transition ? changed | kJudgesCall : changed)) != 0;
}

// May Transition property `p` judge a call of `op` that succeeded (`ok`) or failed?
inline bool may_judge(const Property& p, Op op, bool ok) {
  return (p.judges_ops & op_bit(op)) != 0 && (p.judges_outcome & (ok ? kSucceeded : kFailed)) != 0;
}

// Every property, in a fixed order.
const std::vector<Property>& all_properties();
// The first entry with this name (the Always one where there are two).
const Property* find_property(std::string_view name);
const Property* find_property(std::string_view name, PropertyKind kind);

// While one is alive on a thread, the local checks (check_local) share one
// reading of what a call's Changes touched instead of each re-reading it: the
// simulator runs every local check on the same (World, Changes) after every
// event. The World and Changes passed to check_local must not change while it
// lives; checks of another (World, Changes) recompute as usual.
class LocalCheckScope {
 public:
  LocalCheckScope();
  ~LocalCheckScope();
  LocalCheckScope(const LocalCheckScope&) = delete;
  LocalCheckScope& operator=(const LocalCheckScope&) = delete;
};

// While one is alive on a thread, the transition checks of `t`
// (check_transition) share one index of its before-images (the first entry
// per record of the change log) instead of each building its own: the
// simulator runs every transition check on the same Transition after every
// event. `t` must outlive the scope and not change while it lives; one scope
// at a time per thread.
class TransitionCheckScope {
 public:
  explicit TransitionCheckScope(const Transition& t);
  ~TransitionCheckScope();
  TransitionCheckScope(const TransitionCheckScope&) = delete;
  TransitionCheckScope& operator=(const TransitionCheckScope&) = delete;
};

// Convenience: check every Always property on a state / every Transition
// property on a transition, appending violations.
void check_state(const World&, const Names&, std::vector<Violation>& out);
void check_transition(const Transition&, const Names&, std::vector<Violation>& out);
// Every Always property on what `changes` touched (check_local, or
// check_state where a property has none). Assumes the state before the call
// satisfied them, as a checker that checks every step guarantees.
void check_local(const World&, const Changes&, const Names&, std::vector<Violation>& out);

}  // namespace entmc
