// The reachable state graph of small bounds as a boost::adjacency_list, for
// `entmc graph`: Graphviz output and the 'can still happen' properties that
// invariants over one state or one transition cannot express. Built without
// symmetry reduction (so a grant index names the same grant along every path)
// and with whole states (no fingerprints).
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "engine/bounds.h"
#include "model/apply.h"
#include "model/names.h"

namespace entmc::engine {

struct GraphVertex {
  std::vector<uint8_t> packed;
  uint32_t depth = 0;
  bool expanded = false;             // false: beyond a cap or the depth bound
  bool has_successful_call = false;  // some call of the bounds succeeds here (self-loops included)
  int64_t parent = -1;               // BFS tree, for traces
  Call via{};
};
struct GraphEdge {
  Call call;
};
using StateGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, GraphVertex, GraphEdge>;

// Returns nullopt when the graph has more than max_states states.
std::optional<StateGraph> build_state_graph(const World& start, const Bounds&, const Rules&, size_t max_states);

struct GraphCheck {
  std::string name;
  std::string statement;
  bool holds = true;
  std::string detail;        // what fails, at the offending state
  std::vector<Call> trace;   // from the start state to the offending state
  size_t unexpanded_beyond = 0;  // states reachable from the offending one that a cap or the depth bound left unexpanded
};

struct GraphAnalysis {
  size_t states = 0, edges = 0, components = 0, bottom_components = 0;
  std::vector<GraphCheck> checks;
};

// pending-accept-resolvable, lost-entitlement-recoverable, no-trap-state
// (docs/explorer.md), using the strongly connected components.
GraphAnalysis analyse(const StateGraph&, const World& start, const Names&);

// Graphviz output (engine/state_graph_dot.cpp, boost::write_graphviz): a
// double-bordered START, dashed states beyond a cap or the depth bound, the
// highlighted path in red, and a legend. Each state's label names its
// licenses and grants by the aliases a counterexample file would give them
// (lic1, grant1: scenario/aliases.h), with who granted to whom, status and
// version.
struct DotOptions {
  std::vector<size_t> path;   // vertices to highlight, start first (path_vertices)
  std::vector<bool> include;  // empty: every vertex; else only these (trace_scope)
};
void write_dot(std::ostream&, const StateGraph&, const World& start, const Names&, const DotOptions& = {});
// The vertices a trace of calls visits from the start vertex (0).
std::vector<size_t> path_vertices(const StateGraph&, const std::vector<Call>& trace);
// The path and every state one call away from it (either direction).
std::vector<bool> trace_scope(const StateGraph&, const std::vector<size_t>& path);

}  // namespace entmc::engine
