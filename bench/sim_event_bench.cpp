// The simulator's hot paths, at 10k / 100k / 1M member accounts with the mix
// of scenarios/sim/large.yaml (five products distributed to the organization
// and bulk-activated, five granted account by account):
//   SimEvent/checked        one drawn event: generate, apply(), tallies, incremental invariant checks
//   SimEvent/unchecked      the same without the invariant checks (the difference is the checks' cost)
//   SimJoinLeave            an account leaves and joins again with live organization grants
//                           (RemoveAccountFromOrganization, InviteAccountToOrganization, AcceptHandshake)
//   SimNaiveFullRecheck     what checking every invariant on the whole state after each event would cost
#include <benchmark/benchmark.h>

#include <map>
#include <memory>

#include "sim/simulation.h"

namespace entmc::sim {
namespace {

SimConfig config_for(int64_t members) {
  SimConfig c = load_config(std::string(ENTMC_SOURCE_DIR) + "/scenarios/sim/large.yaml");
  c.members = uint32_t(members);
  c.outside = uint32_t(members / 100);
  return c;
}

// One warmed-up simulation per size, shared by the benchmarks of that size
// (building a million-account organization takes a second).
Simulation& simulation(int64_t members) {
  static std::map<int64_t, std::pair<std::unique_ptr<SimConfig>, std::unique_ptr<Simulation>>> cache;
  auto& slot = cache[members];
  if (!slot.second) {
    cache.clear();  // one size in memory at a time
    auto& fresh = cache[members];
    fresh.first = std::make_unique<SimConfig>(config_for(members));
    fresh.second = std::make_unique<Simulation>(*fresh.first, all_properties());
    fresh.second->setup(true, nullptr, 20'000'000);
    for (int i = 0; i < 200000; ++i) fresh.second->step(true);  // past the start-up transient
    return *fresh.second;
  }
  return *slot.second;
}

void SimEvent(benchmark::State& state, bool check) {
  Simulation& sim = simulation(state.range(0));
  for (auto _ : state)
    if (!sim.step(check)) state.SkipWithError("invariant violated");
  state.counters["events/s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}
void SimEventChecked(benchmark::State& s) { SimEvent(s, true); }
void SimEventUnchecked(benchmark::State& s) { SimEvent(s, false); }

void SimJoinLeave(benchmark::State& state) {
  Simulation& sim = simulation(state.range(0));
  World& w = const_cast<World&>(sim.world());
  InvariantChecker checker(all_properties());
  Changes ch;
  const AccountIx mgmt = sim.org().management;
  AccountIx a = sim.org().first_member + 17;
  auto call = [&](Call c) {
    const Outcome o = apply(w, c, &ch);
    if (!o.ok()) state.SkipWithError("join/leave call failed");
    if (checker.after_event(w, c, o, ch, sim.names())) state.SkipWithError("invariant violated");
  };
  for (auto _ : state) {
    if (++a >= sim.org().member_end) a = sim.org().first_member + 1;
    if (a == w.org.delegated_admin) continue;
    if (!w.is_member(a)) continue;
    Call remove;
    remove.op = Op::RemoveAccountFromOrganization;
    remove.caller = mgmt;
    remove.account = a;
    call(remove);
    Call invite;
    invite.op = Op::InviteAccountToOrganization;
    invite.caller = mgmt;
    invite.account = a;
    call(invite);
    Call accept;
    accept.op = Op::AcceptHandshake;
    accept.caller = a;
    call(accept);
  }
  state.counters["org_grants"] = double(w.org_grants.size());
  state.counters["cycles/s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}

void SimNaiveFullRecheck(benchmark::State& state) {
  Simulation& sim = simulation(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(sim.checker().full(sim.world(), sim.names()));
  state.counters["grants"] = double(sim.world().grants.size());
}

// Registered size by size, so that each organization is built once.
const bool registered = [] {
  for (int64_t n : {10'000, 100'000, 1'000'000}) {
    benchmark::RegisterBenchmark("SimEvent/checked", SimEventChecked)->Arg(n)->MinTime(2.0);
    benchmark::RegisterBenchmark("SimEvent/unchecked", SimEventUnchecked)->Arg(n)->MinTime(2.0);
    benchmark::RegisterBenchmark("SimJoinLeave", SimJoinLeave)->Arg(n);
    benchmark::RegisterBenchmark("SimNaiveFullRecheck", SimNaiveFullRecheck)->Arg(n)->Unit(benchmark::kMillisecond)->Iterations(3);
  }
  return true;
}();

}  // namespace
}  // namespace entmc::sim
