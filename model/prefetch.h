// A software prefetch of the cache line holding `p`, for the explorer's
// visited set and the simulator's next event. On x86-64 it is written as an
// instruction: GCC 12 at -O2 silently drops some __builtin_prefetch calls
// (two whose addresses share a 128-bit multiply-shift, in the visited set).
#pragma once

namespace entmc {

inline void prefetch_line(const void* p) {
#if defined(__x86_64__)
  __asm__ __volatile__("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);
#endif
}

}  // namespace entmc
