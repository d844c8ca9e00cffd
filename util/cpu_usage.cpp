#include "util/cpu_usage.h"

#include <sys/resource.h>

namespace entmc::util {

CpuUsage cpu_usage() {
  rusage ru{};
  if (getrusage(RUSAGE_SELF, &ru) != 0) return {};
  auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) * 1e-6; };
  return {seconds(ru.ru_utime), seconds(ru.ru_stime), uint64_t(ru.ru_minflt) + uint64_t(ru.ru_majflt)};
}

}  // namespace entmc::util
