// A built-in invariant against its YAML twin (tests/policy/twins.yaml),
// deleted-license-has-no-active-grant, on the same model:
//   CheckState/builtin|twin   check_state on every state of the small model's
//                             state graph (what `check` pays per state)
//   SimEvent/none|builtin|twin one simulator event at 10k members (large.yaml's
//                             mix) with only that property checked incrementally;
//                             the property's cost per event is the difference to
//                             `none` (same seed, same events)
// docs/properties.md records the figures; the target is at most 1.5x.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "engine/check_input.h"
#include "engine/state_codec.h"
#include "engine/state_graph.h"
#include "policy/user_properties.h"
#include "sim/simulation.h"

namespace entmc {
namespace {

const std::string kSource = ENTMC_SOURCE_DIR;
constexpr std::string_view kPair = "deleted-license-has-no-active-grant";

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

YAML::Node twin_section() {
  YAML::Node all = YAML::Load(read(kSource + "/tests/policy/twins.yaml"))["properties"];
  YAML::Node one(YAML::NodeType::Sequence);
  for (const auto& p : all)
    if (p["name"].as<std::string>() == "twin." + std::string(kPair)) one.push_back(p);
  YAML::Node root(YAML::NodeType::Map);
  root["properties"] = one;
  return root;
}

struct CheckStates {
  engine::CheckInput in;
  std::shared_ptr<const policy::UserProperties> twin;
  std::vector<World> states;
};

CheckStates& check_states() {
  static CheckStates s = [] {
    CheckStates c;
    c.in = engine::load_check_input(kSource + "/scenarios/models/small.yaml");
    c.twin = policy::compile_user_properties(twin_section(), c.in.scenario.names, c.in.scenario.initial, "twins.yaml");
    auto g = engine::build_state_graph(c.in.start, c.in.bounds, Rules::standard(), 1000000);
    for (size_t v = 0; v < boost::num_vertices(*g); ++v) {
      c.states.push_back(c.in.start);
      engine::unpack((*g)[v].packed.data(), c.states.back());
    }
    return c;
  }();
  return s;
}

void CheckState(benchmark::State& state, bool twin) {
  CheckStates& c = check_states();
  const Property& p = twin ? c.twin->properties().front() : *find_property(kPair);
  size_t i = 0, bad = 0;
  for (auto _ : state) {
    bad += p.check_state(c.states[i], c.in.scenario.names).has_value();
    if (++i == c.states.size()) i = 0;
  }
  benchmark::DoNotOptimize(bad);
  state.counters["states/s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}
void CheckStateBuiltin(benchmark::State& s) { CheckState(s, false); }
void CheckStateTwin(benchmark::State& s) { CheckState(s, true); }

// One simulation per variant: 0 none, 1 the built-in, 2 the twin.
sim::Simulation& simulation(int variant) {
  struct Slot {
    std::unique_ptr<sim::SimConfig> config;
    std::shared_ptr<const policy::UserProperties> twin;
    std::vector<Property> props;
    std::unique_ptr<sim::Simulation> sim;
  };
  static std::map<int, Slot> cache;
  Slot& s = cache[variant];
  if (!s.sim) {
    s.config = std::make_unique<sim::SimConfig>(sim::load_config(kSource + "/scenarios/sim/large.yaml"));
    s.config->members = 10000;
    s.config->outside = 100;
    if (variant == 1) s.props.push_back(*find_property(kPair));
    if (variant == 2) {
      const sim::InitialOrg org = sim::build_initial_org(*s.config);
      s.twin = policy::compile_user_properties(twin_section(), org.names, org.world, "twins.yaml");
      s.props.push_back(s.twin->properties().front());
    }
    s.sim = std::make_unique<sim::Simulation>(*s.config, s.props);
    s.sim->setup(true, nullptr, 20'000'000);
    for (int i = 0; i < 100000; ++i) s.sim->step(true);  // past the start-up transient
  }
  return *s.sim;
}

void SimEvent(benchmark::State& state) {
  sim::Simulation& sim = simulation(int(state.range(0)));
  for (auto _ : state)
    if (!sim.step(true)) state.SkipWithError("invariant violated");
  state.counters["events/s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK(CheckStateBuiltin);
BENCHMARK(CheckStateTwin);
BENCHMARK(SimEvent)->ArgName("none0_builtin1_twin2")->Arg(0)->Arg(1)->Arg(2);
// Fixed iteration counts, for instruction counts under callgrind (the shared
// machine's timings move by 2x with its load): inclusive instructions of
// CheckState / SimEvent divided by the iterations (docs/properties.md).
BENCHMARK(CheckStateBuiltin)->Iterations(200000);
BENCHMARK(CheckStateTwin)->Iterations(200000);
BENCHMARK(SimEvent)->ArgName("none0_builtin1_twin2")->Arg(0)->Arg(1)->Arg(2)->Iterations(100000);

}  // namespace
}  // namespace entmc
