// `entmc check --profile`: where a run's worker time goes, part by part: the
// model's apply() per operation, each property, the canonical form with its
// fingerprint, the visited-set lookups, and the rest of the call loop. Each
// part is timed with the processor's time-stamp counter (a few nanoseconds
// per reading) around each call of it; the explorer compiles its call loop
// twice, with and without the timers, so that a run without --profile pays
// nothing for them (ExploreOptions::profile).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "model/call.h"

namespace entmc::engine {

// A reading of a clock that only ever goes up, in its own units (converted
// to seconds over the whole run: ProfileClock).
inline uint64_t profile_ticks() {
#if defined(__x86_64__) || defined(__i386__)
  return __rdtsc();
#else
  return uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

// Seconds per tick, from the ticks and the steady clock between start() and
// seconds_per_tick() (the run's length: the counter's rate is constant on the
// processors this runs on, and a long interval makes the rate exact enough).
class ProfileClock {
 public:
  void start() {
    t0_ = std::chrono::steady_clock::now();
    k0_ = profile_ticks();
  }
  // Ticks per reading of profile_ticks(), measured back to back.
  // (__rdtsc is not reordered away or merged: each call is one reading.)
  static double ticks_per_reading() {
    constexpr int kReadings = 1 << 14;
    const uint64_t k0 = profile_ticks();
    for (int i = 0; i < kReadings; ++i) (void)profile_ticks();
    return double(profile_ticks() - k0) / kReadings;
  }
  double seconds_per_tick() const {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    const uint64_t ticks = profile_ticks() - k0_;
    return ticks ? secs / double(ticks) : 0;
  }

 private:
  std::chrono::steady_clock::time_point t0_{};
  uint64_t k0_ = 0;
};

// One worker's counts and ticks (summed over the workers at the run's end).
struct WorkerProfile {
  struct Part {
    uint64_t calls = 0, ticks = 0;
    void add(uint64_t dt) {
      ++calls;
      ticks += dt;
    }
    void merge(const Part& o) {
      calls += o.calls;
      ticks += o.ticks;
    }
  };
  std::array<Part, kOpCount> apply{};
  std::vector<Part> properties;  // by index in ExploreOptions::properties
  Part fingerprint;              // canonical form, packing and fingerprint of a successor
  Part lookup;                   // the visited-set lookup of a successor
  Part expansions;               // whole expansions of a state (everything above, and the rest)

  void merge(const WorkerProfile& o) {
    for (size_t i = 0; i < apply.size(); ++i) apply[i].merge(o.apply[i]);
    if (properties.size() < o.properties.size()) properties.resize(o.properties.size());
    for (size_t i = 0; i < o.properties.size(); ++i) properties[i].merge(o.properties[i]);
    fingerprint.merge(o.fingerprint);
    lookup.merge(o.lookup);
    expansions.merge(o.expansions);
  }
  // Timed calls, each two readings of the clock (the expansions included).
  uint64_t timed_calls() const {
    uint64_t n = fingerprint.calls + lookup.calls + expansions.calls;
    for (const Part& p : apply) n += p.calls;
    for (const Part& p : properties) n += p.calls;
    return n;
  }
};

}  // namespace entmc::engine
