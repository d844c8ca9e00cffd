#include "engine/fingerprint_set.h"

#include <cstring>
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

FingerprintSet::FingerprintSet(unsigned capacity_log2, bool exact) : bits_(capacity_log2), exact_(exact) {
  allocate(bits_);
}

void FingerprintSet::allocate(unsigned bits) {
  if (bits > 31) throw std::length_error("visited set: more than 2^31 slots");
  const size_t cap = size_t(1) << bits;
  fps_.reset(new std::atomic<uint64_t>[cap]);
  parents_.reset(new std::atomic<uint32_t>[cap]);
  for (size_t i = 0; i < cap; ++i) {
    fps_[i].store(0, std::memory_order_relaxed);
    parents_[i].store(0xFFFFFFFFu, std::memory_order_relaxed);
  }
  if (exact_) {
    states_.reset(new std::atomic<const uint8_t*>[cap]);
    for (size_t i = 0; i < cap; ++i) states_[i].store(nullptr, std::memory_order_relaxed);
  }
}

bool FingerprintSet::same_bytes(const uint8_t* stored, std::span<const uint8_t> bytes) {
  uint32_t len = 0;
  std::memcpy(&len, stored, 4);
  return len == bytes.size() && std::memcmp(stored + 4, bytes.data(), len) == 0;
}

std::span<const uint8_t> FingerprintSet::state(uint32_t slot) const {
  const uint8_t* p = states_[slot].load(std::memory_order_acquire);
  uint32_t len = 0;
  std::memcpy(&len, p, 4);
  return {p + 4, len};
}

namespace {
void lower_to(std::atomic<uint32_t>& a, uint32_t v) {
  uint32_t cur = a.load(std::memory_order_relaxed);
  while (v < cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
}
}  // namespace

FingerprintSet::Insert FingerprintSet::insert(uint64_t fp, uint32_t parent, std::span<const uint8_t> bytes,
                                              StateArena* arena) {
  const uint64_t k = key(fp);
  const size_t mask = capacity() - 1;
  size_t i = size_t(k >> (64 - bits_));
  for (size_t probes = 0; probes <= mask; ++probes, i = (i + 1) & mask) {
    uint64_t cur = fps_[i].load(std::memory_order_acquire);
    if (cur == 0) {
      if (fps_[i].compare_exchange_strong(cur, k, std::memory_order_acq_rel)) {
        if (exact_) states_[i].store(arena->store(bytes), std::memory_order_release);
        lower_to(parents_[i], parent);
        size_.fetch_add(1, std::memory_order_relaxed);
        return {uint32_t(i), true};
      }
      // lost the race: `cur` now holds the winner's key
    }
    if (cur != k) continue;
    if (exact_) {
      const uint8_t* stored;
      while ((stored = states_[i].load(std::memory_order_acquire)) == nullptr) std::this_thread::yield();
      if (!same_bytes(stored, bytes)) continue;
    }
    lower_to(parents_[i], parent);
    return {uint32_t(i), false};
  }
  throw std::length_error("visited set is full");
}

uint32_t FingerprintSet::find(uint64_t fp, std::span<const uint8_t> bytes) const {
  const uint64_t k = key(fp);
  const size_t mask = capacity() - 1;
  size_t i = size_t(k >> (64 - bits_));
  for (size_t probes = 0; probes <= mask; ++probes, i = (i + 1) & mask) {
    const uint64_t cur = fps_[i].load(std::memory_order_acquire);
    if (cur == 0) return kNotFound;
    if (cur == k && (!exact_ || bytes.empty() || same_bytes(states_[i].load(std::memory_order_acquire), bytes)))
      return uint32_t(i);
  }
  return kNotFound;
}

void FingerprintSet::grow(std::vector<uint32_t>& remap) {
  const size_t old_cap = capacity();
  auto old_fps = std::move(fps_);
  auto old_parents = std::move(parents_);
  auto old_states = std::move(states_);
  bits_ += 1;
  allocate(bits_);
  const size_t mask = capacity() - 1;
  remap.assign(old_cap, kNotFound);
  for (size_t s = 0; s < old_cap; ++s) {
    const uint64_t k = old_fps[s].load(std::memory_order_relaxed);
    if (k == 0) continue;
    size_t i = size_t(k >> (64 - bits_));
    while (fps_[i].load(std::memory_order_relaxed) != 0) i = (i + 1) & mask;
    fps_[i].store(k, std::memory_order_relaxed);
    if (exact_) states_[i].store(old_states[s].load(std::memory_order_relaxed), std::memory_order_relaxed);
    remap[s] = uint32_t(i);
  }
  for (size_t s = 0; s < old_cap; ++s) {
    if (remap[s] == kNotFound) continue;
    uint32_t p = old_parents[s].load(std::memory_order_relaxed);
    if (!(p & kLevelTag) && p != kRoot) p = remap[p];
    parents_[remap[s]].store(p, std::memory_order_relaxed);
  }
}

}  // namespace entmc::engine
