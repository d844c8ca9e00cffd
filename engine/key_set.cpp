#include "engine/key_set.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
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

KeySet::KeySet(unsigned capacity_log2) : cap_(size_t(1) << capacity_log2), keys_(make_keys(cap_)) {}

size_t KeySet::capacity_for(size_t more) const {
  const size_t need = size_ + more;
  if (double(need) <= kMaxLoad * double(cap_)) return cap_;
  // To kGrownLoad, and by at least 1/8: a run whose levels each add a little
  // would otherwise rehash every key at nearly every level.
  return std::max<size_t>({size_t(double(need) / kGrownLoad) + 1, cap_ + cap_ / 8, 16});
}

void KeySet::place(uint64_t k) {
  for (size_t i = home(k);; i = i + 1 == cap_ ? 0 : i + 1) {
    std::atomic_ref<uint64_t> slot(keys_[i]);
    uint64_t cur = slot.load(std::memory_order_relaxed);
    if (cur == 0 && slot.compare_exchange_strong(cur, k, std::memory_order_relaxed)) return;
  }
}

// A growth places the keys in key order. The home slot is monotone in the key
// (multiply-shift), so keys placed in key order each go to max(home, last
// placed + 1): no probing, and the writes are sequential. A run of occupied
// slots in the old table holds the keys whose homes are in it (but for those
// that wrapped past the table's end), so sorting each run puts every key in
// order. A key that wrapped, or would wrap in the new table, is placed last by
// plain linear probing. (Measured at 3.7 M keys: about 40 ns a key either
// way, the sort of the runs, which are long near 92% full, where inserting
// one by one walked them; the sort's cost does not grow with the run's
// disorder.)
void KeySet::grow(size_t cap, unsigned) {
  if (cap <= cap_) return;
  auto old = std::move(keys_);
  const size_t old_cap = cap_;
  keys_ = make_keys(cap);
  cap_ = cap;
  __extension__ using u128 = unsigned __int128;
  constexpr size_t kNone = ~size_t(0);
  size_t last = kNone;
  std::vector<uint64_t> run, deferred;
  const auto flush = [&] {
    std::sort(run.begin(), run.end());
    for (const uint64_t k : run) {
      const size_t h = home(k);
      const size_t pos = last == kNone || h > last ? h : last + 1;
      if (pos >= cap_) {
        deferred.push_back(k);
        continue;
      }
      keys_[pos] = k;
      last = pos;
    }
    run.clear();
  };
  for (size_t i = 0; i < old_cap; ++i) {
    const uint64_t k = old[i];
    if (k == 0)
      flush();
    else if (size_t((u128(k) * old_cap) >> 64) > i)  // wrapped past the old table's end
      deferred.push_back(k);
    else
      run.push_back(k);
  }
  flush();
  for (const uint64_t k : deferred) place(k);
}

void KeySet::check_room(size_t more) const {
  if (double(size_ + more) > kMaxLoad * double(cap_) + 1)
    throw std::logic_error("KeySet::add: the capacity does not hold the keys (grow first)");
}

}  // namespace entmc::engine
