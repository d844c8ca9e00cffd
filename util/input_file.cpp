#include "util/input_file.h"

#include <fmt/format.h>
#include <sys/stat.h>


namespace entmc::util {

std::string input_problem(const std::string& path, uint64_t max_bytes) {
  struct stat st{};
  if (stat(path.c_str(), &st) != 0) return "";  // missing: the reader's own open reports it
  if (S_ISDIR(st.st_mode)) return "is a directory, not a file";
  if (!S_ISREG(st.st_mode)) return "is not a regular file (a device, FIFO or socket); entmc reads regular files only";
  if (uint64_t(st.st_size) > max_bytes)
    return fmt::format("is {:.1f} MiB; input files are limited to {} MiB", double(st.st_size) / (1 << 20),
                       max_bytes >> 20);
  return "";
}

}  // namespace entmc::util
