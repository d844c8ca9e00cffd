// The visited set of `entmc check --links disk`: the fingerprints of the
// states of the levels already closed, and nothing else (8 bytes a slot).
//
// With --links disk a state's parent link is not kept beside its fingerprint
// (FingerprintSet, 12 bytes a slot) but written to a trace file on disk
// (trace_file.h), as TLC does. The states first reached in the current level
// still live in a FingerprintSet (the level table), whose parent links pick
// the first parent in frontier order whichever thread got there first
// (fingerprint_set.h): at the level's end their keys move here and the level
// table is emptied. During a level this set is only read (by every worker,
// with no atomics); keys are added between levels, by one thread.
//
// An ordered linear-probing table: the home slot is the key scaled to the
// capacity (multiply-shift, monotone in the key), a key sits at or after its
// home with every slot between occupied, and each run of occupied slots is
// in key order (an insert shifts the rest of its run up by one slot). So
//  - a lookup stops at the first key not below its own: a miss costs what a
//    hit does, even 92% full;
//  - the whole table is in key order, and a growth is one sequential merge
//    (each key to max(its new home, the last placed + 1));
//  - there is no wrap-around: the runs that pass the last home slot go on
//    into a few spare slots after it (and the spare grows if one fills).
// It grows only between levels, when it knows how many keys come: to 85%
// full, so between growths it is 85-92% full (8.7-9.4 bytes a stored key).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "model/memory_hints.h"

namespace entmc::engine {

class KeySet {
 public:
  explicit KeySet(unsigned capacity_log2 = 16);

  // Not thread-safe against add() and grow(); safe from any number of
  // readers otherwise.
  bool contains(uint64_t fp) const {
    const uint64_t k = key(fp);
    const uint64_t* p = keys_.get() + home(k);
    while (*p != 0 && *p < k) ++p;  // a run never reaches the array's end (see add)
    return *p == k;
  }
  void prefetch(uint64_t fp) const { prefetch_line(&keys_[home(key(fp))]); }

  // The capacity that holds `more` keys beyond size() within the load bound
  // (the present one when they fit).
  size_t capacity_for(size_t more) const;
  // The same for a set of `cap` home slots that is to hold `keys` in all.
  static size_t capacity_for_keys(size_t keys, size_t cap);
  // Grows to `cap` home slots (from capacity_for): one sequential merge.
  // Resident at its peak: the old and the new table.
  void grow(size_t cap);
  // Adds a key that is not in the set; the capacity must hold it
  // (capacity_for: throws std::logic_error otherwise).
  void add(uint64_t fp);
  // Adds the keys (those already in are skipped) on `threads` threads: each
  // takes the keys whose homes are in its share of the slots and inserts
  // those whose runs stay in it (so no two threads touch one slot); the
  // rest, a run at a share's end, are added after, by one thread. Each key's
  // home is fetched a few keys ahead, so the cache misses overlap.
  void add_all(std::span<const uint64_t> fps, unsigned threads);

  size_t size() const { return size_; }
  size_t capacity() const { return cap_; }  // home slots (the spare slots not counted)
  size_t bytes() const { return (cap_ + spare_) * sizeof(uint64_t); }

  // Checkpoints (checkpoint.h): the raw slots (home, spare and the
  // sentinel), and a set rebuilt from them: `fill` writes slots(cap, spare)
  // keys, of which `size` are not 0. Throws std::runtime_error if they
  // break the table's order (a damaged checkpoint).
  size_t spare() const { return spare_; }
  static size_t slots(size_t cap, size_t spare) { return cap + spare + 1; }
  const uint64_t* raw() const { return keys_.get(); }
  template <typename Fill>
  void restore(size_t cap, size_t spare, size_t size, Fill&& fill) {
    auto keys = make_keys(slots(cap, spare));
    fill(keys.get());
    check_restored(keys.get(), cap, spare, size);
    keys_ = std::move(keys);
    cap_ = cap;
    spare_ = spare;
    size_ = size;
  }

  // The load a growth aims at, and the most the set holds before one.
  static constexpr double kGrownLoad = 0.85, kMaxLoad = 0.92;

 private:
  static uint64_t key(uint64_t fp) { return fp == 0 ? 1 : fp; }
  size_t home(uint64_t k) const { return home_in(k, cap_); }
  static size_t home_in(uint64_t k, size_t cap) {
    __extension__ using u128 = unsigned __int128;  // GCC and clang; -Wpedantic needs the __extension__
    return size_t((u128(k) * cap) >> 64);
  }
  // The spare slots after the last home slot: runs there are short (a run
  // that ends past the last home slot began near it), so 1/1024 of the
  // table plus a margin, doubled if one ever fills.
  static size_t spare_for(size_t cap) { return 1024 + cap / 1024; }
  void rebuild(size_t cap, size_t spare);  // the merge of grow(), into cap home and spare slots
  // restore(): every key at or after its home, the slots between occupied,
  // keys in order, `size` of them, the sentinel empty (else runtime_error).
  static void check_restored(const uint64_t* keys, size_t cap, size_t spare, size_t size);
  // add() of a key absent or present, if its probe and its run stay below
  // slot `limit`: 1 added, 0 already in, -1 not done (it would pass `limit`).
  int add_below(uint64_t k, size_t limit);
  struct Free {
    void operator()(uint64_t* p) const;
  };
  static std::unique_ptr<uint64_t[], Free> make_keys(size_t n);

  size_t cap_;
  size_t spare_;
  size_t size_ = 0;
  // cap_ + spare_ slots and one more, always empty: the sentinel that ends
  // every lookup.
  std::unique_ptr<uint64_t[], Free> keys_;
};

}  // namespace entmc::engine
