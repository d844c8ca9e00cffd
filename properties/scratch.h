// Internal to properties/: vectors whose buffers are recycled through a small
// per-thread free list. The simulator runs every local check after every
// event; allocating and freeing a few small vectors per check cost more than
// the check itself. A buffer is taken when a Scratch (or a record holding
// them, such as Touched) is built and given back, emptied, when it dies, so
// nested users each get their own buffer. Large buffers (an organization-wide
// event's million entries) are freed, not kept.
#pragma once

#include <cstddef>
#include <vector>

namespace entmc::props {

namespace scratch_detail {
inline constexpr size_t kKeepCapacity = size_t(1) << 12;  // elements
inline constexpr size_t kFreeListSize = 16;

template <typename T>
std::vector<std::vector<T>>& free_list() {
  thread_local std::vector<std::vector<T>> list = [] {
    std::vector<std::vector<T>> l;
    l.reserve(kFreeListSize);
    return l;
  }();
  return list;
}
}  // namespace scratch_detail

// Gives `v` (empty) a recycled buffer when one is free.
template <typename T>
void take_buffer(std::vector<T>& v) {
  auto& list = scratch_detail::free_list<T>();
  if (list.empty()) return;
  v.swap(list.back());
  list.pop_back();
}

// Empties `v` and keeps its buffer for the next take_buffer.
template <typename T>
void give_buffer(std::vector<T>& v) {
  if (v.capacity() == 0 || v.capacity() > scratch_detail::kKeepCapacity) return;
  auto& list = scratch_detail::free_list<T>();
  if (list.size() >= scratch_detail::kFreeListSize) return;
  v.clear();
  list.push_back(std::move(v));
}

// A local vector with a recycled buffer: `Scratch<int> s; s.v.push_back(1);`
template <typename T>
struct Scratch {
  std::vector<T> v;
  Scratch() { take_buffer(v); }
  ~Scratch() { give_buffer(v); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
};

}  // namespace entmc::props
