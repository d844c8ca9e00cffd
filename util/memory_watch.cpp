#include "util/memory_watch.h"

#include <algorithm>
#include <cstdlib>

#include "util/memory_budget.h"
#include "util/stop_request.h"

namespace entmc::util {

uint64_t memory_watch_limit(uint64_t limit) {
  const char* test = std::getenv("ENTMC_TEST_MEMORY_WATCH_LIMIT");
  uint64_t v = 0;
  if (test && parse_size(test, v).empty()) return v;
  return limit;
}

MemoryWatch::MemoryWatch(uint64_t limit_bytes, std::chrono::milliseconds interval) {
  if (!limit_bytes) return;
  const uint64_t budget = memory_budget(limit_bytes);
  thread_ = std::thread([this, budget, interval] {
    std::unique_lock lock(mu_);
    // A read of /proc/self/statm takes a few microseconds: every 10 ms is
    // nothing next to the run.
    while (!cv_.wait_for(lock, interval, [this] { return done_; })) {
      const uint64_t rss = current_rss_bytes();
      highest_.store(std::max(highest_.load(std::memory_order_relaxed), rss), std::memory_order_relaxed);
      if (rss > budget) {
        request_stop(StopReason::Memory);
        return;
      }
    }
  });
}

MemoryWatch::~MemoryWatch() {
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace entmc::util
