// Peak resident set size of this process, in bytes (getrusage ru_maxrss).
#pragma once

#include <sys/resource.h>

#include <cstdint>

namespace entmc::sim {

inline uint64_t peak_rss_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return uint64_t(u.ru_maxrss) * 1024;  // Linux reports KiB
}

}  // namespace entmc::sim
