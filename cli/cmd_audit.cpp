// `entmc audit --start SCENARIO HISTORY... [--ami AMI=PRODUCT]... [--json |
// --junit FILE] [--scenario-out DIR]`: a CloudTrail history replayed through
// the model from a start state (aws/audit.h). HISTORY is trail files
// ({"Records": [...]}), `aws cloudtrail lookup-events` outputs, or
// directories of them (read in path order). Exit 0 clean, 1 findings, 2 bad
// input (FILE:LINE:COL: error: ...).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "aws/audit.h"
#include "aws/audit_report.h"
#include "aws/json_input.h"
#include "cli/command.h"

namespace entmc::cli {
namespace {
namespace fs = std::filesystem;

struct AuditArgs {
  std::string start, junit, scenario_out;
  std::vector<std::string> history, amis;
  bool json = false;
  int64_t window = 900;
  size_t max_findings = 10000;
};

std::vector<std::string> expand(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    if (fs::is_directory(p)) {
      std::vector<std::string> files;
      for (const auto& e : fs::recursive_directory_iterator(p))
        if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path().string());
      std::sort(files.begin(), files.end());
      out.insert(out.end(), files.begin(), files.end());
    } else {
      out.push_back(p);
    }
  }
  return out;
}

void run_audit(const AuditArgs& a) {
  Scenario sc;
  try {
    sc = parse_scenario_file(a.start);
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    set_exit_code(kExitBadInput);
    return;
  }
  aws::AuditOptions opt;
  opt.reorder_window_s = a.window;
  opt.max_findings = a.max_findings;
  for (const auto& m : a.amis) {
    auto eq = m.find('=');
    if (eq == std::string::npos || !sc.names.find_product(m.substr(eq + 1))) {
      std::cerr << fmt::format("entmc: error: --ami {}: expected AMI_ID=PRODUCT with a product of {}\n", m, a.start);
      set_exit_code(kExitBadInput);
      return;
    }
    opt.amis[m.substr(0, eq)] = m.substr(eq + 1);
  }
  aws::Auditor auditor(sc, opt);
  std::string error;
  try {
    for (const std::string& f : expand(a.history))
      aws::read_trail_file(f, [&](aws::TrailEvent&& e) { auditor.add(std::move(e)); },
                           aws::Auditor::reads_parameters);
  } catch (const aws::InputError& e) {
    error = e.what();
  }
  auditor.finish();  // what was read is audited, also before a bad file
  if (!a.scenario_out.empty()) {
    fs::create_directories(a.scenario_out);
    size_t n = 0;
    for (const aws::Finding& f : auditor.findings())
      if (!f.scenario.empty()) {
        std::ofstream(fs::path(a.scenario_out) / fmt::format("finding-{:03}.yaml", ++n)) << f.scenario;
      }
  }
  if (a.json) std::cout << aws::audit_json(auditor, error);
  else std::cout << aws::audit_text(auditor, error);
  if (!a.junit.empty()) std::ofstream(a.junit) << aws::audit_junit(auditor, error);
  if (!error.empty()) {
    std::cerr << error << "\n";
    set_exit_code(kExitBadInput);
  } else if (auditor.stats().findings) {
    set_exit_code(kExitViolation);
  }
}

const Registration kAudit(62, [](CLI::App& app) {
  auto a = std::make_shared<AuditArgs>();
  CLI::App* cmd = app.add_subcommand("audit", "Replay a CloudTrail history through the model from a start state");
  cmd->add_option("--start", a->start, "Start-state scenario (entmc import's output)")->required();
  cmd->add_option("HISTORY", a->history, "CloudTrail files or directories")->required();
  cmd->add_option("--ami", a->amis, "AMI_ID=PRODUCT: EC2 launches of this AMI are workloads of PRODUCT (repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--json", a->json, "Print one JSON document instead of text");
  cmd->add_option("--junit", a->junit, "Also write a JUnit XML report here");
  cmd->add_option("--scenario-out", a->scenario_out, "Write each finding as a replayable scenario into this directory");
  cmd->add_option("--reorder-window", a->window, "Seconds within which records may arrive out of order (900)");
  cmd->add_option("--max-findings", a->max_findings, "Findings kept in full (10000); the rest are counted");
  cmd->callback([a] { run_audit(*a); });
});

}  // namespace
}  // namespace entmc::cli
