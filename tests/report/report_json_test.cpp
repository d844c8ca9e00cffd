// Every command's --json follows docs/report-schema.json (entmc-report/1):
// passing, failing (with a planted bug, through entmc-planted), limited and
// bad-input runs, and the verdict and exit_code fields say what the process
// exit status says.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "json_schema.h"

namespace {

using nlohmann::json;

const std::string kSource = ENTMC_SOURCE_DIR;

json schema() {
  std::ifstream in(kSource + "/docs/report-schema.json");
  return json::parse(in);
}

struct CommandRun {
  int code;
  json doc;
};

CommandRun run_json(const std::string& bug, const std::string& binary, const std::string& args) {
  const std::string cmd = "cd " + std::filesystem::temp_directory_path().string() + " && ENTMC_PLANTED_BUG=" + bug + " " +
                          binary + " " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  CommandRun r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, json()};
  try {
    r.doc = json::parse(out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << args << ": not JSON: " << e.what() << "\n" << out;
  }
  return r;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& e : v) s += e + "\n";
  return s;
}

void expect_valid(const CommandRun& r, const std::string& command, const std::string& verdict, int code) {
  EXPECT_EQ(r.code, code);
  const auto errors = entmc::test::validate(schema(), r.doc);
  EXPECT_TRUE(errors.empty()) << joined(errors) << r.doc.dump(2).substr(0, 3000);
  EXPECT_EQ(r.doc.value("command", ""), command);
  EXPECT_EQ(r.doc.value("verdict", ""), verdict);
  EXPECT_EQ(r.doc.value("exit_code", -1), code);
  EXPECT_TRUE(r.doc.contains(command)) << "no '" << command << "' section";
  if (verdict == "fail") EXPECT_FALSE(r.doc["failures"].empty());
  if (verdict == "pass") EXPECT_TRUE(r.doc["failures"].empty());
}

std::string temp_dir(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("entmc_report_json_" + std::to_string(getpid()) + name);
  std::filesystem::create_directories(d);
  return d.string();
}

TEST(ReportSchema, TheValidatorRejectsWhatBreaksTheSchema) {
  json doc = {{"schema", "entmc-report/1"}, {"command", "check"}, {"verdict", "maybe"}, {"exit_code", "1"},
              {"inputs", json::object()},   {"statistics", {{"states", "many"}, {"list", json::array()}}},
              {"failures", json::array({{{"property", ""}, {"step", -1}, {"detail", "x"}, {"trace", json::array()}}})},
              {"extra", 1}};
  const auto errors = entmc::test::validate(schema(), doc);
  const std::string all = joined(errors);
  for (const char* what : {"/verdict", "/exit_code", "/statistics/list", "/failures/0/property", "/failures/0/step",
                           "unexpected property 'extra'"})
    EXPECT_NE(all.find(what), std::string::npos) << what << " not reported:\n" << all;
}

TEST(ReportSchema, PassingRunsOfEveryCommand) {
  const std::string bin = ENTMC_BIN;
  expect_valid(run_json("", bin, "replay --json " + kSource + "/scenarios/seed/accept_and_activate.yaml"), "replay",
               "pass", 0);
  expect_valid(run_json("", bin, "check --json -q -j 1 " + kSource + "/scenarios/models/small.yaml"), "check", "pass", 0);
  expect_valid(run_json("", bin, "check --json -q -j 1 --profile " + kSource + "/scenarios/models/small.yaml"), "check",
               "pass", 0);
  expect_valid(run_json("", bin, "graph --json " + kSource + "/scenarios/models/small.yaml"), "graph", "pass", 0);
  expect_valid(run_json("", bin, "fuzz --json --runs 20 --seed 1 --out " + temp_dir("fuzz-pass")), "fuzz", "pass", 0);
  expect_valid(run_json("", bin, "simulate --json --no-progress --events 2000 " + kSource + "/scenarios/sim/small.yaml"),
               "simulate", "pass", 0);
}

TEST(ReportSchema, LimitAndErrorRuns) {
  const std::string bin = ENTMC_BIN;
  expect_valid(run_json("", bin, "check --json -q -j 1 --max-states 200 " + kSource + "/scenarios/models/small.yaml"),
               "check", "limit", 3);
  const CommandRun bad = run_json("", bin, "replay --json /nonexistent/entmc-missing.yaml");
  EXPECT_EQ(bad.code, 2);
  EXPECT_TRUE(entmc::test::validate(schema(), bad.doc).empty()) << joined(entmc::test::validate(schema(), bad.doc));
  EXPECT_EQ(bad.doc.value("verdict", ""), "error");
}

TEST(ReportSchema, FailingRunsOfEveryCommand) {
  const std::string bin = ENTMC_PLANTED_BIN;
  const std::string dir = temp_dir("fail");
  const CommandRun check = run_json("accept-keeps-version", bin,
                             "check --json -q -j 1 " + kSource + "/scenarios/models/small.yaml --trace-out " + dir +
                                 "/cex.yaml");
  expect_valid(check, "check", "fail", 1);
  EXPECT_EQ(check.doc["failures"][0]["property"], "grant-version-monotonic");
  EXPECT_EQ(check.doc["failures"][0]["step"], check.doc["failures"][0]["trace"].size());
  const CommandRun replay = run_json("accept-keeps-version", bin, "replay --json " + dir + "/cex.yaml");
  expect_valid(replay, "replay", "fail", 1);
  EXPECT_EQ(replay.doc["failures"][0]["property"], "grant-version-monotonic");
  expect_valid(run_json("delete-stops-workloads", bin, "fuzz --json --runs 400 --seed 5 --out " + dir), "fuzz", "fail",
               1);
  const CommandRun sim = run_json("leave-keeps-org-children", bin,
                           "simulate --json --no-progress --events 60000 --accounts 300 --shrink-seconds 5 "
                           "--violation-out " + dir + "/sim " + kSource + "/scenarios/sim/small.yaml");
  expect_valid(sim, "simulate", "fail", 1);
  EXPECT_EQ(sim.doc["failures"][0]["property"], "org-grant-covers-members");
  std::filesystem::remove_all(dir);
}

}  // namespace
