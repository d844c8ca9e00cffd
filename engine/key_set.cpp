#include "engine/key_set.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <thread>
#include <vector>

namespace entmc::engine {

void KeySet::Free::operator()(uint64_t* p) const { std::free(p); }

// Zeroed by calloc (0 is the empty slot), which maps fresh zero pages for a
// large block: a growth does not write the whole table before filling it.
// Large tables are marked for huge pages: every lookup is a random access.
std::unique_ptr<uint64_t[], KeySet::Free> KeySet::make_keys(size_t n) {
  const size_t bytes = std::max<size_t>(n, 1) * sizeof(uint64_t);
  void* p = std::calloc(1, bytes);
  if (!p) throw std::bad_alloc();
  if (bytes >= size_t(4) << 20) advise_huge_pages(p, bytes);
  return std::unique_ptr<uint64_t[], Free>(static_cast<uint64_t*>(p));
}

KeySet::KeySet(unsigned capacity_log2)
    : cap_(size_t(1) << capacity_log2), spare_(spare_for(cap_)), keys_(make_keys(cap_ + spare_ + 1)) {}

size_t KeySet::capacity_for(size_t more) const { return capacity_for_keys(size_ + more, cap_); }

size_t KeySet::capacity_for_keys(size_t keys, size_t cap) {
  if (double(keys) <= kMaxLoad * double(cap)) return cap;
  // To kGrownLoad, and by at least 1/8: a run whose levels each add a little
  // would otherwise move every key at nearly every level.
  return std::max<size_t>({size_t(double(keys) / kGrownLoad) + 1, cap + cap / 8, 16});
}

void KeySet::check_restored(const uint64_t* keys, size_t cap, size_t spare, size_t size) {
  size_t n = 0;
  uint64_t last = 0;
  for (size_t i = 0; i < cap + spare; ++i) {
    if (keys[i] == 0) continue;
    // In key order, at its home or after it, and the slot before occupied
    // when after it (that key's own home is no later, so by induction every
    // slot from this key's home is).
    if (keys[i] <= last || home_in(keys[i], cap) > i || (i > home_in(keys[i], cap) && keys[i - 1] == 0))
      throw std::runtime_error("the closed levels' table (keys) is damaged");
    last = keys[i];
    ++n;
  }
  if (n != size || keys[cap + spare] != 0) throw std::runtime_error("the closed levels' table (keys) is damaged");
}

void KeySet::grow(size_t cap) {
  if (cap > cap_) rebuild(cap, spare_for(cap));
}

// The keys in slot order are in key order, so each goes to max(its home,
// the last placed + 1): reads and writes both sequential. If the last run
// would pass the spare slots, the spare doubles and the merge starts again.
void KeySet::rebuild(size_t cap, size_t spare) {
  for (;; spare *= 2) {
    auto fresh = make_keys(cap + spare + 1);
    size_t next = 0;  // the least free slot past the last placed key
    bool fits = true;
    for (size_t i = 0, n = cap_ + spare_; i < n && fits; ++i) {
      const uint64_t k = keys_[i];
      if (k == 0) continue;
      const size_t at = std::max(home_in(k, cap), next);
      if (at >= cap + spare) {
        fits = false;
      } else {
        fresh[at] = k;
        next = at + 1;
      }
    }
    if (!fits) continue;
    keys_ = std::move(fresh);
    cap_ = cap;
    spare_ = spare;
    return;
  }
}

// The key goes before the first key above it in its run (or at the run's
// end), and the rest of the run moves up one slot.
int KeySet::add_below(uint64_t k, size_t limit) {
  size_t at = home(k);
  while (keys_[at] != 0 && keys_[at] < k) {
    if (++at >= limit) return -1;
  }
  if (keys_[at] == k) return 0;
  size_t end = at;  // the first empty slot from `at`
  while (keys_[end] != 0) {
    if (++end >= limit) return -1;
  }
  std::memmove(&keys_[at + 1], &keys_[at], (end - at) * sizeof(uint64_t));
  keys_[at] = k;
  return 1;
}

void KeySet::add(uint64_t fp) {
  if (double(size_ + 1) > kMaxLoad * double(cap_) + 1)
    throw std::logic_error("KeySet::add: the capacity does not hold the key (grow first)");
  const int r = add_below(key(fp), cap_ + spare_);
  if (r < 0) {  // the run would take the sentinel: more spare slots first
    rebuild(cap_, spare_ * 2);
    add(fp);
    return;
  }
  size_ += size_t(r);
}

void KeySet::add_all(std::span<const uint64_t> fps, unsigned threads) {
  if (double(size_ + fps.size()) > kMaxLoad * double(cap_) + 1)
    throw std::logic_error("KeySet::add_all: the capacity does not hold the keys (grow first)");
  constexpr size_t kAhead = 8;
  const unsigned ways = fps.size() < 65536 ? 1 : std::max(1u, threads);
  std::vector<std::vector<uint64_t>> left(ways);
  std::vector<size_t> added(ways, 0);
  const auto share = [&](unsigned t) {
    const size_t lo = cap_ * t / ways, hi = t + 1 == ways ? cap_ + spare_ : cap_ * (t + 1) / ways;
    std::vector<uint64_t> mine;
    for (const uint64_t fp : fps)
      if (const uint64_t k = key(fp); home(k) >= lo && home(k) < hi) mine.push_back(k);
    for (size_t i = 0; i < mine.size(); ++i) {
      if (i + kAhead < mine.size()) prefetch_line(&keys_[home(mine[i + kAhead])]);
      const int r = add_below(mine[i], hi);
      if (r < 0)
        left[t].push_back(mine[i]);
      else
        added[t] += size_t(r);
    }
  };
  if (ways == 1) {
    share(0);
  } else {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < ways; ++t) pool.emplace_back(share, t);
  }
  for (size_t a : added) size_ += a;
  for (const auto& keys : left)
    for (const uint64_t k : keys) add(k);
}

}  // namespace entmc::engine
