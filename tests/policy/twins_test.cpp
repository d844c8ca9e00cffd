// The differential test: every built-in state property the language can
// express has a YAML twin (twins.yaml), and the twin agrees with the built-in
// on every state of the CI models' bounded state graphs (engine/state_graph.h,
// without symmetry reduction). On every edge of those graphs the twins' local
// checks also agree with their whole-state checks (the simulator's and the
// explorer's incremental path).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "engine/check_input.h"
#include "engine/state_codec.h"
#include "engine/state_graph.h"
#include "policy/user_properties.h"

namespace entmc::policy {
namespace {

const std::string kSource = ENTMC_SOURCE_DIR;

struct Model {
  std::string file;
  uint32_t max_depth;  // 0: the model's own bounds
};

// The CI models (scenarios/models, used by the check stage and the tests),
// the default one cut to depth 4 so that the graph stays small.
const Model kModels[] = {{"scenarios/models/small.yaml", 0},
                         {"scenarios/models/peer-submodel.yaml", 6},
                         {"scenarios/models/default.yaml", 4}};

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Loaded {
  engine::CheckInput in;
  std::shared_ptr<const UserProperties> twins;
};

Loaded load(const Model& m) {
  YAML::Node root = YAML::Load(read(kSource + "/" + m.file));
  if (m.max_depth) root["bounds"]["max_depth"] = m.max_depth;
  root["properties"] = YAML::Load(read(kSource + "/tests/policy/twins.yaml"))["properties"];
  const std::string tmp = ::testing::TempDir() + "/twin-model.yaml";
  std::ofstream(tmp) << YAML::Dump(root);
  Loaded l;
  l.in = engine::load_check_input(tmp);
  l.twins = compile_user_properties(l.in.scenario);
  return l;
}

const Property& builtin_of(const Property& twin) {
  const std::string name(twin.name.substr(std::string_view("twin.").size()));
  const Property* p = find_property(name, twin.kind);
  if (!p) throw std::runtime_error("no built-in " + name);
  return *p;
}

TEST(PolicyTwins, EveryTwinNamesABuiltInOfItsKind) {
  const Loaded l = load(kModels[0]);
  ASSERT_EQ(l.twins->properties().size(), 10u);
  for (const Property& t : l.twins->properties()) EXPECT_NO_THROW(builtin_of(t)) << t.name;
}

class TwinsAgree : public ::testing::TestWithParam<size_t> {};

TEST_P(TwinsAgree, OnEveryStateAndEveryEdgeOfTheGraph) {
  const Loaded l = load(kModels[GetParam()]);
  const Names& names = l.in.scenario.names;
  auto g = engine::build_state_graph(l.in.start, l.in.bounds, Rules::standard(), 400000);
  ASSERT_TRUE(g) << "too many states";
  const size_t n = boost::num_vertices(*g);
  std::vector<World> states(n, l.in.start);
  for (size_t v = 0; v < n; ++v) engine::unpack((*g)[v].packed.data(), states[v]);
  size_t failing_states = 0, local_checks = 0;
  for (const Property& twin : l.twins->properties()) {
    const Property& builtin = builtin_of(twin);
    std::vector<bool> holds(n);
    for (size_t v = 0; v < n; ++v) {
      const bool b = !builtin.check_state(states[v], names).has_value();
      holds[v] = !twin.check_state(states[v], names).has_value();
      ASSERT_EQ(holds[v], b) << twin.name << " disagrees with " << builtin.name << " at state " << v << ": "
                             << twin.check_state(states[v], names).value_or("") << " / "
                             << builtin.check_state(states[v], names).value_or("");
      failing_states += !b;
    }
    if (!twin.check_local) continue;
    for (auto [e, end] = boost::edges(*g); e != end; ++e) {
      const size_t u = boost::source(*e, *g), v = boost::target(*e, *g);
      if (!holds[u]) continue;  // a local check assumes the state before held
      World after = states[u];
      Changes ch;
      apply(after, (*g)[*e].call, &ch);
      ASSERT_TRUE(after == states[v]);
      EXPECT_EQ(!twin.check_local(after, ch, names).has_value(), holds[v])
          << twin.name << ": local check on " << to_string((*g)[*e].call.op) << " from state " << u;
      ++local_checks;
    }
  }
  // The covers are examples somewhere, so the comparison saw both verdicts.
  EXPECT_GT(failing_states, 0u);
  EXPECT_GT(local_checks, 0u);
}

INSTANTIATE_TEST_SUITE_P(CiModels, TwinsAgree, ::testing::Range<size_t>(0, std::size(kModels)));

}  // namespace
}  // namespace entmc::policy
