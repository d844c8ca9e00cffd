// Shared by the report tests that run entmc as a process in a scratch folder
// and read back the files it writes (junit_test.cpp: --junit against the
// JUnit schema; html_browser_test.cpp: --html in headless Chromium).
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace entmc::report_test {

inline const std::string kSource = ENTMC_SOURCE_DIR;

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The exit status of `cmd` run by /bin/sh (-1 when it did not exit).
inline int shell(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline size_t count(const std::string& text, const std::string& what) {
  size_t k = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++k;
  return k;
}

// A test with its own scratch folder (removed after it), in which entmc runs.
class ScratchTest : public testing::Test {
 protected:
  void make_scratch(const std::string& name) {
    dir_ = (std::filesystem::temp_directory_path() / (name + "_" + std::to_string(getpid()))).string();
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  // `bin args` in the scratch folder with the planted bug `bug` (entmc-planted;
  // empty: none), its output discarded; its exit status.
  int run_in_scratch(const std::string& bin, const std::string& bug, const std::string& args) const {
    return shell("cd " + dir_ + " && ENTMC_PLANTED_BUG=" + bug + " " + bin + " " + args + " >/dev/null 2>&1");
  }
  std::string dir_;
};

}  // namespace entmc::report_test
