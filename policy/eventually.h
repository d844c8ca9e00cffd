// `eventually_possible:` user properties on `entmc graph`'s bounded state
// graph (engine/state_graph.h): from every reachable state, some sequence of
// calls reaches a state where the predicate holds (AG EF), decided by a
// backward search from the states where it holds. A state beyond the bounds'
// caps (not expanded) counts as one that may still reach it, so a failure is
// never an artefact of the bounds; the failing state reported is the nearest
// to the start, with the calls that lead to it.
#pragma once

#include <vector>

#include "engine/state_graph.h"
#include "policy/user_properties.h"

namespace entmc::policy {

std::vector<engine::GraphCheck> check_eventually(const engine::StateGraph&, const World& start, const Names&,
                                                 const UserProperties&);

}  // namespace entmc::policy
