// A counterexample reads the same everywhere: the license and grant IDs, and
// the aliases next to them, that `entmc check` prints are those of the trace
// file it writes and of that file's replay (issue 19). The product's rules
// violate nothing, so the run uses a planted bug (tests/support).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "cli/check_run.h"
#include "planted_rules.h"
#include "scenario/scenario.h"
#include "scenario/scenario_run.h"

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every "l-<32 hex>" / "g-<32 hex>" in `text`, with its alias when one follows
// in parentheses ("g-... (grant1)"), as "ID" or "ID=alias".
std::set<std::string> labelled_ids(const std::string& text) {
  static const std::regex id(R"(([lg]-[0-9a-f]{32})( \(([A-Za-z0-9_-]+)\))?)");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), id); it != std::sregex_iterator(); ++it)
    out.insert((*it)[3].matched ? (*it)[1].str() + "=" + (*it)[3].str() : (*it)[1].str());
  return out;
}

std::string temp(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("entmc_names_" + std::to_string(getpid()) + "_" + name)).string();
}

// Checks `model` with the planted bug and compares the three forms. Returns
// the aliases check printed.
std::set<std::string> check_and_compare(const std::string& model, const std::string& bug_name) {
  const entmc::planted::PlantedBug& bug = entmc::planted::planted_bug(bug_name);
  const std::string trace = temp(bug_name + ".yaml");
  entmc::cli::CheckOptions opt;
  opt.file = model;
  opt.threads = 1;
  opt.quiet = true;
  opt.trace_out = trace;
  testing::internal::CaptureStdout();
  const int code = entmc::cli::run_check(opt, bug.rules);
  const std::string printed = testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 1) << printed;
  // The printed trace: from "shortest trace" to the "written to" line.
  const size_t from = printed.find("shortest trace"), to = printed.find("written to", from);
  if (to == std::string::npos) {
    ADD_FAILURE() << "no trace written:\n" << printed;
    return {};
  }
  const std::set<std::string> check_ids = labelled_ids(printed.substr(from, to - from));
  EXPECT_FALSE(check_ids.empty()) << printed;

  // The replay of the written file, with the same rules, prints the same
  // labels (it also prints the steps before the start state).
  const entmc::Scenario sc = entmc::parse_scenario_file(trace);
  entmc::ScenarioRun run(sc, bug.rules);
  run.run_all();
  std::string replayed;
  for (const auto& r : run.reports()) {
    replayed += r.call_text + " -> " + r.outcome_text + "\n";
    for (const auto& c : r.changes) replayed += c + "\n";
  }
  const std::set<std::string> replay_ids = labelled_ids(replayed);
  for (const std::string& l : check_ids) EXPECT_TRUE(replay_ids.count(l)) << l << " is not in the replay:\n" << replayed;

  // Every alias check printed is one the file defines with `as:`.
  const std::string file = slurp(trace);
  std::set<std::string> aliases;
  for (const std::string& l : check_ids)
    if (auto eq = l.find('='); eq != std::string::npos) {
      aliases.insert(l.substr(eq + 1));
      EXPECT_NE(file.find("as: " + l.substr(eq + 1) + "}"), std::string::npos) << l << "\n" << file;
    }
  EXPECT_FALSE(aliases.empty()) << "the trace should name what it creates:\n" << printed;
  std::filesystem::remove(trace);
  return aliases;
}

class CounterexampleNames : public testing::TestWithParam<std::string> {};

TEST_P(CounterexampleNames, CheckTraceFileAndReplayAgree) {
  check_and_compare(std::string(ENTMC_SOURCE_DIR) + "/scenarios/models/small.yaml", GetParam());
}

// A record the model's own steps name keeps its name in the trace, the file
// and the replay.
TEST(CounterexampleNamesFromTheModel, KeepTheModelsAliases) {
  const std::string model = temp("model.yaml");
  std::ofstream(model) << slurp(std::string(ENTMC_SOURCE_DIR) + "/scenarios/models/small.yaml")
                       << "steps:\n  - Subscribe: {caller: \"111111111111\", product: \"Widget AMI\", as: widget}\n";
  const std::set<std::string> aliases = check_and_compare(model, "delete-stops-workloads");
  EXPECT_TRUE(aliases.count("widget")) << "the model's alias is lost";
  std::filesystem::remove(model);
}

INSTANTIATE_TEST_SUITE_P(PlantedBugs, CounterexampleNames,
                         testing::Values("delete-stops-workloads", "rejected-grant-reacceptable", "accept-keeps-version"),
                         [](const auto& p) {
                           std::string n = p.param;
                           for (char& ch : n)
                             if (ch == '-') ch = '_';
                           return n;
                         });

}  // namespace
