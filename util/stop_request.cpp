#include "util/stop_request.h"

#include <unistd.h>

#include <csignal>
#include <cstring>

namespace entmc::util {
namespace detail {
std::atomic<int> g_stop{0};
}  // namespace detail

namespace {

static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free flag");
std::atomic<int> g_signals{0};
std::atomic<std::atomic<bool>*> g_defer_to{nullptr};
std::atomic<int> g_deferred{0};
static_assert(std::atomic<std::atomic<bool>*>::is_always_lock_free, "the signal handler reads it");

extern "C" void on_signal(int sig) {
  if (g_signals.fetch_add(1) > 0) _exit(128 + sig);
  const int why = int(sig == SIGINT ? StopReason::Interrupt : StopReason::Terminate);
  if (std::atomic<bool>* flag = g_defer_to.load()) {
    g_deferred.store(why);
    flag->store(true);
    const char* msg = "entmc: signal: writing a checkpoint at this level's end, then the reports; again to exit at once\n";
    ssize_t ignored = write(STDERR_FILENO, msg, std::strlen(msg));
    (void)ignored;
    return;
  }
  int expected = 0;
  detail::g_stop.compare_exchange_strong(expected, why);
  // A different signal after a time limit fired still means "stop now": the
  // run is stopping already, the signal only makes it louder.
  const char* msg = sig == SIGINT
                        ? "entmc: interrupted (SIGINT): stopping and writing the reports; again to exit at once\n"
                        : "entmc: terminated (SIGTERM): stopping and writing the reports; again to exit at once\n";
  ssize_t ignored = write(STDERR_FILENO, msg, std::strlen(msg));
  (void)ignored;
}

}  // namespace

void request_stop(StopReason why) {
  int expected = 0;
  detail::g_stop.compare_exchange_strong(expected, int(why));
}

void clear_stop_request() {
  detail::g_stop = 0;
  g_signals = 0;
  g_deferred = 0;
}

void defer_signals_to(std::atomic<bool>* flag) { g_defer_to.store(flag); }

StopReason deferred_signal() { return StopReason(g_deferred.load()); }

std::string stop_description(StopReason why) {
  switch (why) {
    case StopReason::Interrupt: return "interrupted (SIGINT)";
    case StopReason::Terminate: return "terminated (SIGTERM)";
    case StopReason::TimeLimit: return "time-limit";
    case StopReason::Memory: return "memory";
    case StopReason::None: break;
  }
  return "";
}

int stop_exit_code(StopReason why) {
  switch (why) {
    case StopReason::Interrupt: return 128 + SIGINT;
    case StopReason::Terminate: return 128 + SIGTERM;
    case StopReason::TimeLimit:
    case StopReason::Memory: return 3;
    case StopReason::None: break;
  }
  return 0;
}

void install_signal_handlers() {
  struct sigaction sa{};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

Deadline::Deadline(double seconds) {
  if (!(seconds > 0)) return;
  thread_ = std::thread([this, seconds] {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return done_; }))
      request_stop(StopReason::TimeLimit);
  });
}

Deadline::~Deadline() {
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace entmc::util
