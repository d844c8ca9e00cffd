// `entmc graph FILE [--dot OUT.dot]`: builds the reachable state graph of a
// scenario's (small) bounds on Boost.Graph, writes it as Graphviz, and checks
// the 'can still happen' properties with its strongly connected components
// (engine/state_graph.h). Exit 0 all hold, 1 one does not, 2 bad input, 3 the
// graph has more than --max-states states.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.h"
#include "cli/option_checks.h"
#include "report/envelope.h"
#include "engine/check_input.h"
#include "engine/state_graph.h"
#include "policy/eventually.h"
#include "scenario/scenario_run.h"
#include "util/atomic_file.h"
#include "util/output_paths.h"

namespace entmc::cli {
namespace {

struct GraphOptions {
  std::string file, dot;
  size_t max_states = 200000;
  size_t max_dot_states = 300;  // a drawing beyond a few hundred states is unreadable
  bool trace_scope = false;
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
  std::shared_ptr<const policy::UserProperties> user;  // the file's `properties:` (eventually_possible:)
  try {
    in = engine::load_check_input(opt.file);
    user = policy::compile_user_properties(in.scenario);
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  }
  auto g = engine::build_state_graph(in.start, in.bounds, command_rules(), opt.max_states);
  if (!g) {
    std::cerr << fmt::format("entmc graph: more than {} states: use smaller bounds or --max-states\n", opt.max_states);
    return kExitLimit;
  }
  auto a = engine::analyse(*g, in.start, in.scenario.names);
  if (user)
    for (auto& c : policy::check_eventually(*g, in.start, in.scenario.names, *user)) a.checks.push_back(std::move(c));
  if (!opt.dot.empty()) {
    engine::DotOptions dot;
    const engine::GraphCheck* failed = nullptr;
    for (const auto& c : a.checks)
      if (!c.holds && !failed) failed = &c;
    if (failed) dot.path = engine::path_vertices(*g, failed->trace);
    if (opt.trace_scope) {
      if (!failed) {
        std::cerr << "entmc graph: every check holds, so there is no counterexample to scope the graph to (drop "
                     "--trace-scope)\n";
        return kExitBadInput;
      }
      dot.include = engine::trace_scope(*g, dot.path);
    }
    const size_t drawn = dot.include.empty() ? boost::num_vertices(*g)
                                             : size_t(std::count(dot.include.begin(), dot.include.end(), true));
    if (drawn > opt.max_dot_states) {
      std::cerr << fmt::format(
          "entmc graph: not writing {}: the drawing would have {} states, more than --max-dot-states {} (a graph that "
          "size is unreadable). Use --trace-scope (a failing check's path and the states one call from it), smaller "
          "bounds, or a larger --max-dot-states.\n",
          opt.dot, drawn, opt.max_dot_states);
      return kExitLimit;
    }
    std::ostringstream out;  // written whole, atomically (util/atomic_file.h)
    engine::write_dot(out, *g, in.start, in.scenario.names, dot);
    if (const std::string why = util::write_file_atomic(opt.dot, out.str()); !why.empty()) {
      std::cerr << "entmc graph: error: " << why << "\n";
      return kExitBadInput;
    }
  }
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
    // The common envelope (report/envelope.h); the checks are graph's own section.
    report::Envelope env;
    env.command = "graph";
    env.exit_code = all ? kExitOk : kExitViolation;
    env.inputs = {{"file", opt.file}, {"max_states", opt.max_states}};
    env.statistics = {{"states", a.states},
                      {"edges", a.edges},
                      {"strongly_connected_components", a.components},
                      {"bottom_components", a.bottom_components}};
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : a.checks) {
      checks.push_back({{"name", c.name}, {"statement", c.statement}, {"holds", c.holds}, {"detail", c.detail},
                        {"trace", trace_text(c.trace)}});
      if (c.holds) continue;
      report::Failure f;
      f.property = c.name;
      f.step = c.trace.size();
      f.detail = c.detail;
      for (const std::string& l : trace_text(c.trace)) f.trace.push_back({{"call", l}});
      env.failures.push_back(std::move(f));
    }
    env.own = {{"checks", checks}};
    std::cout << report::to_json(env).dump(2) << "\n";
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
  cmd->add_flag("--trace-scope", opt->trace_scope,
                "With --dot: draw only the first failing check's path and the states one call from it");
  // At least 1, and no sign (an unsigned option would wrap "-1" to 2^64-1): docs/limits.md.
  cmd->add_option("--max-dot-states", opt->max_dot_states, "With --dot: refuse to draw more states than this")
      ->capture_default_str()
      ->check(no_minus())
      ->check(CLI::Range(size_t(1), std::numeric_limits<size_t>::max()));
  cmd->add_option("--max-states", opt->max_states, "Give up (exit 3) beyond this many states (default 200000)")
      ->check(no_minus())
      ->check(CLI::Range(size_t(1), std::numeric_limits<size_t>::max()));
  cmd->add_flag("--json", opt->json, "Print the report as JSON");
  cmd->callback([opt] { set_exit_code(run_graph(*opt)); });
});

}  // namespace
}  // namespace entmc::cli
