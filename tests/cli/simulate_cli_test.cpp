// `entmc simulate` end to end, as a process: exit codes, the --json summary
// (and that its numbers add up), determinism of the final digest, --csv and
// --plot files, and bad input. The planted-violation path (exit 1, shrunk
// scenario) is tested in-process in tests/sim.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

using nlohmann::json;

struct Result {
  int code;
  std::string out;  // stdout
  std::string err;
};

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("entmc_sim_cli_" + std::to_string(getpid()) + "_" + name))
      .string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result entmc(const std::string& args) {
  const std::string err = temp_path("stderr.txt");
  const std::string cmd = std::string(ENTMC_BIN) + " " + args + " 2>" + err;
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  Result r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, slurp(err)};
  std::filesystem::remove(err);
  return r;
}

const std::string kSmall = std::string(ENTMC_SOURCE_DIR) + "/scenarios/sim/small.yaml";

json run_json(const std::string& extra) {
  const Result r = entmc("simulate " + kSmall + " --json --no-progress " + extra);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  const json j = json::parse(r.out);
  // The common envelope (report/envelope.h); the summary is simulate's own section.
  EXPECT_EQ(j["schema"], "entmc-report/1");
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_TRUE(j["failures"].empty());
  EXPECT_EQ(j["statistics"]["events"], j["simulate"]["events"]);
  return j["simulate"];
}

TEST(SimulateCli, SmallOrganizationRunsCleanAndTheSummaryAddsUp) {
  const json j = run_json("--events 5000");
  EXPECT_EQ(j["events"], 5000);
  EXPECT_EQ(j["seed"], 1);
  EXPECT_EQ(j["digest"].get<std::string>().size(), 16u);
  // Every event (and setup call) is counted once, as a success or an error.
  uint64_t counted = 0;
  for (const auto& [op, o] : j["operations"].items()) {
    counted += o["ok"].get<uint64_t>();
    uint64_t by_code = 0, by_reason = 0;
    for (const auto& [code, n] : o["errors"].items()) by_code += n.get<uint64_t>();
    for (const auto& [why, n] : o["errors_by_reason"].items()) by_reason += n.get<uint64_t>();
    EXPECT_EQ(by_code, by_reason) << op;
    counted += by_code;
  }
  EXPECT_EQ(counted, 5000 + j["setup_calls"].get<uint64_t>());
  // The grant-status histogram covers every grant record.
  uint64_t grants = 0;
  for (const auto& [status, n] : j["grants_by_status"].items()) grants += n.get<uint64_t>();
  EXPECT_EQ(grants, j["grant_records"].get<uint64_t>());
  EXPECT_GT(j["incremental_properties"].get<int>(), 0);
}

TEST(SimulateCli, SameFileAndSeedGiveTheSameDigest) {
  const json a = run_json("--events 4000 --seed 7");
  const json b = run_json("--events 4000 --seed 7");
  const json c = run_json("--events 4000 --seed 8");
  EXPECT_EQ(a["digest"], b["digest"]);
  EXPECT_EQ(a["grants_by_status"], b["grants_by_status"]);
  EXPECT_NE(a["digest"], c["digest"]);
  // Full checks every K events find nothing more on a correct model, and do not change the run.
  const json full = run_json("--events 4000 --seed 7 --full-check-every 500");
  EXPECT_EQ(full["digest"], a["digest"]);
  EXPECT_EQ(full["full_check_every"], 500);
}

TEST(SimulateCli, AccountsOverrideTheFile) {
  const json j = run_json("--events 1000 --accounts 50");
  // The file adds the management account and 20 outside accounts.
  EXPECT_EQ(j["accounts"], 50 + 1 + 20);
}

TEST(SimulateCli, CsvAndPlotFiles) {
  const std::string csv = temp_path("ts.csv"), svg = temp_path("ts.svg");
  const Result r =
      entmc("simulate " + kSmall + " --no-progress --events 3000 --sample-every 1000 --csv " + csv + " --plot " + svg);
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::istringstream lines(slurp(csv));
  std::string header, line;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("event,seconds,", 0), 0u) << header;
  EXPECT_NE(header.find("active_entitlements"), std::string::npos);
  std::vector<std::string> events;
  while (std::getline(lines, line)) events.push_back(line.substr(0, line.find(',')));
  EXPECT_EQ(events, (std::vector<std::string>{"0", "1000", "2000", "3000"}));
  const std::string plot = slurp(svg);
  EXPECT_EQ(plot.rfind("<svg", 0), 0u);
  EXPECT_NE(plot.find("</svg>"), std::string::npos);
  std::filesystem::remove(csv);
  std::filesystem::remove(svg);
}

TEST(SimulateCli, BadInputExitsTwoWithFileAndLine) {
  const std::string bad = temp_path("bad.yaml");
  std::ofstream(bad) << "name: x\norg:\n  feature_set: ALL\n  members: 10\nproducts: [{name: a, type: AMI}]\n"
                        "mix:\n  fly: 3\n";
  Result r = entmc("simulate " + bad);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(bad + ":7:3: error: unknown event kind 'fly'"), std::string::npos) << r.err;
  std::filesystem::remove(bad);
  r = entmc("simulate /nonexistent/sim.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("/nonexistent/sim.yaml: error: cannot read the file"), std::string::npos) << r.err;
  EXPECT_EQ(entmc("simulate").code, 2);
  EXPECT_EQ(entmc("simulate " + kSmall + " --events lots").code, 2);
}

}  // namespace
