// The visited set of `entmc check --links disk`: the fingerprints of the
// states of the levels already closed, and nothing else (8 bytes a slot).
//
// With --links disk a state's parent link is not kept beside its fingerprint
// (FingerprintSet, 12 bytes a slot) but written to a trace file on disk
// (trace_file.h), as TLC does. The states first reached in the current level
// still live in a FingerprintSet (the level table), whose parent links pick
// the first parent in frontier order whichever thread got there first
// (fingerprint_set.h): at the level's end their keys move here and the level
// table is emptied. During a level this set is only read, so a lookup is a
// plain linear probe with no atomics; keys are added between levels, by
// several threads with a compare-and-swap per key.
//
// Open addressing with linear probing and 64-bit keys, home slot by
// multiply-shift as in FingerprintSet. The set grows only between levels,
// when it knows how many keys come: to 85% full after the growth, so between
// growths it is 85-92% full (8.7-9.4 bytes a stored key). Most lookups find
// their key (a state seen before), which at that load is a probe of a few
// slots.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "model/memory_hints.h"

namespace entmc::engine {

class KeySet {
 public:
  explicit KeySet(unsigned capacity_log2 = 16);

  // Not thread-safe against add(): read-only between levels' ends.
  bool contains(uint64_t fp) const {
    const uint64_t k = key(fp);
    for (size_t i = home(k);; i = i + 1 == cap_ ? 0 : i + 1) {
      const uint64_t s = keys_[i];
      if (s == k) return true;
      if (s == 0) return false;
    }
  }
  void prefetch(uint64_t fp) const { prefetch_line(&keys_[home(key(fp))]); }

  // The capacity that holds `more` keys beyond size() within the load bound
  // (the present one when they fit).
  size_t capacity_for(size_t more) const;
  // Grows to `cap` (from capacity_for): every key rehashed, by `threads`
  // threads. Resident at its peak: the old and the new table.
  void grow(size_t cap, unsigned threads = 1);
  // Adds n keys that are not in the set (the level's new states: each
  // once), fp_at(i) for i < n, by `threads` threads; the capacity must hold
  // them (capacity_for).
  template <typename FpAt>
  void add(size_t n, unsigned threads, FpAt&& fp_at) {
    check_room(n);
    // Each key's home slot is fetched a few keys ahead: the inserts are
    // random writes, one cache miss each, and the misses then overlap.
    constexpr size_t kAhead = 8;
    split(n, threads, [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end && i < begin + kAhead; ++i) prefetch(fp_at(i));
      for (size_t i = begin; i < end; ++i) {
        if (i + kAhead < end) prefetch(fp_at(i + kAhead));
        place(key(fp_at(i)));
      }
    });
    size_ += n;
  }

  size_t size() const { return size_; }
  size_t capacity() const { return cap_; }
  size_t bytes() const { return cap_ * sizeof(uint64_t); }

  // The load a growth aims at, and the most the set holds before one.
  static constexpr double kGrownLoad = 0.85, kMaxLoad = 0.92;

 private:
  static uint64_t key(uint64_t fp) { return fp == 0 ? 1 : fp; }
  size_t home(uint64_t k) const {
    __extension__ using u128 = unsigned __int128;  // GCC and clang; -Wpedantic needs the __extension__
    return size_t((u128(k) * cap_) >> 64);
  }
  void place(uint64_t k);  // thread-safe insert of a key known to be absent
  void check_room(size_t more) const;  // throws std::logic_error when the keys would not fit
  // Runs f(begin, end) over [0, n) split among `threads` threads (one when n is small).
  template <typename F>
  static void split(size_t n, unsigned threads, F&& f) {
    const size_t ways = n < 4096 ? 1 : std::max(1u, threads);
    if (ways == 1) {
      f(size_t(0), n);
      return;
    }
    std::vector<std::jthread> pool;
    for (size_t t = 0; t < ways; ++t) pool.emplace_back([&f, n, t, ways] { f(n * t / ways, n * (t + 1) / ways); });
  }
  struct Free {
    void operator()(uint64_t* p) const;
  };
  static std::unique_ptr<uint64_t[], Free> make_keys(size_t n);

  size_t cap_;
  size_t size_ = 0;
  std::unique_ptr<uint64_t[], Free> keys_;
};

}  // namespace entmc::engine
