// Every command that finds a failure prints a rerun line with every option
// that matters, and running that line finds the same failure (issue 19). The
// product's rules violate nothing, so the commands run as entmc-planted (the
// same command line with a planted bug, entmc_planted_main.cpp).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>

namespace {

struct Result {
  int code;
  std::string out;
};

Result run(const std::string& bug, const std::string& command_line) {
  const std::string cmd = "cd " + std::filesystem::temp_directory_path().string() + " && ENTMC_PLANTED_BUG=" + bug +
                          " " + command_line + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// The printed line after `label`, with `entmc` swapped for the planted binary.
std::string printed_command(const std::string& out, const std::string& label) {
  const size_t at = out.find(label);
  if (at == std::string::npos) return "";
  const size_t from = at + label.size(), to = out.find('\n', from);
  std::string line = out.substr(from, to - from);
  line.erase(0, line.find_first_not_of(' '));
  if (line.rfind("entmc ", 0) != 0) return "";
  return std::string(ENTMC_PLANTED_BIN) + line.substr(5);
}

std::string first_match(const std::string& text, const std::string& pattern) {
  std::smatch m;
  return std::regex_search(text, m, std::regex(pattern)) ? m[0].str() : "";
}

std::string temp_dir(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("entmc_rerun_" + std::to_string(getpid()) + "_" + name);
  std::filesystem::create_directories(d);
  return d.string();
}

const std::string kSource = ENTMC_SOURCE_DIR;
const std::string kBin = ENTMC_PLANTED_BIN;

TEST(Rerun, CheckLineFindsTheSameViolation) {
  const std::string dir = temp_dir("check");
  const Result first = run("accept-keeps-version", kBin + " check " + kSource +
                                                       "/scenarios/models/small.yaml --no-symmetry --max-depth 9 -j 1 "
                                                       "-q --trace-out " + dir + "/cex.yaml");
  ASSERT_EQ(first.code, 1) << first.out;
  const std::string again = printed_command(first.out, "rerun:");
  ASSERT_FALSE(again.empty()) << first.out;
  EXPECT_NE(again.find("--no-symmetry"), std::string::npos) << again;
  EXPECT_NE(again.find("--max-depth 9"), std::string::npos) << again;
  const Result second = run("accept-keeps-version", again + " -q");
  EXPECT_EQ(second.code, 1) << second.out;
  const std::string violation = first_match(first.out, "VIOLATION [^\n]*");
  ASSERT_FALSE(violation.empty());
  EXPECT_EQ(first_match(second.out, "VIOLATION [^\n]*"), violation);
  EXPECT_EQ(first_match(second.out, "shortest trace[^]*?written"), first_match(first.out, "shortest trace[^]*?written"));

  // The replay line replays the written trace into the same property.
  const std::string replay = printed_command(first.out, "replay it:");
  ASSERT_FALSE(replay.empty()) << first.out;
  const Result replayed = run("accept-keeps-version", replay);
  EXPECT_EQ(replayed.code, 1) << replayed.out;
  EXPECT_NE(replayed.out.find("grant-version-monotonic"), std::string::npos) << replayed.out;
  EXPECT_FALSE(printed_command(replayed.out, "rerun:").empty()) << replayed.out;
  std::filesystem::remove_all(dir);
}

TEST(Rerun, FuzzLineKeepsEveryOptionAndFindsTheSameFailure) {
  const std::string dir = temp_dir("fuzz");
  const Result first = run("delete-stops-workloads", kBin + " fuzz --runs 400 --seed 5 --max-steps 30 --max-members 3 "
                                                           "--wrong-percent 7 --out " + dir);
  ASSERT_EQ(first.code, 1) << first.out;
  const std::string again = printed_command(first.out, "rerun the run:");
  ASSERT_FALSE(again.empty()) << first.out;
  for (const char* opt : {"--max-steps 30", "--max-members 3", "--wrong-percent 7", "--runs 1"})
    EXPECT_NE(again.find(opt), std::string::npos) << opt << " dropped: " << again;
  const Result second = run("delete-stops-workloads", again);
  EXPECT_EQ(second.code, 1) << second.out;
  // The same shrunk failure: the same violated line and the same steps.
  const std::string shrunk = first_match(first.out, "shrunk to [^]*?\nwrote");
  ASSERT_FALSE(shrunk.empty()) << first.out;
  EXPECT_EQ(first_match(second.out, "shrunk to [^]*?\nwrote"), shrunk);
  std::filesystem::remove_all(dir);
}

TEST(Rerun, SimulateLineFindsTheSameViolation) {
  const std::string dir = temp_dir("simulate");
  const Result first = run("leave-keeps-org-children", kBin + " simulate " + kSource +
                                                           "/scenarios/sim/small.yaml --events 60000 --accounts 300 "
                                                           "--seed 3 --no-progress --shrink-seconds 5 --violation-out " +
                                                           dir + "/v");
  ASSERT_EQ(first.code, 1) << first.out;
  const std::string again = printed_command(first.out, "rerun:");
  ASSERT_FALSE(again.empty()) << first.out;
  const Result second = run("leave-keeps-org-children", again + " --no-progress --shrink-seconds 5");
  EXPECT_EQ(second.code, 1) << second.out;
  const std::string violation = first_match(first.out, "VIOLATION of [^\n]*");
  ASSERT_FALSE(violation.empty()) << first.out;
  EXPECT_EQ(first_match(second.out, "VIOLATION of [^\n]*"), violation);
  // The shrunk file replays into the same property.
  const std::string replay = printed_command(first.out, "replay it:");
  ASSERT_FALSE(replay.empty()) << first.out;
  const Result replayed = run("leave-keeps-org-children", replay);
  EXPECT_EQ(replayed.code, 1) << replayed.out;
  EXPECT_NE(replayed.out.find("org-grant-covers-members"), std::string::npos) << replayed.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
