// `entmc graph --dot` draws graphs people can read: a start marker, a
// legend, states that name their grants by the aliases a counterexample file
// uses, a size guard with a clear message, and a trace-scoped view.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
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

Result graph(const std::string& args) {
  const std::string err = (std::filesystem::temp_directory_path() / ("entmc_graph_err_" + std::to_string(getpid()))).string();
  const int status = std::system((std::string(ENTMC_BIN) + " graph " + args + " >/dev/null 2>" + err).c_str());
  Result r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(err)};
  std::filesystem::remove(err);
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

}  // namespace
