// `entmc check --links disk` end to end: the shipped models give the same
// verdict, figures, coverage and covers as the links in RAM; a planted bug
// gives the same counterexample files, byte for byte, which replay to the
// violation; the work directory is left empty; the options it cannot go with
// exit 2 with a message, and so does a work directory that cannot be made.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "shell_run.h"

namespace {

using nlohmann::json;
using Result = entmc::test::ShellResult;

std::string temp_path(const std::string& name) { return entmc::test::scratch_path("links_cli", name); }
Result run(const std::string& cmd) { return entmc::test::shell_run(cmd, "links_cli"); }
std::string model(const std::string& name) { return std::string(ENTMC_SOURCE_DIR) + "/scenarios/models/" + name; }
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void expect_same_report(const std::string& file, const std::string& options) {
  const std::string dir = temp_path("work");
  std::filesystem::create_directories(dir);
  const std::string bin = ENTMC_BIN;
  const Result ram = run(bin + " check " + file + " --json -q " + options);
  const Result disk = run(bin + " check " + file + " --json -q --links disk --work-dir " + dir + " " + options);
  ASSERT_EQ(ram.code, 0) << ram.err;
  ASSERT_EQ(disk.code, 0) << disk.err;
  const json a = json::parse(ram.out), b = json::parse(disk.out);
  EXPECT_EQ(a["verdict"], b["verdict"]);
  for (const char* k : {"states", "transitions", "depth", "constrained_states"})
    EXPECT_EQ(a["statistics"][k], b["statistics"][k]) << k;
  EXPECT_EQ(a["check"]["coverage"], b["check"]["coverage"]);
  EXPECT_EQ(a["check"]["cover"], b["check"]["cover"]);
  EXPECT_EQ(a["statistics"]["links"], "ram");
  EXPECT_EQ(b["statistics"]["links"], "disk");
  EXPECT_GT(b["statistics"]["trace_file_bytes"].get<uint64_t>(), 0u);
  // 8 bytes a slot for the closed levels against 12: fewer bytes per state
  // once the tables are past their start sizes.
  if (a["statistics"]["states"].get<uint64_t>() > 1000000) {
    EXPECT_LT(b["statistics"]["bytes_per_state"].get<double>(), a["statistics"]["bytes_per_state"].get<double>());
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));  // the trace file was unlinked when made
  std::filesystem::remove_all(dir);
}

TEST(LinksCli, SmallModelAsWithLinksInRam) {
  expect_same_report(model("small.yaml"), "-j 1");
  expect_same_report(model("small.yaml"), "-j 2");
}

TEST(LinksCli, PeerModelAsWithLinksInRam) {
#ifdef ENTMC_SANITIZED_BUILD
  GTEST_SKIP() << "whole peer model: too slow under sanitizers (tests/engine/links_disk_test.cpp runs there)";
#endif
  expect_same_report(model("peer-submodel.yaml"), "-j 2 --no-symmetry");
}

// A planted bug, every violation (-k): the counterexample files of both runs
// are the same bytes, and each replays to its violation.
TEST(LinksCli, PlantedBugSameCounterexampleFiles) {
  const std::string env = "ENTMC_PLANTED_BUG=reject-anything ";
  const std::string bin = ENTMC_PLANTED_BIN;
  for (const char* threads : {"1", "2"}) {
    const std::string ta = temp_path("ram.yaml"), tb = temp_path("disk.yaml");
    const std::string args = " check " + model("small.yaml") + " --json -q -k -j " + threads + " --trace-out ";
    const Result ram = run(env + bin + args + ta);
    const Result disk = run(env + bin + args + tb + " --links disk");
    ASSERT_EQ(ram.code, 1) << ram.err;
    ASSERT_EQ(disk.code, 1) << disk.err;
    const json a = json::parse(ram.out), b = json::parse(disk.out);
    ASSERT_EQ(a["failures"].size(), b["failures"].size());
    ASSERT_GT(b["failures"].size(), 0u);
    for (size_t i = 0; i < a["failures"].size(); ++i) {
      const json &fa = a["failures"][i], &fb = b["failures"][i];
      EXPECT_EQ(fa["property"], fb["property"]);
      EXPECT_EQ(fa["step"], fb["step"]);
      ASSERT_TRUE(fa.contains("scenario") && fb.contains("scenario"));
      const std::string pa = fa["scenario"], pb = fb["scenario"];
      EXPECT_EQ(slurp(pa), slurp(pb)) << pa << " " << pb;
      const Result replay = run(env + bin + " replay " + pb);
      EXPECT_EQ(replay.code, 1) << pb << "\n" << replay.out << replay.err;
      EXPECT_NE(replay.out.find(fb["property"].get<std::string>()), std::string::npos) << replay.out;
      std::filesystem::remove(pa);
      std::filesystem::remove(pb);
    }
  }
}

TEST(LinksCli, RefusedCombinationsAndBadWorkDirExitTwo) {
  const std::string base = std::string(ENTMC_BIN) + " check " + model("small.yaml") + " -q --links disk";
  for (const auto& [extra, word] : {std::pair<std::string, std::string>{" --exact", "--exact"},
                                    {" --frontier disk", "--frontier disk"},
                                    {" --mpi", "--mpi"}}) {
    const Result r = run(base + extra);
    EXPECT_EQ(r.code, 2) << extra << "\n" << r.err;
    EXPECT_NE(r.err.find("--links disk is not available with " + word), std::string::npos) << r.err;
  }
  Result r = run(base + " --work-dir /proc/entmc-no-such-dir");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("trace file"), std::string::npos) << r.err;
  r = run(std::string(ENTMC_BIN) + " check " + model("small.yaml") + " -q --links tape");
  EXPECT_EQ(r.code, 2);
}

}  // namespace
