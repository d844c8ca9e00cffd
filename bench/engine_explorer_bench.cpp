// Google Benchmarks of the explorer's hot loop: successor generation (every
// call of the bounds applied to one state), canonicalisation under symmetry,
// and visited-set insertion. The end-to-end figure comes from
// `entmc check --json` (docs/explorer.md).
#include <benchmark/benchmark.h>

#include <memory>
#include <random>

#include "engine/bounds.h"
#include "engine/call_cache.h"
#include "engine/fingerprint_set.h"
#include "engine/state_codec.h"
#include "engine/symmetry.h"
#include "engine/trace.h"
#include "model/apply.h"

namespace entmc::engine {
namespace {

// The default model's accounts (scenarios/models/default.yaml) once all
// features, trusted access and every role are on, in a state with a license,
// an accepted organization grant and a running workload.
World busy_world() {
  World w = make_world(FeatureSet::ALL, {ProductType::AMI}, 0);
  w.org.flags = kTrustedLicenseManager | kTrustedMarketplace | kLinkedAccounts;
  const uint8_t roles = kSlrLicenseManager | kSlrMarketplace;
  add_account(w, Membership::MANAGEMENT, roles | kSlrLicenseManagerMaster);
  add_account(w, Membership::MEMBER, roles);
  add_account(w, Membership::MEMBER, roles);
  add_account(w, Membership::OUTSIDE, roles);
  Call c{};
  c.op = Op::Subscribe;
  apply(w, c);
  c = Call{};
  c.op = Op::CreateGrant;
  c.license = 0;
  c.to_org = true;
  apply(w, c);
  c = Call{};
  c.op = Op::CreateGrantVersion;
  c.grant = 0;
  c.has_status = true;
  c.status = GrantStatus::ACTIVE;
  apply(w, c);
  c = Call{};
  c.op = Op::LaunchWorkload;
  c.caller = 1;
  apply(w, c);
  return w;
}

void BM_SuccessorGeneration(benchmark::State& state) {
  const World w = busy_world();
  Bounds b = Bounds::everything(w);
  std::vector<Call> calls;
  World after = w;
  Changes ch;
  std::vector<uint8_t> packed;
  size_t n = 0;
  for (auto _ : state) {
    calls.clear();
    enumerate_calls(w, b, calls);
    for (const Call& c : calls) {
      after = w;
      benchmark::DoNotOptimize(apply(after, c, &ch));
    }
    n += calls.size();
  }
  state.counters["calls/s"] = benchmark::Counter(double(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SuccessorGeneration);

// The explorer's way (engine/explorer.cpp expand): each call applied to a
// working copy, restored only after a call whose change log is not empty,
// the call list kept per state shape (call_cache.h).
void BM_SuccessorGenerationInPlace(benchmark::State& state) {
  const World w = busy_world();
  Bounds b = Bounds::everything(w);
  CallCache cache;
  World after = w;
  Changes ch;
  size_t n = 0;
  for (auto _ : state) {
    const std::vector<Call>& calls = cache.calls(w, b);
    bool dirty = false;
    for (const Call& c : calls) {
      if (dirty) after = w;
      benchmark::DoNotOptimize(apply(after, c, &ch));
      dirty = !ch.empty(after);
    }
    if (dirty) after = w;
    n += calls.size();
  }
  state.counters["calls/s"] = benchmark::Counter(double(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SuccessorGenerationInPlace);

void BM_Canonicalise(benchmark::State& state) {
  const World w = busy_world();
  const Bounds b = Bounds::everything(w);
  // the classes of a start state with the same accounts: the two members
  World start = make_world(FeatureSet::ALL, {ProductType::AMI}, 0);
  for (const Account& a : w.accounts) add_account(start, a.membership, a.flags);
  Canonicalizer canon(state.range(0) ? find_symmetry(start, b) : SymmetryClasses{});
  std::vector<uint8_t> out;
  for (auto _ : state) {
    canon.canonical(w, out);
    benchmark::DoNotOptimize(fingerprint(out));
  }
  state.SetLabel(state.range(0) ? "symmetry" : "no symmetry");
}
BENCHMARK(BM_Canonicalise)->Arg(0)->Arg(1);

void BM_VisitedSetInsert(benchmark::State& state) {
  std::mt19937_64 rng(1);
  auto set = std::make_unique<FingerprintSet>(24);
  for (auto _ : state) {
    if (set->wants_grow()) {
      state.PauseTiming();
      set = std::make_unique<FingerprintSet>(24);
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(set->insert(rng(), FingerprintSet::kLevelTag));
  }
  state.counters["inserts/s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_VisitedSetInsert);

// One growth of a table at 9/10 load (2^22 slots, as on the big peer model):
// every key moved and every parent link remapped, on 1 or 2 threads. The
// explorer's serial part between rounds (statistics: growth_seconds).
void BM_VisitedSetGrow(benchmark::State& state) {
  std::mt19937_64 rng(2);
  const auto threads = unsigned(state.range(0));
  const bool doubling = state.range(1) != 0;  // else the least step, 1/6
  for (auto _ : state) {
    state.PauseTiming();
    auto set = std::make_unique<FingerprintSet>(22);
    while (!set->wants_grow()) {
      const auto r = set->insert(rng(), FingerprintSet::kLevelTag);
      set->set_parent(r.slot, uint32_t(rng() % set->capacity()));  // a slot, remapped by the growth
    }
    std::vector<uint32_t> remap;
    state.ResumeTiming();
    set->grow(remap, threads, doubling ? set->grown_capacity() : set->least_grown_capacity());
    benchmark::DoNotOptimize(remap.data());
    state.PauseTiming();
    set.reset();
    state.ResumeTiming();
  }
  state.SetLabel(std::to_string(threads) + " thread(s), 2^22 slots, " + (doubling ? "doubled" : "grown by 1/6"));
}
BENCHMARK(BM_VisitedSetGrow)
    ->ArgsProduct({{1, 2}, {0, 1}})
    ->ArgNames({"threads", "doubling"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(8);

// --expect-states: 3,920,081 random keys (the big peer model's states) put
// into a table that starts at the explorer's 2^19 slots and grows as the
// explorer grows it (4 doublings, each moving every key and remapping every
// parent link), against one reserved for them up front (no growth). The
// explorer's statistics give the same split (growth_seconds).
void BM_VisitedSetFill(benchmark::State& state) {
  const bool reserved = state.range(0) != 0;
  constexpr size_t kStates = 3920081;
  for (auto _ : state) {
    std::mt19937_64 rng(3);
    FingerprintSet set(19);
    if (reserved) set.reserve(kStates);
    std::vector<uint32_t> remap;
    for (size_t i = 0; i < kStates; ++i) {
      if (set.wants_grow()) set.grow(remap);
      benchmark::DoNotOptimize(set.insert(rng(), FingerprintSet::kRoot));
    }
    state.counters["capacity"] = double(set.capacity());
  }
  state.SetLabel(reserved ? "reserved for 3,920,081 keys" : "grown from 2^19 slots");
}
BENCHMARK(BM_VisitedSetFill)->ArgNames({"reserved"})->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(4);

void BM_PackUnpack(benchmark::State& state) {
  const World w = busy_world();
  World scratch = w;
  std::vector<uint8_t> bytes;
  for (auto _ : state) {
    bytes.clear();
    pack(w, bytes);
    unpack(bytes.data(), scratch);
  }
  state.counters["packed_bytes"] = double(bytes.size());
}
BENCHMARK(BM_PackUnpack);

}  // namespace
}  // namespace entmc::engine
