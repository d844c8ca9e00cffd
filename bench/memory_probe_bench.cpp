// What a prefetched random read costs on this machine, by how much memory the
// reads range over: the figure that decides how far the simulator's
// million-account runs can be sped up by requesting records ahead
// (Simulation::step's peek at the next event; docs/simulator.md).
//
// Each iteration does a fixed amount of arithmetic (about 450 ns) and reads
// four random lines of an array; Prefetched requests them one iteration
// before it reads them, Demand does not, ComputeOnly reads nothing. On a
// machine where a prefetch costs nothing, Prefetched equals ComputeOnly at
// every size. Where a prefetch that misses the TLB waits for its page walk
// (seen on the VMs this project runs on: equal up to 128 MiB, +50 ns at 256,
// +145 ns at 512), Prefetched grows with the array once the array is past what
// the TLB covers, and the simulator pays that per event however early it asks.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "model/memory_hints.h"

namespace {

constexpr int kLines = 4;     // random lines read per iteration
constexpr int kWork = 400;    // dependent multiply-adds per iteration
constexpr size_t kDraws = size_t(1) << 20;

struct Probe {
  std::vector<uint64_t> array;
  std::vector<uint32_t> lines;  // random line indexes, kLines per iteration

  explicit Probe(size_t mib) {
    const size_t words = mib << 17;  // 8-byte words
    array.reserve(words);
    entmc::advise_huge_pages(array);
    array.assign(words, 1);
    uint64_t s = 0x9E3779B97F4A7C15ull;
    lines.resize(kDraws);
    for (uint32_t& l : lines) {
      s ^= s << 13;
      s ^= s >> 7;
      s ^= s << 17;
      l = uint32_t(s % (words / 8));
    }
  }
  const uint64_t* line(size_t draw) const { return &array[size_t(lines[draw % kDraws]) * 8]; }
};

enum Mode { kComputeOnly, kDemand, kPrefetched };

void run(benchmark::State& state, Mode mode) {
  const Probe probe(size_t(state.range(0)));
  uint64_t acc = 1;
  size_t i = 0;
  for (auto _ : state) {
    if (mode == kPrefetched)
      for (int k = 0; k < kLines; ++k) entmc::prefetch_line(probe.line((i + 1) * kLines + size_t(k)));
    for (int k = 0; k < kWork; ++k) acc = acc * 6364136223846793005ull + 1442695040888963407ull;
    if (mode != kComputeOnly)
      for (int k = 0; k < kLines; ++k) acc += *probe.line(i * kLines + size_t(k));
    ++i;
  }
  benchmark::DoNotOptimize(acc);
}

void ComputeOnly(benchmark::State& s) { run(s, kComputeOnly); }
void Demand(benchmark::State& s) { run(s, kDemand); }
void Prefetched(benchmark::State& s) { run(s, kPrefetched); }

// Array sizes in MiB.
BENCHMARK(ComputeOnly)->Arg(64);
BENCHMARK(Demand)->Arg(64)->Arg(512);
BENCHMARK(Prefetched)->Arg(2)->Arg(64)->Arg(128)->Arg(256)->Arg(512);

}  // namespace
