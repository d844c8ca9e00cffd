#include "policy/eventually.h"

#include <fmt/format.h>

#include <deque>

#include "engine/state_codec.h"

namespace entmc::policy {

std::vector<engine::GraphCheck> check_eventually(const engine::StateGraph& g, const World& start, const Names& names,
                                                 const UserProperties& user) {
  std::vector<engine::GraphCheck> out;
  if (user.eventually().empty()) return out;
  const size_t n = boost::num_vertices(g);
  std::vector<World> states(n, start);
  for (size_t v = 0; v < n; ++v) engine::unpack(g[v].packed.data(), states[v]);
  for (const UserProperties::Eventually& ev : user.eventually()) {
    engine::GraphCheck c;
    c.name = ev.name;
    c.statement = fmt::format("{} [{}] (eventually possible from every reachable state)",
                              ev.description.empty() ? ev.name : ev.description, ev.where);
    // Backward search from the states where it holds (and those not expanded).
    std::vector<bool> reaches(n, false);
    std::deque<size_t> queue;
    for (size_t v = 0; v < n; ++v)
      if (!g[v].expanded || user.holds(ev, states[v], names)) {
        reaches[v] = true;
        queue.push_back(v);
      }
    while (!queue.empty()) {
      const size_t v = queue.front();
      queue.pop_front();
      for (auto [e, end] = boost::in_edges(v, g); e != end; ++e) {
        const size_t u = boost::source(*e, g);
        if (!reaches[u]) {
          reaches[u] = true;
          queue.push_back(u);
        }
      }
    }
    size_t worst = n;
    for (size_t v = 0; v < n; ++v)
      if (!reaches[v] && (worst == n || g[v].depth < g[worst].depth)) worst = v;
    if (worst < n) {
      c.holds = false;
      size_t stuck = 0;
      for (size_t v = 0; v < n; ++v) stuck += !reaches[v];
      c.detail = fmt::format("no sequence of calls within the bounds leads from this state (one of {}) to one where "
                             "it holds",
                             stuck);
      for (int64_t u = int64_t(worst); g[size_t(u)].parent >= 0; u = g[size_t(u)].parent)
        c.trace.push_back(g[size_t(u)].via);
      std::reverse(c.trace.begin(), c.trace.end());
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace entmc::policy
