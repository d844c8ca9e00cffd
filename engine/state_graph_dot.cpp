// Graphviz output of the state graph (state_graph.h): boost::write_graphviz
// with writers for the labels, the start marker, the highlighted path and a
// legend, over the whole graph or a trace-scoped subgraph.
#include <fmt/format.h>

#include <algorithm>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/graphviz.hpp>

#include "engine/state_codec.h"
#include "engine/state_graph.h"

namespace entmc::engine {
namespace {

// The alias a counterexample file gives a record (scenario/aliases.h): the
// source's own, else lic<N> / grant<N>.
std::string license_name(const Names& n, LicenseIx l) {
  auto it = n.license_aliases.find(l);
  return it != n.license_aliases.end() ? it->second : fmt::format("lic{}", l + 1);
}
std::string grant_name(const Names& n, GrantIx g) {
  auto it = n.grant_aliases.find(g);
  return it != n.grant_aliases.end() ? it->second : fmt::format("grant{}", g + 1);
}

// Graphviz label text: quotes and backslashes escaped, lines joined by \n.
std::string label_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o;
}

std::string state_label(const World& w, const Names& n, bool start) {
  std::vector<std::string> lines;
  if (start) lines.emplace_back("START");
  for (LicenseIx l = 0; l < w.licenses.size(); ++l)
    lines.push_back(fmt::format("{} of {}: {}", license_name(n, l), n.account(w.licenses[l].owner),
                                to_string(w.licenses[l].status)));
  for (GrantIx g = 0; g < w.grants.size(); ++g) {
    const Grant& gr = w.grants[g];
    const std::string to = gr.is_org_parent() ? std::string("org") : n.account(gr.grantee);
    std::string who = gr.is_org_child() ? fmt::format("{}'s child for {}", grant_name(n, gr.parent), to)
                                        : fmt::format("{} -> {}", n.account(gr.grantor), to);
    lines.push_back(fmt::format("{} ({}): {} v{}", grant_name(n, g), who, to_string(gr.status), gr.version));
  }
  for (AccountIx a = 0; a < w.accounts.size(); ++a)
    for (ProductIx p = 0; p < w.products.size(); ++p)
      if (w.running_at(a, p))
        lines.push_back(fmt::format("{} runs {} x{}", n.account(a), p < n.products.size() ? n.products[p] : "?",
                                    w.running_at(a, p)));
  if (lines.size() == size_t(start)) lines.emplace_back("no licenses or grants");
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\\n") + label_escape(l);
  return out;
}

struct Included {
  const std::vector<bool>* include = nullptr;
  bool operator()(size_t v) const { return !include || include->empty() || (*include)[v]; }
};

}  // namespace

std::vector<size_t> path_vertices(const StateGraph& g, const std::vector<Call>& trace) {
  std::vector<size_t> path{0};
  for (const Call& c : trace) {
    bool found = false;
    for (auto [e, end] = boost::out_edges(path.back(), g); e != end && !found; ++e)
      if (g[*e].call == c) {
        path.push_back(boost::target(*e, g));
        found = true;
      }
    if (!found) break;
  }
  return path;
}

std::vector<bool> trace_scope(const StateGraph& g, const std::vector<size_t>& path) {
  std::vector<bool> in(boost::num_vertices(g), false);
  for (size_t v : path) {
    in[v] = true;
    for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) in[boost::target(*e, g)] = true;
    for (auto [e, end] = boost::in_edges(v, g); e != end; ++e) in[boost::source(*e, g)] = true;
  }
  return in;
}

void write_dot(std::ostream& out, const StateGraph& g, const World& start, const Names& names, const DotOptions& opt) {
  std::vector<bool> on_path(boost::num_vertices(g), false);
  for (size_t v : opt.path) on_path[v] = true;
  auto on_path_edge = [&](size_t s, size_t t) {
    for (size_t i = 0; i + 1 < opt.path.size(); ++i)
      if (opt.path[i] == s && opt.path[i + 1] == t) return true;
    return false;
  };
  World w = start;
  auto vertex_writer = [&](std::ostream& o, size_t v) {
    unpack(g[v].packed.data(), w);
    std::string attrs = fmt::format("label=\"{}\"", state_label(w, names, v == 0));
    if (v == 0) attrs += ", peripheries=2, penwidth=2";
    if (!g[v].expanded) attrs += ", style=dashed";
    if (on_path[v]) attrs += ", color=red, fontcolor=red";
    o << "[" << attrs << "]";
  };
  auto edge_writer = [&](std::ostream& o, const auto& e) {
    const Call& c = g[e].call;
    const size_t s = boost::source(e, g), t = boost::target(e, g);
    std::string attrs = fmt::format("label=\"{} by {}\"", to_string(c.op), label_escape(names.account(c.caller)));
    if (on_path_edge(s, t)) attrs += ", color=red, fontcolor=red, penwidth=2";
    o << "[" << attrs << "]";
  };
  auto graph_writer = [&](std::ostream& o) {
    o << "node [shape=box, fontsize=10];\nedge [fontsize=8];\n";
    o << "subgraph cluster_legend {\n  label=\"legend\"; fontsize=10; style=rounded;\n"
         "  legend_start [label=\"START: the start state (double border)\", peripheries=2];\n"
         "  legend_cap [label=\"dashed: beyond a cap or the depth bound, not explored\", style=dashed];\n"
         "  legend_path [label=\"red: the counterexample path\", color=red, fontcolor=red];\n"
         "  legend_names [label=\"lic1, grant1: the names a counterexample file gives them\\ngrant (grantor -> "
         "grantee): STATUS vVERSION\"];\n"
         "  legend_start -> legend_cap -> legend_path -> legend_names [style=invis];\n}\n";
  };
  Included keep{&opt.include};
  boost::filtered_graph<StateGraph, boost::keep_all, Included> view(g, boost::keep_all(), keep);
  boost::write_graphviz(out, view, vertex_writer, edge_writer, graph_writer);
}

}  // namespace entmc::engine
