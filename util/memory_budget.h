// How much memory a run may use. Without --memory a run gets half of the
// smaller of the machine's physical memory and the cgroup's limit (when the
// process runs in one): never the whole machine by accident.
#pragma once

#include <cstdint>
#include <string>

namespace entmc::util {

uint64_t physical_memory_bytes();
// /sys/fs/cgroup/memory.max (cgroup v2) or memory.limit_in_bytes (v1); 0 when none.
uint64_t cgroup_memory_limit_bytes();
// Half of min(physical memory, cgroup limit).
uint64_t default_memory_limit_bytes();
// "half of min(physical 23.47 GiB, cgroup none) = 11.74 GiB", for --help and progress lines.
std::string default_memory_limit_text();

// What a run lets itself reach of a memory limit: the limit less 1/16, kept
// for what the estimates of the next allocation miss. Used by the explorers'
// growth checks and the in-run memory watch alike.
inline uint64_t memory_budget(uint64_t limit) { return limit - limit / 16; }

uint64_t current_rss_bytes();  // resident now (/proc/self/statm)
uint64_t peak_rss_bytes();     // the kernel's high-water mark (getrusage)

// A size such as 512M, 4G, 4GiB, 1048576 (CLI11's AsSizeValue, units of
// 1024). Returns "" and sets `out`, or why the text is not a size: negative,
// fractional, NaN, zero and overflowing values are refused.
std::string parse_size(const std::string& text, uint64_t& out);


}  // namespace entmc::util
