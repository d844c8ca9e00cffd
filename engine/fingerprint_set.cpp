#include "engine/fingerprint_set.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <thread>

namespace entmc::engine {

const uint8_t* StateArena::store(std::span<const uint8_t> bytes) {
  const size_t need = bytes.size() + 4;
  if (chunks_.empty() || used_ + need > chunk_size_) {
    chunk_size_ = std::max<size_t>(need, 1 << 20);
    chunks_.push_back(std::make_unique<uint8_t[]>(chunk_size_));
    used_ = 0;
  }
  uint8_t* p = chunks_.back().get() + used_;
  const auto len = uint32_t(bytes.size());
  std::memcpy(p, &len, 4);
  std::memcpy(p + 4, bytes.data(), bytes.size());
  used_ += need;
  bytes_ += need;
  return p;
}

FingerprintSet::FingerprintSet(unsigned capacity_log2, bool exact) : cap_(size_t(1) << capacity_log2), exact_(exact) {
  allocate(cap_);
}

void FingerprintSet::reserve(size_t states) {
  if (size() != 0) throw std::logic_error("FingerprintSet::reserve on a table that holds states");
  if (const size_t cap = capacity_for_states(states); cap > cap_) allocate(cap);
}

void FingerprintSet::FreeSlots::operator()(void* p) const { std::free(p); }

// Every slot array starts all zero (an empty slot, no parent: parent links
// are stored complemented so that "none", 0xFFFFFFFF, is 0), so it comes
// zeroed from calloc, which for large blocks maps fresh zero pages and writes
// nothing: a table costs only the pages it touches, and a growth does not
// write the whole new table before filling it. Large arrays are marked for
// transparent huge pages: every lookup is a random access into them, and
// with 4 KiB pages most lookups also missed the TLB. The elements are plain
// integers and pointers, so free() is the whole destruction.
template <typename T>
FingerprintSet::Slots<T> FingerprintSet::make_slots(size_t n) {
  static_assert(std::is_trivial_v<T> && alignof(T) >= std::atomic_ref<T>::required_alignment);
  const size_t bytes = std::max<size_t>(n, 1) * sizeof(T);
  void* p = std::calloc(1, bytes);
  if (!p) throw std::bad_alloc();
  if (bytes >= size_t(4) << 20) advise_huge_pages(p, bytes);
  return Slots<T>(static_cast<T*>(p));
}

void FingerprintSet::allocate(size_t cap) {
  if (cap > kMaxSlots) throw std::length_error("visited set: more than 2^31 - 1 slots");
  cap_ = cap;
  fps_ = make_slots<uint64_t>(cap);
  parents_ = make_slots<uint32_t>(cap);
  if (exact_) states_ = make_slots<const uint8_t*>(cap);
}

void FingerprintSet::clear() {
  std::memset(fps_.get(), 0, cap_ * sizeof(uint64_t));
  std::memset(parents_.get(), 0, cap_ * sizeof(uint32_t));
  size_.store(0);
}

bool FingerprintSet::same_bytes(const uint8_t* stored, std::span<const uint8_t> bytes) {
  uint32_t len = 0;
  std::memcpy(&len, stored, 4);
  return len == bytes.size() && std::memcmp(stored + 4, bytes.data(), len) == 0;
}

std::span<const uint8_t> FingerprintSet::state(uint32_t slot) const {
  const uint8_t* p = at(states_, slot).load(std::memory_order_acquire);
  uint32_t len = 0;
  std::memcpy(&len, p, 4);
  return {p + 4, len};
}

namespace {
// Lowers a complemented parent link to `parent` (raises the stored ~value).
void lower_to(std::atomic_ref<uint32_t> a, uint32_t parent) {
  const uint32_t v = ~parent;
  uint32_t cur = a.load(std::memory_order_relaxed);
  while (v > cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
}
}  // namespace

FingerprintSet::Insert FingerprintSet::insert(uint64_t fp, uint32_t parent, std::span<const uint8_t> bytes,
                                              StateArena* arena, size_t* unpublished) {
  const uint64_t k = key(fp);
  size_t i = home(k);
  for (size_t probes = 0; probes < cap_; ++probes, i = i + 1 == cap_ ? 0 : i + 1) {
    uint64_t cur = at(fps_, i).load(std::memory_order_acquire);
    if (cur == 0) {
      if (at(fps_, i).compare_exchange_strong(cur, k, std::memory_order_acq_rel)) {
        if (exact_) at(states_, i).store(arena->store(bytes), std::memory_order_release);
        if (single_writer_)  // no other thread can have lowered it since the claim
          at(parents_, i).store(~parent, std::memory_order_relaxed);
        else
          lower_to(at(parents_, i), parent);
        if (unpublished)
          ++*unpublished;
        else
          size_.fetch_add(1, std::memory_order_relaxed);
        return {uint32_t(i), true};
      }
      // lost the race: `cur` now holds the winner's key
    }
    if (cur != k) continue;
    if (exact_) {
      const uint8_t* stored;
      while ((stored = at(states_, i).load(std::memory_order_acquire)) == nullptr) std::this_thread::yield();
      if (!same_bytes(stored, bytes)) continue;
    }
    if (!single_writer_) lower_to(at(parents_, i), parent);
    return {uint32_t(i), false};
  }
  throw std::length_error("visited set is full");
}

uint32_t FingerprintSet::find(uint64_t fp, std::span<const uint8_t> bytes) const {
  const uint64_t k = key(fp);
  size_t i = home(k);
  for (size_t probes = 0; probes < cap_; ++probes, i = i + 1 == cap_ ? 0 : i + 1) {
    const uint64_t cur = at(fps_, i).load(std::memory_order_acquire);
    if (cur == 0) return kNotFound;
    if (cur == k && (!exact_ || bytes.empty() || same_bytes(at(states_, i).load(std::memory_order_acquire), bytes)))
      return uint32_t(i);
  }
  return kNotFound;
}

namespace {
constexpr size_t kReleaseEvery = size_t(1) << 20;  // slots: 8 MiB of keys

// Runs part(begin, end, t) over [0, n) split into `threads` contiguous
// ranges, the t-th of them on thread t (the caller's thread alone, t = 0,
// when threads <= 1 or n is small: see split_ways).
size_t split_ways(size_t n, unsigned threads) { return threads <= 1 || n < 4096 ? 1 : threads; }
template <typename Part>
void split(size_t n, unsigned threads, Part&& part) {
  const size_t ways = split_ways(n, threads);
  if (ways == 1) {
    part(size_t(0), n, size_t(0));
    return;
  }
  std::vector<std::jthread> pool;
  for (size_t t = 0; t < ways; ++t) pool.emplace_back([&part, n, t, ways] {
    part(n * t / ways, n * (t + 1) / ways, t);
  });
}
}  // namespace

// Resident memory during a growth (bytes per old slot; the new table has
// 7/6 of the slots): each pass reads its old array front to back and hands
// the part it has read back to the kernel every kReleaseEvery slots, while it
// writes the new one roughly in the same order (homes are monotonic in the
// key). Pass 1: old keys read + new keys written stay near 8 x 7/6, plus the
// old parent links (4) and the remap array (4): about 17.3. Pass 2: the new
// keys (9.3), the old parent links giving way to the new ones (about 4.7),
// the remap array (4): about 18. Before, both tables and the remap array were
// resident at once: 30.
size_t FingerprintSet::place_moved_key(uint64_t k) {
  size_t i = home(k);
  while (at(fps_, i).load(std::memory_order_relaxed) != 0) i = i + 1 == cap_ ? 0 : i + 1;
  at(fps_, i).store(k, std::memory_order_relaxed);
  return i;
}

// Moves every key of the old table into the new one (fps_, empty) and calls
// place(moved, new slot) for each. The old arrays are read front to back and
// handed back to the kernel as they are read (the parent links too when
// `release_parents`), while the new table is written in roughly the same
// order (homes are monotonic in the key).
//
// With several threads, thread t reads its share of the old table and owns
// the same share of the new one, [lo_t, lo_t+1): a key whose home is there
// and whose probe ends there is placed with plain loads and stores, since no
// other thread reads or writes that region. The few others (a key displaced
// across a share's edge, a cluster that runs over it, a probe that wraps)
// are kept with what the old arrays held for them and placed afterwards by
// one thread. Linear probing finds a key wherever the order of insertion put
// it (slot numbers are not observable: the frontier and the reports are
// ordered by fingerprint). A compare-and-swap per probed slot made two
// threads slower at a growth than one (bench BM_VisitedSetGrow).
template <typename Place>
void FingerprintSet::move_keys(Slots<uint64_t>& old_fps, Slots<uint32_t>& old_parents,
                               Slots<const uint8_t*>& old_states, size_t old_cap, unsigned threads,
                               bool release_parents, Place&& place) {
  const size_t ways = split_ways(old_cap, threads);
  std::vector<std::vector<MovedKey>> spilled(ways);
  auto moved = [&](size_t s, uint64_t k) {
    return MovedKey{s, k, at(old_parents, s).load(std::memory_order_relaxed),
                    exact_ ? at(old_states, s).load(std::memory_order_relaxed) : nullptr};
  };
  split(old_cap, threads, [&](size_t begin, size_t end, size_t t) {
    const size_t lo = cap_ * t / ways, hi = cap_ * (t + 1) / ways;
    for (size_t s = begin; s < end; ++s) {
      if ((s - begin) % kReleaseEvery == 0 && s > begin) {  // what was read so far: no longer resident
        release_pages(&old_fps[begin], (s - begin) * sizeof(uint64_t));
        if (release_parents) release_pages(&old_parents[begin], (s - begin) * sizeof(uint32_t));
        if (exact_) release_pages(&old_states[begin], (s - begin) * sizeof(void*));
      }
      const uint64_t k = at(old_fps, s).load(std::memory_order_relaxed);
      if (k == 0) continue;
      if (ways == 1) {
        place(moved(s, k), place_moved_key(k));
        continue;
      }
      size_t i = home(k);
      if (i < lo || i >= hi) {
        spilled[t].push_back(moved(s, k));
        continue;
      }
      while (i < hi && at(fps_, i).load(std::memory_order_relaxed) != 0) ++i;
      if (i == hi) {
        spilled[t].push_back(moved(s, k));
        continue;
      }
      at(fps_, i).store(k, std::memory_order_relaxed);
      place(moved(s, k), i);
    }
  });
  for (const auto& part : spilled)
    for (const MovedKey& m : part) place(m, place_moved_key(m.key));
}

void FingerprintSet::grow(std::vector<uint32_t>& remap, unsigned threads, size_t new_cap) {
  const size_t old_cap = capacity();
  if (new_cap == 0) new_cap = grown_capacity();
  auto old_fps = std::move(fps_);
  auto old_parents = std::move(parents_);
  auto old_states = std::move(states_);
  allocate(std::max(new_cap, size() + headroom_ + headroom_ / 4 + 64));
  if (!links_are_slots_) {
    // Links that are not slots: each key moves with its link, in one pass
    // over the old arrays. Resident at the peak: the new table (14 bytes per
    // old slot) and the unread rest of the old one, i.e. a little over the
    // new table.
    remap.clear();
    move_keys(old_fps, old_parents, old_states, old_cap, threads, true, [&](const MovedKey& m, size_t i) {
      at(parents_, i).store(m.link, std::memory_order_relaxed);
      if (exact_) at(states_, i).store(m.state, std::memory_order_relaxed);
    });
    old_fps.reset();
    old_parents.reset();
    old_states.reset();
    return;
  }
  remap.assign(old_cap, kNotFound);
  // Pass 1: the keys.
  move_keys(old_fps, old_parents, old_states, old_cap, threads, false, [&](const MovedKey& m, size_t i) {
    if (exact_) at(states_, i).store(m.state, std::memory_order_relaxed);
    remap[m.slot] = uint32_t(i);
  });
  // The old keys are read no more: freed before pass 2 writes the new parent
  // links, so both tables are never resident whole at once.
  old_fps.reset();
  old_states.reset();
  // Pass 2 (every key placed): the parent links, remapped.
  split(old_cap, threads, [&](size_t begin, size_t end, size_t) {
    for (size_t s = begin; s < end; ++s) {
      if ((s - begin) % kReleaseEvery == 0 && s > begin)
        release_pages(&old_parents[begin], (s - begin) * sizeof(uint32_t));
      if (remap[s] == kNotFound) continue;
      uint32_t p = ~at(old_parents, s).load(std::memory_order_relaxed);
      if (!(p & kLevelTag) && p != kRoot) p = remap[p];
      at(parents_, remap[s]).store(~p, std::memory_order_relaxed);
    }
  });
}

}  // namespace entmc::engine
