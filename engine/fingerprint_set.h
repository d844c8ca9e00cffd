// The visited set: 64-bit state fingerprints in one open-addressing table
// shared by every worker, lock-free (a compare-and-swap claims a slot), with a
// 32-bit parent link per slot for trace reconstruction.
//
// The fingerprint is already a uniform hash (XXH3 of the packed state), so it
// is mapped to its home slot by a multiply-shift (fp * capacity / 2^64: its top
// bits scaled to the capacity, which need not be a power of two): no second
// hash. A slot costs 12 bytes (8 for the fingerprint, 4 for the parent's
// slot). The table grows when 9/10 full (linear probing with 64-bit keys
// stays short at that load: an insert scans ~50 contiguous keys at worst,
// under a cache line per probe sequence on average): it doubles while small
// (see grown_capacity()) and grows by 1/6 beyond 128 MiB, where it stays
// between 77% and 90% full and costs 13.3-15.6 bytes per stored state. The explorer
// grows it between rounds, when no worker is inserting; a growth holds about
// 18 bytes per old slot at its peak (see grow() in the .cpp).
//
// Parent links during a BFS level: a state first reached in the current level
// holds kLevelTag | (position of its parent in the current frontier), and a
// rediscovery in the same level lowers it (atomic min), so the parent is the
// first one in frontier order whichever thread got there first: traces do not
// depend on the thread count. After the level the explorer replaces the tag by
// the parent's slot.
//
// --exact: each slot also points to the state's packed bytes (kept in
// per-thread arenas); two states are the same only if their bytes are equal,
// and equal fingerprints of different states take different slots.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "model/memory_hints.h"

namespace entmc::engine {

// Append-only byte storage for --exact, one per worker; chunks never move.
class StateArena {
 public:
  const uint8_t* store(std::span<const uint8_t> bytes);  // stored as u32 length + bytes
  size_t bytes() const { return bytes_; }

 private:
  std::vector<std::unique_ptr<uint8_t[]>> chunks_;
  size_t used_ = 0, chunk_size_ = 0, bytes_ = 0;
};

class FingerprintSet {
 public:
  static constexpr uint32_t kRoot = 0x7FFFFFFFu;      // the start state's parent
  static constexpr uint32_t kLevelTag = 0x80000000u;  // parent is a frontier position (see above)
  static constexpr uint32_t kNotFound = 0xFFFFFFFFu;

  // Initial capacity: 2^capacity_log2 slots. Memory the table has not
  // touched costs nothing (see allocate()), so a generous start is cheap.
  explicit FingerprintSet(unsigned capacity_log2 = 16, bool exact = false);

  struct Insert {
    uint32_t slot;
    bool inserted;
  };
  // Thread-safe. `parent` is kLevelTag | frontier position (or kRoot).
  // In --exact mode `bytes` is the packed state and `arena` the caller's.
  // With `unpublished`, a new state is counted there instead of in size():
  // the caller adds it with publish() now and then, so that workers do not
  // all write one shared counter per new state.
  Insert insert(uint64_t fp, uint32_t parent, std::span<const uint8_t> bytes = {}, StateArena* arena = nullptr,
                size_t* unpublished = nullptr);
  void publish(size_t& unpublished) {
    size_.fetch_add(unpublished, std::memory_order_relaxed);
    unpublished = 0;
  }

  // One thread inserts, with non-decreasing parents within a level (a
  // single-threaded BFS): a rediscovery can never lower a parent link, so
  // insert() skips reading it (a second cache miss per lookup).
  void set_single_writer(bool on) { single_writer_ = on; }

  uint32_t find(uint64_t fp, std::span<const uint8_t> bytes = {}) const;
  uint64_t fingerprint(uint32_t slot) const { return at(fps_, slot).load(std::memory_order_relaxed); }
  // Parent links are stored complemented (see allocate()).
  uint32_t parent(uint32_t slot) const { return ~at(parents_, slot).load(std::memory_order_relaxed); }
  void set_parent(uint32_t slot, uint32_t p) { at(parents_, slot).store(~p, std::memory_order_relaxed); }
  std::span<const uint8_t> state(uint32_t slot) const;  // --exact only

  size_t size() const { return size_.load(std::memory_order_relaxed); }
  size_t capacity() const { return cap_; }
  bool exact() const { return exact_; }
  // Past 9/10 load, or fewer free slots than the headroom: the most inserts
  // the workers may make after they last checked (see set_headroom).
  bool wants_grow() const {
    const size_t n = size();
    return n * 10 >= cap_ * 9 || cap_ - n < headroom_;
  }
  // The explorer sets it to (threads x the most calls of one state, with a
  // margin): a worker checks wants_grow() before each state, then inserts at
  // most one successor per call of it.
  void set_headroom(size_t slots) { headroom_ = slots; }
  // Prefetches the home slot of `fp` ahead of insert().
  // Both arrays: a new state writes its parent link too (a second miss).
  void prefetch(uint64_t fp) const {
    const size_t i = home(key(fp));
    prefetch_line(&fps_[i]);
    prefetch_line(&parents_[i]);
  }
  size_t bytes_per_slot() const { return bytes_per_slot(exact_); }
  static size_t bytes_per_slot(bool exact) { return 12 + (exact ? sizeof(void*) : 0); }
  // Slot numbers are 31 bits (parent links keep the top bit for kLevelTag).
  static constexpr size_t kMaxSlots = (size_t(1) << 31) - 1;
  size_t table_bytes() const { return capacity() * bytes_per_slot(); }

  // The capacity a growth goes to: doubled while the doubled table is at
  // most kDoublingBytes, by 1/6 beyond. A growth moves every key (and, with
  // links that are slots, remaps every parent link: a random read per key),
  // so growing by 1/6 moves each key about 6 times over a run, doubling about
  // once: while the table is small its memory is cheap and the moves are the
  // cost (growths were 12-14% of a one-thread run, and the part of a
  // two-thread run that scales worst). Large tables keep the 1/6 step, which
  // bounds the free slots (77-90% full); below kDoublingBytes a table is
  // 45-90% full.
  static constexpr size_t kDoublingBytes = size_t(128) << 20;
  size_t grown_capacity() const { return grown_capacity(cap_, bytes_per_slot(), doubling_bytes_); }
  static size_t grown_capacity(size_t cap, size_t bytes_per_slot, size_t doubling_bytes) {
    return 2 * cap * bytes_per_slot <= doubling_bytes ? 2 * cap : cap + cap / 6;
  }
  void set_doubling_bytes(size_t bytes) { doubling_bytes_ = bytes; }  // kDoublingBytes unless set
  size_t least_grown_capacity() const { return cap_ + cap_ / 6; }
  // The capacity a table sized up front for `states` starts at
  // (--expect-states): the capacity its growths would have reached by then
  // (the doubling and 1/6 steps above, from the present capacity), or a
  // table 4/5 full with them where that is smaller. Doubling leaves a table
  // 45-90% full (47% for the peer model's 3.9 M states): a presized table is
  // the fresh memory a run asks for at once, and on a virtual machine
  // first-touched memory is the dearest a run pays for (docs/peers.md,
  // "Fresh memory"); at 4/5 a lookup still reads one cache line of keys,
  // most times. A run of that many states never grows it.
  size_t capacity_for_states(size_t states) const {
    return capacity_for_states(states, cap_, bytes_per_slot(), doubling_bytes_);
  }
  static size_t capacity_for_states(size_t states, size_t cap, size_t bytes_per_slot, size_t doubling_bytes) {
    if (states >= (size_t(1) << 32)) return 4 * kMaxSlots;  // more than allocate() takes
    size_t grown = cap;
    while (states * 10 >= grown * 9) grown = grown_capacity(grown, bytes_per_slot, doubling_bytes);
    return std::max(cap, std::min(grown, states + states / 4 + 1));
  }
  // Not thread-safe, and only while the table is empty: starts it at
  // capacity_for_states(states) slots (no change when that is not larger).
  // Throws std::length_error past kMaxSlots (allocate()).
  void reserve(size_t states);
  // The capacity a growth that must fit goes to: grown_capacity() when
  // fits(it), else the least growth when fits(that), else 0 (none fits).
  // `fits(capacity)` is the caller's memory test: what a growth holds beside
  // the table depends on the caller (a remap array, moved parent links).
  template <typename Fits>
  size_t capacity_that_fits(Fits&& fits) const {
    if (const size_t cap = grown_capacity(); fits(cap)) return cap;
    if (const size_t cap = least_grown_capacity(); fits(cap)) return cap;
    return 0;
  }

  // Not thread-safe: grows the table to `new_cap` slots (0: grown_capacity();
  // at least the size plus the headroom).
  // Resident at its peak: the old table, the new keys and the remap array
  // (the old keys are freed before the new parent links are written).
  // remap[old slot] = new slot; parent links that are slots are remapped,
  // tagged ones are kept. Done by `threads` threads.
  void grow(std::vector<uint32_t>& remap, unsigned threads = 1, size_t new_cap = 0);

  // Parent links that are not slots (the disk frontier's state numbers, see
  // the explorer): they survive a growth unchanged, so grow() needs no remap
  // array and moves each key with its link in one pass (remap stays empty):
  // resident at its peak about the new table only (14 bytes per old slot,
  // the old arrays handed back as they are read), not 18.
  void set_links_are_slots(bool on) { links_are_slots_ = on; }
  bool links_are_slots() const { return links_are_slots_; }

  // Not thread-safe: empties the table, keeping its capacity (--links disk
  // empties its level table at each level's end: key_set.h). Not with --exact.
  void clear();
  // The same for a table whose used slots the caller knows (a few of many):
  // empty_slot() on each of them, then forget_size().
  void empty_slot(uint32_t slot) {
    fps_[slot] = 0;
    parents_[slot] = 0;
  }
  void forget_size() { size_.store(0); }

  // Checkpoints (checkpoint.h): the raw arrays (parent links complemented),
  // and a table rebuilt from them: `fill` writes `cap` fingerprints and
  // parent links, of which `size` are states. Not with --exact.
  const uint64_t* raw_fingerprints() const { return fps_.get(); }
  const uint32_t* raw_parents() const { return parents_.get(); }
  template <typename Fill>
  void restore(size_t cap, size_t size, Fill&& fill) {
    allocate(cap);
    fill(fps_.get(), parents_.get());
    size_.store(size);
  }

 private:
  static uint64_t key(uint64_t fp) { return fp == 0 ? 1 : fp; }
  size_t home(uint64_t k) const {
    __extension__ using u128 = unsigned __int128;  // GCC and clang; -Wpedantic needs the __extension__
    return size_t((u128(k) * cap_) >> 64);
  }
  static bool same_bytes(const uint8_t* stored, std::span<const uint8_t> bytes);
  void allocate(size_t cap);

  size_t cap_;
  size_t headroom_ = 0;
  size_t doubling_bytes_ = kDoublingBytes;
  bool exact_;
  bool single_writer_ = false;
  bool links_are_slots_ = true;
  struct FreeSlots {
    void operator()(void* p) const;
  };
  // Plain arrays, read and written through std::atomic_ref: they come
  // zeroed from calloc (see make_slots) with no constructor run.
  template <typename T>
  using Slots = std::unique_ptr<T[], FreeSlots>;
  template <typename T>
  static Slots<T> make_slots(size_t n);
  template <typename T>
  static std::atomic_ref<T> at(const Slots<T>& a, size_t i) {
    return std::atomic_ref<T>(a[i]);
  }
  // A key a growth moves, with what the old arrays held for it (its parent
  // link as stored, and with --exact its state).
  struct MovedKey {
    size_t slot;  // in the old table
    uint64_t key;
    uint32_t link;
    const uint8_t* state;
  };
  // A moved key's slot in the new table, by plain linear probing (one thread).
  size_t place_moved_key(uint64_t k);
  template <typename Place>
  void move_keys(Slots<uint64_t>& old_fps, Slots<uint32_t>& old_parents, Slots<const uint8_t*>& old_states,
                 size_t old_cap, unsigned threads, bool release_parents, Place&& place);

  Slots<uint64_t> fps_;
  Slots<uint32_t> parents_;
  Slots<const uint8_t*> states_;
  std::atomic<size_t> size_{0};
};

}  // namespace entmc::engine
