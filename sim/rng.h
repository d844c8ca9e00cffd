// The simulator's random source. Written out here (not <random>) so that the
// same seed gives the same event stream with every standard library: the final
// digest is part of the output.
//
// Every event draws from its own source, seeded from the run's seed and the
// event's number (event_seed), so how many values one event draws never shifts
// the next one's: the simulator can replay the first draws of events several
// steps ahead (EventGenerator::peek) and fetch what they will touch while the
// current event runs. Each source is a splitmix64 stream (Steele, Lea and
// Flood, "Fast splittable pseudorandom number generators", 2014): one add and
// a mix per value, eight bytes of state, nothing to set up per event.
#pragma once

#include <bit>
#include <cstdint>

namespace entmc::sim {

inline constexpr uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ull;

// The splitmix64 output function: a bijective mix of 64 bits.
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// The seed of event n's source: the n-th value of a splitmix64 stream that
// starts at the mixed run seed (stream_start).
inline uint64_t stream_start(uint64_t run_seed) { return mix64(run_seed); }
inline uint64_t event_seed(uint64_t start, uint64_t n) { return mix64(start + (n + 1) * kGoldenGamma); }

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() { return mix64(s_ += kGoldenGamma); }
  uint32_t next32() { return uint32_t(next() >> 32); }
  // Steps over one value without computing it.
  void skip() { s_ += kGoldenGamma; }
  // Uniform in [0, n) by multiply-shift (Lemire); the tiny bias is irrelevant
  // here. For ranges fixed during a run (the members, the products).
  uint32_t below(uint32_t n) { return uint32_t((uint64_t(next32()) * n) >> 32); }
  // Uniform in [0, n), n > 0, by masking to the next power of two and drawing
  // again above n. For the generator's lazy indexes, whose sizes change by a
  // few entries from one event to the next: the position drawn does not
  // depend on n, only whether it is kept, so an index peeked at a few events
  // ahead (its size then a little different) names the same entry (with
  // multiply-shift every position moves when n does, about half the time by
  // one entry).
  uint32_t index(uint32_t n) {
    if (n <= 1) return 0;
    const uint32_t mask = ~uint32_t(0) >> std::countl_zero(n - 1);
    for (;;) {
      const uint32_t v = next32() & mask;
      if (v < n) return v;
    }
  }
  // True with probability num / 2^32.
  bool chance(uint32_t num) { return next32() < num; }

 private:
  uint64_t s_;
};

}  // namespace entmc::sim
