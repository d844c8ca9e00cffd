// Input files are read whole into memory, so before reading one: it must be
// a regular file (not /dev/zero, a FIFO or a directory) of at most
// kMaxInputBytes. Models and configurations are a few kilobytes; the cap
// only stops a wrong path from reading gigabytes.
#pragma once

#include <cstdint>
#include <string>

namespace entmc::util {

inline constexpr uint64_t kMaxInputBytes = 64ull << 20;

// "" when `path` may be read (or does not exist: the reader says so), else
// why not (without the path).
std::string input_problem(const std::string& path, uint64_t max_bytes = kMaxInputBytes);

}  // namespace entmc::util
