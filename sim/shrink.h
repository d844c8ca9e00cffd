// Shrinking a violating run to a small scenario (delta debugging).
//
// The calls of a run name licenses and grants by index, and indices shift
// when earlier calls are removed. So the calls are first made symbolic: a
// license or grant becomes "what step k created" (an organization child:
// "the child of what step k created, received by account a"), and every
// candidate is replayed from the initial world, resolving the references as it
// goes; a step whose record no longer exists is dropped from that candidate.
// A candidate is kept when replaying it violates the same property.
//
// After the calls, the accounts are shrunk too: only the accounts the
// remaining calls name are kept (the organization grants then have fewer
// children), if the violation survives that. Removing accounts renumbers the
// rest, and a user property (policy/) holds the accounts it names by number
// once compiled: so the accounts such properties name are always kept, and
// the properties are compiled again for the smaller organization
// (ShrinkInput::checker_for) before the smaller run is judged. The kept
// accounts keep their IDs, so the written scenario names the same accounts.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/apply.h"
#include "model/names.h"
#include "sim/checker.h"

namespace entmc::sim {

struct SymbolicCall {
  Call call;
  uint32_t license_from = kNone;  // the step that created call.license (kNone: keep the index as is)
  uint32_t grant_from = kNone;    // the step that created call.grant, or its parent for a child
  AccountIx child_of = kNone;     // the grant is the child of grant_from's grant received by this account
};

struct ShrinkInput {
  const World* initial;
  const Names* names;
  const InvariantChecker* checker;
  const Rules* rules;
  std::string property;     // the property the shrunk run must still violate
  bool full_check = false;  // the violation was found by a full check: also check the full state at the end
  size_t max_tests = 4000;  // replay budget
  double max_seconds = 60;
  // Accounts the properties name (by ID): never removed.
  std::vector<AccountIx> keep_accounts;
  // When set, the checker for a world with fewer accounts (the properties
  // compiled again against its Names); null when that fails. When unset and
  // keep_accounts is empty, `checker` judges every organization.
  std::function<std::shared_ptr<const InvariantChecker>(const World&, const Names&)> checker_for;
};

struct ShrinkResult {
  World initial;             // possibly with fewer accounts
  Names names;               // matching `initial`
  std::vector<Call> calls;   // concrete calls, replayable from `initial`
  std::string detail;        // the violation's detail on the shrunk run
  size_t tests = 0;          // replays performed
  bool budget_exhausted = false;
};

std::vector<SymbolicCall> symbolize(const World& initial, const std::vector<Call>&, const Rules&);

// Replays `steps` from `initial`; returns whether `property` is violated, and
// (when `concrete`) the calls actually applied.
bool replay_violates(const World& initial, const Names&, const std::vector<SymbolicCall>& steps, const ShrinkInput&,
                     std::vector<Call>* concrete = nullptr, std::string* detail = nullptr);

ShrinkResult shrink(const std::vector<Call>& calls, const ShrinkInput&);

}  // namespace entmc::sim
