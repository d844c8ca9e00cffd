// Running a shell command line in a test: its exit code, stdout and stderr
// (stderr through a scratch file named after the test binary's `tag` and pid,
// so concurrent test binaries do not share it).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace entmc::test {

struct ShellResult {
  int code;
  std::string out, err;
};

inline std::string scratch_path(const std::string& tag, const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("entmc_" + tag + "_" + std::to_string(getpid()) + "_" + name))
      .string();
}

inline ShellResult shell_run(const std::string& command, const std::string& tag) {
  const std::string err = scratch_path(tag, "stderr.txt");
  FILE* p = popen((command + " 2>" + err).c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  std::ifstream in(err);
  std::stringstream ss;
  ss << in.rdbuf();
  std::filesystem::remove(err);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, ss.str()};
}

}  // namespace entmc::test
