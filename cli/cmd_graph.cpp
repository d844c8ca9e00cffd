// `entmc graph FILE [--dot OUT.dot]`: builds the reachable state graph of a
// scenario's (small) bounds on Boost.Graph, writes it as Graphviz, and checks
// the 'can still happen' properties with its strongly connected components
// (engine/state_graph.h). Exit 0 all hold, 1 one does not, 2 bad input, 3 the
// graph has more than --max-states states.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.h"
#include "engine/check_input.h"
#include "engine/state_graph.h"
#include "scenario/scenario_run.h"
#include "util/atomic_file.h"
#include "util/output_paths.h"

namespace entmc::cli {
namespace {

struct GraphOptions {
  std::string file, dot;
  size_t max_states = 200000;
  bool json = false;
};

int run_graph(const GraphOptions& opt) {
  {  // docs/limits.md: outputs checked before the run
    util::OutputPaths outputs;
    outputs.input(opt.file);
    outputs.file("--dot", opt.dot);
    if (const std::string why = outputs.problem(); !why.empty()) {
      std::cerr << "entmc graph: error: " << why << "\n";
      return kExitBadInput;
    }
  }
  engine::CheckInput in;
  try {
    in = engine::load_check_input(opt.file);
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  }
  auto g = engine::build_state_graph(in.start, in.bounds, Rules::standard(), opt.max_states);
  if (!g) {
    std::cerr << fmt::format("entmc graph: more than {} states: use smaller bounds or --max-states\n", opt.max_states);
    return kExitLimit;
  }
  if (!opt.dot.empty()) {
    std::ostringstream out;  // written whole, atomically (util/atomic_file.h)
    engine::write_dot(out, *g, in.start, in.scenario.names);
    if (const std::string why = util::write_file_atomic(opt.dot, out.str()); !why.empty()) {
      std::cerr << "entmc graph: error: " << why << "\n";
      return kExitBadInput;
    }
  }
  const auto a = engine::analyse(*g, in.start, in.scenario.names);
  bool all = true;
  for (const auto& c : a.checks) all = all && c.holds;
  auto trace_text = [&](const std::vector<Call>& calls) {
    std::vector<std::string> lines;
    World w = in.start;
    for (const Call& c : calls) {
      lines.push_back(describe_call(c, in.scenario.names, &w));
      apply(w, c);
    }
    return lines;
  };
  if (opt.json) {
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : a.checks)
      checks.push_back({{"name", c.name}, {"statement", c.statement}, {"holds", c.holds}, {"detail", c.detail},
                        {"trace", trace_text(c.trace)}});
    std::cout << nlohmann::json{{"file", opt.file}, {"states", a.states}, {"edges", a.edges},
                                {"strongly_connected_components", a.components},
                                {"bottom_components", a.bottom_components}, {"checks", checks}, {"ok", all}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << fmt::format("entmc graph {}: {} states, {} edges (successful calls), {} strongly connected "
                             "components, {} of them bottom\n",
                             opt.file, a.states, a.edges, a.components, a.bottom_components);
    if (!opt.dot.empty()) std::cout << fmt::format("  Graphviz written to {}\n", opt.dot);
    for (const auto& c : a.checks) {
      std::cout << fmt::format("{} {}: {}\n", c.holds ? "HOLDS" : "FAILS", c.name, c.statement);
      if (c.holds) continue;
      std::cout << fmt::format("  {} after {} calls:\n", c.detail, c.trace.size());
      size_t i = 0;
      for (const auto& l : trace_text(c.trace)) std::cout << fmt::format("  step {}: {}\n", ++i, l);
    }
  }
  return all ? kExitOk : kExitViolation;
}

const Registration kGraph(25, [](CLI::App& app) {
  auto opt = std::make_shared<GraphOptions>();
  CLI::App* cmd = app.add_subcommand(
      "graph", "Build the reachable state graph of small bounds (Graphviz) and check 'can still happen' properties");
  cmd->add_option("file", opt->file, "Scenario file with a bounds: section")->required();
  cmd->add_option("--dot", opt->dot, "Write the graph in Graphviz format");
  cmd->add_option("--max-states", opt->max_states, "Give up (exit 3) beyond this many states (default 200000)");
  cmd->add_flag("--json", opt->json, "Print the report as JSON");
  cmd->callback([opt] { set_exit_code(run_graph(*opt)); });
});

}  // namespace
}  // namespace entmc::cli
