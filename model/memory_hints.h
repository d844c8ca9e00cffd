// Hints to the memory system, for the explorer's visited set and the
// simulator's big arrays. Neither changes what a program computes.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace entmc {

// A software prefetch of the cache line holding `p`. On x86-64 it is written
// as an instruction: GCC 12 at -O2 silently drops some __builtin_prefetch
// calls (two whose addresses share a 128-bit multiply-shift, in the visited
// set).
inline void prefetch_line(const void* p) {
#if defined(__x86_64__)
  __asm__ __volatile__("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);
#endif
}

// Marks the whole 2 MiB pages inside [p, p + bytes) for transparent huge
// pages: arrays read at random otherwise miss the TLB on nearly every access
// with 4 KiB pages. Advice only: a kernel without THP ignores it.
inline void advise_huge_pages(const void* p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  constexpr uintptr_t kHugePage = uintptr_t(2) << 20;
  const auto begin = (reinterpret_cast<uintptr_t>(p) + kHugePage - 1) & ~(kHugePage - 1);
  const auto end = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(kHugePage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

// Hands the pages inside [p, p + bytes) back to the kernel (whole 2 MiB
// pages only: a smaller range would split a huge page): part of a big array
// that is read once, front to back, before the whole array is freed (the
// visited set's old table during a growth) stops counting as resident as it
// is read. The range must not be read again (it would read as zeros).
inline void release_pages(const void* p, size_t bytes) {
#ifdef MADV_DONTNEED
  constexpr uintptr_t kHugePage = uintptr_t(2) << 20;
  const auto begin = (reinterpret_cast<uintptr_t>(p) + kHugePage - 1) & ~(kHugePage - 1);
  const auto end = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(kHugePage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
#else
  (void)p;
  (void)bytes;
#endif
}

// The same for a vector's whole reserved capacity. Advise before the pages are
// first written: pages already faulted in as 4 KiB stay so (until the
// kernel's background collapse, if ever).
template <typename Vector>
void advise_huge_pages(const Vector& v) {
  advise_huge_pages(v.data(), v.capacity() * sizeof(*v.data()));
}

}  // namespace entmc
