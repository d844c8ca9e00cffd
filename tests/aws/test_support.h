// Test support for tests/aws: running the entmc binary and temporary files.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace entmc::test {

struct Result {
  int code;
  std::string out;  // stdout and stderr together
};

inline Result entmc(const std::string& args) {
  std::string cmd = std::string(ENTMC_BIN) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

inline std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("entmc_aws_test_" + std::to_string(getpid()) + "_" + name)).string();
}

inline std::string temp_file(const std::string& name, const std::string& text) {
  std::string path = temp_path(name);
  std::ofstream(path) << text;
  return path;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline const std::string kFixtures = std::string(ENTMC_SOURCE_DIR) + "/tests/aws/fixtures";

}  // namespace entmc::test
