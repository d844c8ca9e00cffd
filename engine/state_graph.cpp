#include "engine/state_graph.h"

#include <algorithm>
#include <boost/graph/strong_components.hpp>
#include <cstring>
#include <deque>
#include <fmt/format.h>
#include <map>

#include "engine/state_codec.h"
#include "model/entitlement.h"

namespace entmc::engine {

namespace {
// Byte-wise order of packed states. std::less<std::vector<uint8_t>> makes GCC 12
// at -O3 report a false -Wstringop-overread in its inlined memcmp, which broke
// -Werror Release builds.
struct BytesLess {
  bool operator()(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) const {
    const size_t n = std::min(a.size(), b.size());
    if (const int c = n ? std::memcmp(a.data(), b.data(), n) : 0; c != 0) return c < 0;
    return a.size() < b.size();
  }
};
}  // namespace

std::optional<StateGraph> build_state_graph(const World& start, const Bounds& bounds, const Rules& rules,
                                            size_t max_states) {
  StateGraph g;
  std::map<std::vector<uint8_t>, size_t, BytesLess> index;
  std::vector<uint8_t> key;
  pack(start, key);
  const auto root = boost::add_vertex(g);
  g[root].packed = key;
  index.emplace(key, root);
  std::deque<size_t> queue{root};
  World w = start, after = start;
  std::vector<Call> calls;
  Changes ch;
  while (!queue.empty()) {
    const size_t v = queue.front();
    queue.pop_front();
    unpack(g[v].packed.data(), w);
    if (beyond_caps(w, bounds) || (bounds.max_depth && g[v].depth >= bounds.max_depth)) continue;
    g[v].expanded = true;
    calls.clear();
    enumerate_calls(w, bounds, calls);
    for (const Call& c : calls) {
      after = w;
      if (!apply(after, c, &ch, rules).ok()) continue;
      g[v].has_successful_call = true;
      if (after == w) continue;
      key.clear();
      pack(after, key);
      auto [it, inserted] = index.emplace(key, 0);
      if (inserted) {
        if (index.size() > max_states) return std::nullopt;
        it->second = boost::add_vertex(g);
        auto& nv = g[it->second];
        nv.packed = key;
        nv.depth = g[v].depth + 1;
        nv.parent = int64_t(v);
        nv.via = c;
        queue.push_back(it->second);
      }
      boost::add_edge(v, it->second, GraphEdge{c}, g);
    }
  }
  return g;
}

namespace {

std::vector<Call> trace_to(const StateGraph& g, size_t v) {
  std::vector<Call> calls;
  for (int64_t u = int64_t(v); g[size_t(u)].parent >= 0; u = g[size_t(u)].parent) calls.push_back(g[size_t(u)].via);
  return {calls.rbegin(), calls.rend()};
}

// Vertices that can reach a target (backward search over in-edges).
std::vector<bool> can_reach(const StateGraph& g, const std::vector<bool>& target) {
  std::vector<bool> seen = target;
  std::deque<size_t> q;
  for (size_t v = 0; v < target.size(); ++v)
    if (target[v]) q.push_back(v);
  while (!q.empty()) {
    const size_t v = q.front();
    q.pop_front();
    for (auto [e, end] = boost::in_edges(v, g); e != end; ++e) {
      const size_t u = boost::source(*e, g);
      if (!seen[u]) {
        seen[u] = true;
        q.push_back(u);
      }
    }
  }
  return seen;
}

// States reachable from v that were not expanded (beyond a cap or the depth
// bound): a 'can still happen' check that fails at v may fail only because
// the exploration stopped there.
size_t unexpanded_reachable(const StateGraph& g, size_t v) {
  std::vector<bool> seen(boost::num_vertices(g), false);
  std::deque<size_t> q{v};
  seen[v] = true;
  size_t n = 0;
  while (!q.empty()) {
    const size_t u = q.front();
    q.pop_front();
    n += !g[u].expanded;
    for (auto [e, end] = boost::out_edges(u, g); e != end; ++e)
      if (!seen[boost::target(*e, g)]) {
        seen[boost::target(*e, g)] = true;
        q.push_back(boost::target(*e, g));
      }
  }
  return n;
}

std::string cap_note(size_t unexpanded) {
  if (!unexpanded) return "";
  return fmt::format(" (but {} state{} reachable from here {} beyond a cap or the depth bound and not explored: the "
                     "failure may come from the bounds, not the rules; raise the caps to tell)",
                     unexpanded, unexpanded == 1 ? "" : "s", unexpanded == 1 ? "is" : "are");
}

}  // namespace

GraphAnalysis analyse(const StateGraph& g, const World& start, const Names& names) {
  GraphAnalysis a;
  const size_t n = boost::num_vertices(g);
  a.states = n;
  a.edges = boost::num_edges(g);
  std::vector<int> comp(n);
  a.components = size_t(boost::strong_components(g, boost::make_iterator_property_map(
                                                        comp.begin(), boost::get(boost::vertex_index, g))));
  // Bottom components: no edge leaves them. 'Can still happen' questions are
  // decided there: a state can reach a target iff ... some reachable bottom
  // component or an intermediate state holds one; we search backwards.
  std::vector<bool> leaves(a.components, false);
  for (auto [e, end] = boost::edges(g); e != end; ++e)
    if (comp[boost::source(*e, g)] != comp[boost::target(*e, g)]) leaves[size_t(comp[boost::source(*e, g)])] = true;
  for (bool l : leaves) a.bottom_components += l ? 0 : 1;

  std::vector<World> states(n, start);
  size_t max_grants = 0;
  for (size_t v = 0; v < n; ++v) {
    unpack(g[v].packed.data(), states[v]);
    max_grants = std::max(max_grants, states[v].grants.size());
  }

  GraphCheck pending{"pending-accept-resolvable",
                     "From every reachable state, a grant in PENDING_ACCEPT can still leave it (accepted or rejected).",
                     true, {}, {}};
  for (GrantIx gi = 0; gi < max_grants && pending.holds; ++gi) {
    std::vector<bool> target(n, false);
    for (size_t v = 0; v < n; ++v)
      target[v] = gi < states[v].grants.size() && states[v].grants[gi].status != GrantStatus::PENDING_ACCEPT;
    const auto ok = can_reach(g, target);
    for (size_t v = 0; v < n && pending.holds; ++v)
      if (g[v].expanded && gi < states[v].grants.size() &&
          states[v].grants[gi].status == GrantStatus::PENDING_ACCEPT && !ok[v]) {
        pending.holds = false;
        pending.unexpanded_beyond = unexpanded_reachable(g, v);
        pending.detail = fmt::format("grant {} stays PENDING_ACCEPT forever from this state{}", names.grant_label(gi),
                                     cap_note(pending.unexpanded_beyond));
        pending.trace = trace_to(g, v);
      }
  }
  a.checks.push_back(pending);

  GraphCheck regain{"lost-entitlement-recoverable",
                    "An account with a running workload that lost its entitlement can be entitled again.", true, {}, {}};
  for (AccountIx acc = 0; acc < start.accounts.size() && regain.holds; ++acc)
    for (ProductIx p = 0; p < start.products.size() && regain.holds; ++p) {
      std::vector<bool> target(n, false);
      for (size_t v = 0; v < n; ++v) target[v] = entitled(states[v], acc, p);
      const auto ok = can_reach(g, target);
      for (size_t v = 0; v < n && regain.holds; ++v)
        if (g[v].expanded && states[v].running_at(acc, p) > 0 && !target[v] && !ok[v]) {
          regain.holds = false;
          regain.unexpanded_beyond = unexpanded_reachable(g, v);
          regain.detail = fmt::format("account {} runs product {} but can never be entitled to it again{}",
                                      names.account(acc), p < names.products.size() ? names.products[p] : "?",
                                      cap_note(regain.unexpanded_beyond));
          regain.trace = trace_to(g, v);
        }
    }
  a.checks.push_back(regain);

  GraphCheck trap{"no-trap-state", "No reachable state is a trap where no call of the bounds succeeds.", true, {}, {}};
  for (size_t v = 0; v < n && trap.holds; ++v)
    if (g[v].expanded && !g[v].has_successful_call) {
      trap.holds = false;
      trap.detail = "no call of the bounds succeeds in this state";
      trap.trace = trace_to(g, v);
    }
  a.checks.push_back(trap);
  return a;
}

}  // namespace entmc::engine
