// `entmc check --frontier disk` end to end, on the shipped models: the same
// verdict, distinct states, transitions, depth, coverage and cover depths as
// the in-RAM frontier; its work directory is left empty; bad options exit 2;
// --disk stops a run with exit 3.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "shell_run.h"

namespace {

using nlohmann::json;

using Result = entmc::test::ShellResult;

std::string temp_path(const std::string& name) { return entmc::test::scratch_path("frontier_cli", name); }

Result entmc(const std::string& args) {
  return entmc::test::shell_run(std::string(ENTMC_BIN) + " " + args, "frontier_cli");
}

std::string model(const std::string& name) { return std::string(ENTMC_SOURCE_DIR) + "/scenarios/models/" + name; }

void expect_same_report(const std::string& file, const std::string& options) {
  const std::string dir = temp_path("work");
  std::filesystem::create_directories(dir);
  const Result ram = entmc("check " + file + " --json -q " + options);
  const Result disk = entmc("check " + file + " --json -q --frontier disk --work-dir " + dir + " " + options);
  ASSERT_EQ(ram.code, disk.code) << disk.err;
  const json a = json::parse(ram.out), b = json::parse(disk.out);
  EXPECT_EQ(a["verdict"], b["verdict"]);
  for (const char* k : {"states", "transitions", "depth", "constrained_states"})
    EXPECT_EQ(a["statistics"][k], b["statistics"][k]) << k;
  EXPECT_EQ(a["check"]["coverage"], b["check"]["coverage"]);
  EXPECT_EQ(a["check"]["cover"], b["check"]["cover"]);
  EXPECT_EQ(a["check"]["grant_statuses_reached"], b["check"]["grant_statuses_reached"]);
  EXPECT_EQ(b["statistics"]["frontier"], "disk");
  EXPECT_GT(b["statistics"]["peak_disk_bytes"].get<uint64_t>(), 0u);
  EXPECT_TRUE(std::filesystem::is_empty(dir));  // the run's own directory in it is gone
  std::filesystem::remove_all(dir);
}

TEST(FrontierCli, SmallModelOnDiskAsInRam) {
  expect_same_report(model("small.yaml"), "-j 1");
  expect_same_report(model("small.yaml"), "-j 2 --frontier-zstd 0");
}

// The two whole-model comparisons take 6-11 minutes each in the ASan+UBSan
// Debug build (ENTMC_SANITIZED_BUILD), so that build skips them; the same code
// runs under the sanitizers in tests/engine/frontier_disk_test.cpp and in the
// small-model case above, and these two run in every other build.
TEST(FrontierCli, DefaultModelOnDiskAsInRam) {
#ifdef ENTMC_SANITIZED_BUILD
  GTEST_SKIP() << "whole default model: too slow under sanitizers (covered by the werror stage)";
#endif
  expect_same_report(model("default.yaml"), "-j 2");
}

TEST(FrontierCli, PeerModelOnDiskAsInRam) {
#ifdef ENTMC_SANITIZED_BUILD
  GTEST_SKIP() << "whole peer model: too slow under sanitizers (covered by the werror stage)";
#endif
  expect_same_report(model("peer-submodel.yaml"), "-j 2 --no-symmetry");
}

TEST(FrontierCli, BadOptionsExitTwoAndTheDiskLimitExitsThree) {
  Result r = entmc("check " + model("small.yaml") + " -q --frontier disk --disk lots");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--disk 'lots'"), std::string::npos) << r.err;
  r = entmc("check " + model("small.yaml") + " -q --frontier tape");
  EXPECT_EQ(r.code, 2);
  r = entmc("check " + model("small.yaml") + " -q --frontier disk --work-dir /proc/no-such-dir");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("work directory"), std::string::npos) << r.err;
  r = entmc("check " + model("small.yaml") + " --json -q --frontier disk --disk 4K");
  EXPECT_EQ(r.code, 3) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["check"]["limit"], "disk");
  EXPECT_EQ(j["verdict"], "limit");
}

}  // namespace
