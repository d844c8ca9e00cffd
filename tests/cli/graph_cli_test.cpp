// `entmc graph --dot` draws graphs people can read: a start marker, a
// legend, states that name their grants by the aliases a counterexample file
// uses, a size guard with a clear message, and a trace-scoped view.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

namespace {

struct Result {
  int code;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result graph(const std::string& args, std::string* out = nullptr) {
  const auto tmp = std::filesystem::temp_directory_path();
  const std::string err = (tmp / ("entmc_graph_err_" + std::to_string(getpid()))).string();
  const std::string stdout_file = (tmp / ("entmc_graph_out_" + std::to_string(getpid()))).string();
  const int status =
      std::system((std::string(ENTMC_BIN) + " graph " + args + " >" + stdout_file + " 2>" + err).c_str());
  Result r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(err)};
  if (out) *out = slurp(stdout_file);
  std::filesystem::remove(err);
  std::filesystem::remove(stdout_file);
  return r;
}

const std::string kModels = std::string(ENTMC_SOURCE_DIR) + "/scenarios/models/";

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(GraphCli, ASmallModelIsDrawnWithStartLegendAndNamedGrants) {
  const std::string dot = (std::filesystem::temp_directory_path() / ("entmc_tiny_" + std::to_string(getpid()) + ".dot")).string();
  const Result r = graph(kModels + "tiny-graph.yaml --dot " + dot);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string text = slurp(dot);
  EXPECT_EQ(text.rfind("digraph", 0), 0u) << text.substr(0, 200);
  EXPECT_EQ(count(text, "peripheries=2"), 2u) << "the start state and its legend entry";
  EXPECT_NE(text.find("label=\"START"), std::string::npos);
  EXPECT_NE(text.find("cluster_legend"), std::string::npos);
  EXPECT_NE(text.find("grant1 (111111111111 -> 222222222222): DISABLED v1"), std::string::npos);
  EXPECT_NE(text.find("grant2 (grant1's child for 222222222222)"), std::string::npos);
  EXPECT_NE(text.find("111111111111 runs Widget AMI x1"), std::string::npos);
  EXPECT_NE(text.find("lic1 of 111111111111: AVAILABLE"), std::string::npos);
  EXPECT_LE(count(text, "label=\"") - count(text, "->"), 310u);
  std::filesystem::remove(dot);
}

TEST(GraphCli, ALargeDrawingIsRefusedWithAClearMessage) {
  const std::string dot = (std::filesystem::temp_directory_path() / ("entmc_small_" + std::to_string(getpid()) + ".dot")).string();
  const Result r = graph(kModels + "small.yaml --dot " + dot);
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("29459 states, more than --max-dot-states 300"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--trace-scope"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dot));
  // Nothing fails on the product's rules, so there is no trace to scope to: said, not silently ignored.
  const Result scoped = graph(kModels + "small.yaml --dot " + dot + " --trace-scope");
  EXPECT_EQ(scoped.code, 2);
  EXPECT_NE(scoped.err.find("no counterexample to scope"), std::string::npos) << scoped.err;
}

// A drawing read back: its state nodes (the legend's are named legend_*),
// its edges, and which of each are drawn red (the counterexample path).
struct Drawing {
  std::set<int> nodes, red_nodes, dashed_nodes;  // dashed: beyond a cap, not explored
  std::set<std::pair<int, int>> edges, red_edges;
};

Drawing read_dot(const std::string& text) {
  Drawing d;
  const std::regex node(R"(^(\d+)\[(.*)\];$)"), edge(R"(^(\d+)->(\d+) \[(.*)\];$)");
  std::istringstream in(text);
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, m, edge)) {
      const std::pair<int, int> e{std::stoi(m[1]), std::stoi(m[2])};
      d.edges.insert(e);
      if (m[3].str().find("color=red") != std::string::npos) d.red_edges.insert(e);
    } else if (std::regex_match(line, m, node)) {
      d.nodes.insert(std::stoi(m[1]));
      if (m[2].str().find("color=red") != std::string::npos) d.red_nodes.insert(std::stoi(m[1]));
      if (m[2].str().find("style=dashed") != std::string::npos) d.dashed_nodes.insert(std::stoi(m[1]));
    }
  }
  return d;
}

const std::string kRecoverable = std::string(ENTMC_SOURCE_DIR) + "/scenarios/policies/entitlement-recoverable.yaml";

// --trace-scope draws the first failing check's path and exactly the states
// one successful call from it (either way), read against the whole drawing.
TEST(GraphCli, TheTraceScopedViewIsThePathAndItsOneStepNeighbours) {
  const auto tmp = std::filesystem::temp_directory_path();
  const std::string full_dot = (tmp / ("entmc_rec_full_" + std::to_string(getpid()) + ".dot")).string();
  const std::string scoped_dot = (tmp / ("entmc_rec_scoped_" + std::to_string(getpid()) + ".dot")).string();
  std::string out;
  ASSERT_EQ(graph(kRecoverable + " --json --dot " + full_dot, &out).code, 1);
  ASSERT_EQ(graph(kRecoverable + " --dot " + scoped_dot + " --trace-scope").code, 1);
  const Drawing full = read_dot(slurp(full_dot)), scoped = read_dot(slurp(scoped_dot));
  // The first failing check's trace, as --json reports it: the path has one more state.
  const nlohmann::json report = nlohmann::json::parse(out);
  size_t steps = 0;
  for (const auto& c : report["graph"]["checks"])
    if (!c["holds"].get<bool>()) {
      steps = c["trace"].size();
      break;
    }
  ASSERT_GT(steps, 0u);
  ASSERT_EQ(scoped.red_nodes.size(), steps + 1);
  ASSERT_EQ(scoped.red_edges.size(), steps);
  EXPECT_EQ(scoped.red_nodes, full.red_nodes);
  ASSERT_TRUE(scoped.red_nodes.count(0)) << "the path starts at the start state";
  // A chain from the start state through every red node.
  int at = 0;
  for (size_t i = 0; i < steps; ++i) {
    int next = -1;
    for (const auto& [s, t] : scoped.red_edges)
      if (s == at) next = t;
    ASSERT_NE(next, -1) << "the red path breaks after state " << at;
    at = next;
  }
  std::set<int> expected = scoped.red_nodes;
  for (const auto& [s, t] : full.edges) {
    if (scoped.red_nodes.count(s)) expected.insert(t);
    if (scoped.red_nodes.count(t)) expected.insert(s);
  }
  EXPECT_EQ(scoped.nodes, expected);
  EXPECT_LT(scoped.nodes.size(), full.nodes.size());
  for (const auto& e : scoped.edges) {
    EXPECT_TRUE(full.edges.count(e)) << e.first << "->" << e.second;
    EXPECT_TRUE(scoped.nodes.count(e.first) && scoped.nodes.count(e.second)) << e.first << "->" << e.second;
  }
  std::filesystem::remove(full_dot);
  std::filesystem::remove(scoped_dot);
}

// A 'can still happen' failure whose state can reach states a cap left
// unexplored says so (and how many); one that cannot does not.
TEST(GraphCli, AFailureThatACapMayCauseSaysSo) {
  const std::string dot =
      (std::filesystem::temp_directory_path() / ("entmc_rec_cap_" + std::to_string(getpid()) + ".dot")).string();
  std::string out;
  ASSERT_EQ(graph(kRecoverable + " --json --dot " + dot, &out).code, 1);
  const Drawing full = read_dot(slurp(dot));
  std::filesystem::remove(dot);
  // The count the note gives, from the drawing: the dashed states reachable
  // from the red path's last state (the check that fails first is this one).
  int last = 0;
  for (bool moved = true; moved;) {
    moved = false;
    for (const auto& [s, t] : full.red_edges)
      if (s == last) {
        last = t;
        moved = true;
        break;
      }
  }
  std::set<int> seen{last};
  std::vector<int> todo{last};
  while (!todo.empty()) {
    const int v = todo.back();
    todo.pop_back();
    for (const auto& [s, t] : full.edges)
      if (s == v && seen.insert(t).second) todo.push_back(t);
  }
  size_t dashed = 0;
  for (int v : seen) dashed += full.dashed_nodes.count(v);
  ASSERT_EQ(dashed, 4u);
  const nlohmann::json report = nlohmann::json::parse(out);
  std::map<std::string, std::string> detail;
  for (const auto& c : report["graph"]["checks"])
    if (!c["holds"].get<bool>()) detail[c["name"]] = c["detail"];
  ASSERT_TRUE(detail.count("lost-entitlement-recoverable")) << out;
  EXPECT_NE(detail["lost-entitlement-recoverable"].find(
                "(but 4 states reachable from here are beyond a cap or the depth bound and not explored: the failure "
                "may come from the bounds, not the rules; raise the caps to tell)"),
            std::string::npos)
      << detail["lost-entitlement-recoverable"];
  // The trap: no call of the bounds succeeds there, nothing lies beyond it.
  ASSERT_TRUE(detail.count("no-trap-state")) << out;
  EXPECT_EQ(detail["no-trap-state"].find("beyond a cap"), std::string::npos) << detail["no-trap-state"];
}

}  // namespace
