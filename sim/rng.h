// The simulator's random source: xoshiro256** seeded through splitmix64.
// Written out here (not <random>) so that the same seed gives the same event
// stream with every standard library: the final digest is part of the output.
#pragma once

#include <cstdint>

namespace entmc::sim {

inline uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& v : s_) v = splitmix64(seed);
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) by multiply-shift (Lemire); the tiny bias is irrelevant here.
  uint32_t below(uint32_t n) { return uint32_t(((next() >> 32) * n) >> 32); }
  // True with probability num / 2^32.
  bool chance(uint32_t num) { return uint32_t(next() >> 32) < num; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace entmc::sim
