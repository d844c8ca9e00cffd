// The in-run memory watch (util/memory_watch.h): a thread that polls
// resident memory and requests a stop once a run passes its limit. In its own
// small binary so that the TSan stage (label `threaded`) runs it as well as
// the werror and ASan stages.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "util/memory_budget.h"
#include "util/memory_watch.h"
#include "util/stop_request.h"

namespace {

// Resident memory past the limit (less 1/16) requests a stop with reason
// "memory"; exit code 3 (docs/limits.md).
TEST(MemoryWatchThreaded, StopsARunThatPassesItsLimit) {
  entmc::util::clear_stop_request();
  const uint64_t now = entmc::util::current_rss_bytes();
  const uint64_t limit = now + (64ull << 20);
  {
    const entmc::util::MemoryWatch watch(limit);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(entmc::util::stop_requested()) << "under the limit";
    std::vector<char> ballast(96ull << 20, 1);  // touched: resident
    for (int i = 0; i < 1000 && !entmc::util::stop_requested(); ++i)  // up to 10 s: a loaded machine delays the poll
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(entmc::util::stop_reason(), entmc::util::StopReason::Memory);
    // The watch stops at its budget (util::memory_budget: the limit less
    // 1/16), which is more than 4 MiB below the limit once the process itself
    // is large (a TSan build starts at tens of MiB).
    EXPECT_GE(watch.highest_seen(), entmc::util::memory_budget(limit));
    EXPECT_EQ(ballast[ballast.size() / 2], 1);
  }
  EXPECT_EQ(entmc::util::stop_exit_code(entmc::util::StopReason::Memory), 3);
  entmc::util::clear_stop_request();
}

TEST(MemoryWatchThreaded, NoLimitStartsNoWatchAndStopsNothing) {
  entmc::util::clear_stop_request();
  {
    const entmc::util::MemoryWatch watch(0);
    std::vector<char> ballast(16ull << 20, 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    EXPECT_FALSE(entmc::util::stop_requested());
    EXPECT_EQ(watch.highest_seen(), 0u);
    EXPECT_EQ(ballast[ballast.size() / 2], 1);
  }
}

}  // namespace
