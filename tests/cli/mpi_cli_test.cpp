// `mpirun -np N entmc check` (engine/distributed_explorer.h) against one
// process, through the binaries: the CI models (depth-bounded, to stay cheap)
// and the small model with 1 process, `mpirun -np 1 --mpi`, `-np 2` and
// `-np 3` (oversubscribed on a 2-core machine) must give identical verdicts,
// distinct states, transitions, depths, coverage, cover results and statuses;
// with a planted bug (entmc-planted) the same failures with traces of the same
// length, written by rank 0 and replaying to the same violation. Built only
// with MPI, and not in the sanitizer build (Open MPI's own allocations are
// reported as leaks by LeakSanitizer; the explorer's code under MPI is the
// single-process explorer's, which the sanitizer stage covers).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "shell_run.h"

namespace {

using nlohmann::json;

using Result = entmc::test::ShellResult;

std::string temp_path(const std::string& name) { return entmc::test::scratch_path("mpi_cli", name); }

Result run(const std::string& command) { return entmc::test::shell_run(command, "mpi_cli"); }

// Running as root (containers, CI) needs Open MPI's consent; harmless otherwise.
std::string mpirun(unsigned np, const std::string& env = "") {
  const std::string var = env.substr(0, env.find('='));
  return "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 " + env + " " + std::string(ENTMC_MPIEXEC) +
         " --oversubscribe -np " + std::to_string(np) + (env.empty() ? "" : " -x " + var);
}

std::string model(const std::string& name) { return std::string(ENTMC_SOURCE_DIR) + "/scenarios/models/" + name; }

void expect_same(const json& a, const json& b, const std::string& what) {
  EXPECT_EQ(a["verdict"], b["verdict"]) << what;
  for (const char* k : {"states", "transitions", "depth", "constrained_states"})
    EXPECT_EQ(a["statistics"][k], b["statistics"][k]) << what << ": " << k;
  for (const char* k : {"coverage", "cover", "grant_statuses_reached", "license_statuses_reached", "limit"})
    EXPECT_EQ(a["check"][k], b["check"][k]) << what << ": " << k;
}

// One process (the frontier in RAM), then the same check under mpirun with
// each rank count (1: with --mpi), with `mpi_options` added there (e.g.
// --frontier disk: then each rank's work directory is left empty).
void expect_same_across_ranks(const std::string& file, const std::string& options, int code,
                              std::initializer_list<unsigned> ranks = {2, 3}, const std::string& mpi_options = "",
                              const std::string& env = "") {
  const std::string args = " check " + file + " --json -q " + options;
  const Result one = run(std::string(ENTMC_BIN) + args + " -j 1");
  ASSERT_EQ(one.code, code) << one.err;
  const json a = json::parse(one.out);
  const bool disk = mpi_options.find("--frontier disk") != std::string::npos;
  const std::string dir = temp_path("work");
  for (unsigned np : ranks) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const Result many = run(mpirun(np, env) + " " + ENTMC_BIN + args + (np == 1 ? " --mpi " : " ") + mpi_options +
                            (disk ? " --work-dir " + dir : ""));
    const std::string what = file + " " + options + " " + mpi_options + " -np " + std::to_string(np);
    ASSERT_EQ(many.code, code) << what << "\n" << many.err;
    const json b = json::parse(many.out);  // one document: rank 0 alone prints
    expect_same(a, b, what);
    EXPECT_EQ(b["statistics"]["mpi_ranks"], np) << what;
    if (np > 1) EXPECT_GT(b["statistics"]["mpi_wire_bytes"].get<uint64_t>(), 0u) << what;
    if (disk) {
      EXPECT_EQ(b["statistics"]["frontier"], "disk") << what;
      EXPECT_TRUE(std::filesystem::is_empty(dir)) << what;  // every rank's directory is gone
    }
  }
  std::filesystem::remove_all(dir);
}

// The CI models to depth 4 (a few hundred to 36 k states: each mpirun
// start costs about a second, so the models' full sizes stay with the
// single-process CI model set).
TEST(MpiCli, DelegatedAdminAsOneProcess) { expect_same_across_ranks(model("ci/delegated-admin.yaml"), "--max-depth 4", 3); }
TEST(MpiCli, GrantsTwoProductsAsOneProcess) {
  expect_same_across_ranks(model("ci/grants-two-products.yaml"), "--max-depth 4", 3);
}
TEST(MpiCli, LiveDistributionAsOneProcess) {
  expect_same_across_ranks(model("ci/live-distribution.yaml"), "--max-depth 4", 3);
}
TEST(MpiCli, PrerequisitesGovcloudAsOneProcess) {
  expect_same_across_ranks(model("ci/prerequisites-govcloud.yaml"), "--max-depth 4", 3);
}

TEST(MpiCli, SmallModelExhaustedAsOneProcess) { expect_same_across_ranks(model("small.yaml"), "", 0, {1, 2, 3}); }

// --frontier disk under mpirun (each rank's frontier in its own files)
// against one process with the frontier in RAM.
TEST(MpiCli, DiskFrontierDelegatedAdminAsOneProcessInRam) {
  expect_same_across_ranks(model("ci/delegated-admin.yaml"), "--max-depth 4", 3, {1, 2, 3}, "--frontier disk");
}
TEST(MpiCli, DiskFrontierGrantsTwoProductsAsOneProcessInRam) {
  expect_same_across_ranks(model("ci/grants-two-products.yaml"), "--max-depth 4", 3, {1, 2, 3}, "--frontier disk");
}
TEST(MpiCli, DiskFrontierLiveDistributionAsOneProcessInRam) {
  expect_same_across_ranks(model("ci/live-distribution.yaml"), "--max-depth 4", 3, {1, 2, 3}, "--frontier disk");
}
TEST(MpiCli, DiskFrontierPrerequisitesGovcloudAsOneProcessInRam) {
  expect_same_across_ranks(model("ci/prerequisites-govcloud.yaml"), "--max-depth 4", 3, {1, 2, 3}, "--frontier disk");
}
TEST(MpiCli, DiskFrontierSmallModelExhaustedAsOneProcessInRam) {
  expect_same_across_ranks(model("small.yaml"), "", 0, {1, 2, 3}, "--frontier disk --frontier-zstd 0");
}

// Threads inside the ranks (-j 2 under mpirun) against one process with one
// thread: the CI models to depth 4 with 2 and 3 ranks, on disk too; the
// small model with 1 and 2 ranks; and large.yaml to depth 5 (160,767
// states) with a first table of 2^10 slots (ENTMC_MPI_TABLE_LOG2), so that
// every rank grows its table many times while its threads expand and its
// MPI thread stores the states that arrive.
TEST(MpiCli, ThreadsInRanksCiModelsAsOneProcess) {
  for (const char* m : {"ci/delegated-admin.yaml", "ci/grants-two-products.yaml", "ci/live-distribution.yaml",
                        "ci/prerequisites-govcloud.yaml"})
    expect_same_across_ranks(model(m), "--max-depth 4", 3, {2, 3}, "-j 2");
}
TEST(MpiCli, ThreadsInRanksDiskFrontierAsOneProcess) {
  expect_same_across_ranks(model("ci/grants-two-products.yaml"), "--max-depth 4", 3, {2}, "-j 2 --frontier disk");
  expect_same_across_ranks(model("small.yaml"), "", 0, {1, 2}, "-j 3 --frontier disk");
}
TEST(MpiCli, ThreadsInRanksSmallModelAsOneProcess) {
  expect_same_across_ranks(model("small.yaml"), "", 0, {1, 2}, "-j 2");
}
TEST(MpiCli, ThreadsInRanksTableGrowthsAsOneProcess) {
  expect_same_across_ranks(model("large.yaml"), "--max-depth 5", 3, {2}, "-j 2", "ENTMC_MPI_TABLE_LOG2=10");
  expect_same_across_ranks(model("large.yaml"), "--max-depth 5", 3, {2}, "-j 2 --frontier disk",
                           "ENTMC_MPI_TABLE_LOG2=10");
}

// --disk is per rank; a rank over it stops every rank at that level's end,
// as one process does (exit 3, limit "disk"), and the files are removed.
TEST(MpiCli, DiskLimitStopsEveryRank) {
  const std::string dir = temp_path("disklimit");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string args = " check " + model("small.yaml") + " --json -q --frontier disk --disk 4K --work-dir " + dir;
  const Result one = run(std::string(ENTMC_BIN) + args);
  ASSERT_EQ(one.code, 3) << one.err;
  for (unsigned np : {2u, 3u}) {
    const Result r = run(mpirun(np) + " " + ENTMC_BIN + args);
    ASSERT_EQ(r.code, 3) << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["check"]["limit"], "disk");
    EXPECT_EQ(j["verdict"], "limit");
    EXPECT_FALSE(j["check"]["exhausted"]);
    EXPECT_TRUE(std::filesystem::is_empty(dir));
  }
  std::filesystem::remove_all(dir);
}

TEST(MpiCli, DiskFrontierWorkDirThatCannotBeMadeExitsTwo) {
  const Result r = run(mpirun(2) + " " + ENTMC_BIN + " check " + model("small.yaml") +
                       " -q --frontier disk --work-dir /proc/no-such-dir");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("work directory"), std::string::npos) << r.err;
}

TEST(MpiCli, MaxStatesStopsEveryRank) {
  const Result r = run(mpirun(3) + " " + ENTMC_BIN + " check " + model("small.yaml") + " --json -q --max-states 500");
  ASSERT_EQ(r.code, 3) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["check"]["limit"], "max-states");
  EXPECT_GE(j["statistics"]["states"].get<uint64_t>(), 500u);
}

// The cap holds mid-level: each rank stops at its share of it, so the run
// passes it by the batches in flight only. Checked at level ends alone, this
// run went to the end of level 6 (1,470,798 states).
TEST(MpiCli, MaxStatesHoldsWithinALevel) {
  for (const unsigned np : {2u, 3u}) {
    const Result r = run(mpirun(np) + " " + ENTMC_BIN + " check " + model("large.yaml") + " --json -q --max-states 200000");
    ASSERT_EQ(r.code, 3) << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j["check"]["limit"], "max-states");
    const auto states = j["statistics"]["states"].get<uint64_t>();
    EXPECT_GE(states, 200000u * 9 / 10) << np << " ranks";
    EXPECT_LE(states, 200000u + 20000u) << np << " ranks";
  }
  // The largest cap stops nothing (its share must not wrap to 0).
  const Result all = run(mpirun(2) + " " + ENTMC_BIN + " check " + model("small.yaml") +
                         " --json -q --max-states 18446744073709551615");
  ASSERT_EQ(all.code, 0) << all.err;
  EXPECT_TRUE(json::parse(all.out)["check"]["exhausted"]);
}

// A stop request on the ranks (here --time-limit; SIGTERM sent to a rank is
// the same path) stops every rank at the same level, with one report.
TEST(MpiCli, TimeLimitStopsEveryRank) {
  const Result r = run(mpirun(2) + " " + ENTMC_BIN + " check " + model("large.yaml") + " --json -q --time-limit 1");
  ASSERT_EQ(r.code, 3) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["check"]["limit"], "time-limit");
  EXPECT_FALSE(j["check"]["exhausted"]);
}

TEST(MpiCli, TextReportFromRankZeroOnly) {
  const Result r = run(mpirun(2) + " " + ENTMC_BIN + " check " + model("small.yaml") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("PASS:"), r.out.rfind("PASS:"));
  EXPECT_NE(r.out.find("MPI               2 ranks"), std::string::npos) << r.out;
}

TEST(MpiCli, UnsupportedOptionsRefused) {
  for (const char* o : {"--exact"}) {
    const Result r = run(mpirun(2) + " " + ENTMC_BIN + " check " + model("small.yaml") + " -q " + o);
    EXPECT_EQ(r.code, 2) << o << "\n" << r.err;
    EXPECT_NE(r.err.find("not supported under MPI"), std::string::npos) << r.err;
  }
}

// The failures (property -> trace length) of a planted bug.
std::map<std::string, size_t> failures(const json& j) {
  std::map<std::string, size_t> f;
  for (const auto& x : j["failures"]) f[x["property"]] = x["step"];
  return f;
}

// A checkpoint under mpirun: every rank writes its part at each level's end
// (--checkpoint-every 0), the run stops at --max-depth 3, and the resumed
// run ends with the figures of an uninterrupted one; with the planted bug and
// -k, the reports made before the checkpoint come back with their traces.
// Another rank count is refused.
void checkpoint_taken_and_resumed(const std::string& frontier) {
  for (const std::string bug : {"", "reject-anything"}) {
    const std::string env = bug.empty() ? "" : "ENTMC_PLANTED_BUG=" + bug;
    const std::string bin = bug.empty() ? ENTMC_BIN : ENTMC_PLANTED_BIN;
    const std::string ck = temp_path("ck" + bug);
    std::filesystem::remove_all(ck);
    const std::string args = " check " + model("small.yaml") + " --json -q" + (bug.empty() ? "" : " -k") + frontier;
    const int code = bug.empty() ? 0 : 1;
    const Result full = run(mpirun(2, env) + " " + bin + args);
    ASSERT_EQ(full.code, code) << full.err;
    const Result part =
        run(mpirun(2, env) + " " + bin + args + " --checkpoint " + ck + " --checkpoint-every 0 --max-depth 3");
    ASSERT_TRUE(part.code == 3 || (!bug.empty() && part.code == 1)) << part.code << "\n" << part.err;  // the depth limit
    EXPECT_TRUE(std::filesystem::exists(ck + "/CURRENT"));
    const Result resumed = run(mpirun(2, env) + " " + bin + args + " --resume " + ck + " --checkpoint " + ck);
    ASSERT_EQ(resumed.code, code) << resumed.err;
    const json a = json::parse(full.out), b = json::parse(resumed.out);
    expect_same(a, b, "resumed " + bug);
    EXPECT_EQ(failures(a), failures(b)) << bug;
    const Result other = run(mpirun(3, env) + " " + bin + args + " --resume " + ck);
    EXPECT_EQ(other.code, 2) << other.err;
    EXPECT_NE(other.err.find("ranks"), std::string::npos) << other.err;
    for (const auto* j : {&a, &b})
      for (const auto& f : (*j)["failures"])
        if (f.contains("scenario")) std::filesystem::remove(f["scenario"].get<std::string>());
    std::filesystem::remove_all(ck);
  }
}
TEST(MpiCli, CheckpointTakenAndResumedUnderMpi) { checkpoint_taken_and_resumed(""); }
// With the frontier on disk and two threads per rank: each rank's part holds its frontier's records,
// which the resumed rank streams back into its own files.
TEST(MpiCli, CheckpointTakenAndResumedUnderMpiWithDiskFrontierAndThreads) {
  checkpoint_taken_and_resumed(" --frontier disk -j 2");
}

// Each trace file replayed: the same violation.
void expect_replays(const std::string& bug, const std::string& trace, const std::string& property) {
  const Result r = run("ENTMC_PLANTED_BUG=" + bug + " " + ENTMC_PLANTED_BIN + " replay " + trace);
  EXPECT_EQ(r.code, 1) << trace << "\n" << r.out << r.err;
  EXPECT_NE(r.out.find(property), std::string::npos) << r.out;
}

// `mpi_options` added under mpirun (one process keeps the frontier in RAM).
void planted_bugs_same_shortest_traces(const std::string& mpi_options, std::initializer_list<unsigned> ranks) {
  // The first violation alone, and every violation (-k).
  for (const auto& [bug, keep] : {std::pair<std::string, std::string>{"accept-keeps-version", ""},
                                  std::pair<std::string, std::string>{"reject-anything", " -k"}}) {
    {
      const std::string env = "ENTMC_PLANTED_BUG=" + bug;
      const std::string t1 = temp_path("one.yaml");
      const std::string args = " check " + model("small.yaml") + " --json -q" + keep + " --trace-out ";
      const Result one = run(env + " " + ENTMC_PLANTED_BIN + args + t1 + " -j 1");
      ASSERT_EQ(one.code, 1) << one.err;
      const json a = json::parse(one.out);
      for (unsigned np : ranks) {
        const std::string tn = temp_path("np" + std::to_string(np) + ".yaml");
        const Result many = run(mpirun(np, env) + " " + ENTMC_PLANTED_BIN + args + tn + (np == 1 ? " --mpi " : " ") +
                                mpi_options);
        const std::string what = bug + keep + " " + mpi_options + " -np " + std::to_string(np);
        ASSERT_EQ(many.code, 1) << what << "\n" << many.err;
        const json b = json::parse(many.out);
        for (const char* k : {"states", "transitions", "depth"})
          EXPECT_EQ(a["statistics"][k], b["statistics"][k]) << what << ": " << k;
        const auto fa = failures(a), fb = failures(b);
        if (keep.empty()) {
          // The first violation: of the same (shortest) length; which of a
          // level's violations comes first is each mode's own fixed order.
          ASSERT_EQ(fa.size(), 1u);
          ASSERT_EQ(fb.size(), 1u);
          EXPECT_EQ(fa.begin()->second, fb.begin()->second) << what;
        } else {
          EXPECT_EQ(fa, fb) << what;  // every violated property, each with its shortest trace
        }
        expect_replays(bug, tn, b["failures"][0]["property"]);
        for (const auto& f : b["failures"]) std::filesystem::remove(f["scenario"].get<std::string>());
      }
      for (const auto& f : a["failures"]) std::filesystem::remove(f["scenario"].get<std::string>());
    }
  }
}

TEST(MpiCli, PlantedBugsSameShortestTraces) { planted_bugs_same_shortest_traces("", {2, 3}); }
TEST(MpiCli, PlantedBugsSameShortestTracesWithThreadsInRanks) { planted_bugs_same_shortest_traces("-j 2", {1, 2, 3}); }
TEST(MpiCli, PlantedBugsSameShortestTracesWithDiskFrontier) {
  planted_bugs_same_shortest_traces("--frontier disk", {1, 2, 3});
}

}  // namespace
