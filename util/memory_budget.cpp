#include "util/memory_budget.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>

#include "util/format.h"

namespace entmc::util {
namespace {

uint64_t read_limit(const char* path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return 0;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + uint64_t(c - '0');
    if (v > (1ull << 62)) return 0;  // cgroup v1 writes a huge number for "no limit"
  }
  return v;
}

}  // namespace

uint64_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
  return pages > 0 && size > 0 ? uint64_t(pages) * uint64_t(size) : 0;
}

uint64_t cgroup_memory_limit_bytes() {
  if (uint64_t v = read_limit("/sys/fs/cgroup/memory.max")) return v;
  return read_limit("/sys/fs/cgroup/memory/memory.limit_in_bytes");
}

uint64_t default_memory_limit_bytes() {
  uint64_t m = physical_memory_bytes();
  if (const uint64_t c = cgroup_memory_limit_bytes(); c && (!m || c < m)) m = c;
  return m ? m / 2 : (1ull << 30);
}

std::string default_memory_limit_text() {
  const uint64_t c = cgroup_memory_limit_bytes();
  return fmt::format("half of min(physical memory {}, cgroup limit {}) = {}", bytes_text(physical_memory_bytes()),
                     c ? bytes_text(c) : std::string("none"), bytes_text(default_memory_limit_bytes()));
}

uint64_t current_rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * uint64_t(sysconf(_SC_PAGESIZE));
}

uint64_t peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return uint64_t(ru.ru_maxrss) * 1024;
}

std::string parse_size(const std::string& text, uint64_t& out) {
  std::string s = text;
  std::string why;
  try {
    why = CLI::AsSizeValue(false)(s);
  } catch (const std::exception& e) {  // CLI11 throws for overflow and unknown units
    why = e.what();
  }
  if (!why.empty() || s.empty() || s[0] == '-' || text.find('-') != std::string::npos)
    return fmt::format("'{}' is not a size such as 512M or 4G (whole numbers; K, M, G, T in units of 1024)", text);
  uint64_t v = 0;
  if (!CLI::detail::lexical_cast(s, v)) return fmt::format("'{}' is too large", text);
  if (v == 0) return fmt::format("'{}' is zero; give a positive size such as 512M", text);
  out = v;
  return "";
}

}  // namespace entmc::util
