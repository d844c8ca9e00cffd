// A request to stop the run early, polled by the long loops (the explorer's
// workers and coordinator, the simulator's event loop, the fuzzer's runs):
// set by SIGINT/SIGTERM, by the wall-clock limit (--time-limit) or by the
// memory watch (memory_watch.h). The run
// then ends as after any limit: partial statistics printed, every requested
// report written and marked, a documented exit code (docs/limits.md):
//   SIGINT 130, SIGTERM 143 (128 + the signal, as a shell reports it),
//   --time-limit and the memory watch 3 (a limit).
// A second signal ends the process at once with the same code.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace entmc::util {

enum class StopReason : int { None = 0, Interrupt = 1, Terminate = 2, TimeLimit = 3, Memory = 4 };

namespace detail {
extern std::atomic<int> g_stop;
}

// Cheap enough for an inner loop (one relaxed load).
inline bool stop_requested() { return detail::g_stop.load(std::memory_order_relaxed) != 0; }
inline StopReason stop_reason() { return StopReason(detail::g_stop.load(std::memory_order_relaxed)); }
void request_stop(StopReason why);  // the first reason stays
void clear_stop_request();          // tests

// "interrupted (SIGINT)", "terminated (SIGTERM)", "time-limit", "memory".
std::string stop_description(StopReason why);
// SIGINT or SIGTERM (not a limit).
inline bool is_signal(StopReason why) { return why == StopReason::Interrupt || why == StopReason::Terminate; }
// The exit code for a run stopped by `why` (None: 0).
int stop_exit_code(StopReason why);

// SIGINT and SIGTERM request a stop; a second one exits at once (_exit).
void install_signal_handlers();

// `check --checkpoint`: a checkpoint is only whole at a level's end, so while
// `flag` is given a first signal sets *flag (the explorer writes a checkpoint
// at the level's end and stops there) and is kept as deferred_signal()
// instead of stopping the workers at once; a second signal still exits at
// once. nullptr restores the plain behaviour.
void defer_signals_to(std::atomic<bool>* flag);
// The signal that arrived while deferred (None if none): the run then ends
// as interrupted by it (its exit code, its reports), with the checkpoint.
StopReason deferred_signal();

// Requests StopReason::TimeLimit after `seconds` (<= 0: never) unless
// destroyed first.
class Deadline {
 public:
  explicit Deadline(double seconds);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace entmc::util
