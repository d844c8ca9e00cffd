// An in-run memory guard for loops that cannot ask before each allocation
// (the simulator's event loop: its organization grows with the events): a
// thread reads resident memory every `interval` and, once it passes the
// limit less a margin of 1/16 (what grows between two polls and between the
// loop's stop checks, as the explorer's budget), requests a stop with
// StopReason::Memory. The run then ends as at any limit: partial results,
// reports written, exit 3 (docs/limits.md).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace entmc::util {

// The limit a command's watch uses: `limit`, unless the test-only variable
// ENTMC_TEST_MEMORY_WATCH_LIMIT gives a size (the tests' way to make a run
// pass its limit after the footprint estimate has let it start; docs/limits.md).
uint64_t memory_watch_limit(uint64_t limit);

class MemoryWatch {
 public:
  // limit_bytes 0: no watch.
  explicit MemoryWatch(uint64_t limit_bytes, std::chrono::milliseconds interval = std::chrono::milliseconds(10));
  ~MemoryWatch();
  MemoryWatch(const MemoryWatch&) = delete;
  MemoryWatch& operator=(const MemoryWatch&) = delete;

  // The highest resident size a poll saw (bytes).
  uint64_t highest_seen() const { return highest_.load(std::memory_order_relaxed); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::atomic<uint64_t> highest_{0};
  std::thread thread_;
};

}  // namespace entmc::util
