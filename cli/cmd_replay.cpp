// `entmc replay FILE... [--json] [--quiet]`: runs each scenario step by step,
// prints every step with its outcome and changes, then one verdict line per
// file. Exit 0 when every expectation and invariant holds, 1 when any fails,
// 2 for bad input (FILE:LINE:COL: error: ... on stderr).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "policy/user_properties.h"
#include "scenario/scenario_run.h"

namespace entmc::cli {
namespace {

struct ReplayOptions {
  std::vector<std::string> files;
  bool json = false;
  bool quiet = false;
};

std::string where(const StepReport& r) {
  if (r.number == 0) return "initial state";
  return fmt::format("step {} (line {})", r.number, r.mark.line);
}

size_t expectation_count(const Scenario& sc) {
  size_t n = 0;
  for (const Step& s : sc.steps) n += s.expect.size();
  return n;
}

void print_failures(const StepReport& r, std::ostream& out) {
  for (const StepFailure& f : r.failures)
    out << fmt::format("  FAILED {} at {}: {}: {}\n", to_string(f.kind), where(r), f.what, f.detail);
  if (!r.state.empty()) {
    out << "  state:\n";
    size_t start = 0;
    while (start < r.state.size()) {
      size_t end = r.state.find('\n', start);
      if (end == std::string::npos) end = r.state.size();
      out << "    " << r.state.substr(start, end - start) << "\n";
      start = end + 1;
    }
  }
}

std::string verdict(const Scenario& sc, const ScenarioRun& run) {
  size_t failures = 0;
  const StepReport* first = nullptr;
  for (const StepReport& r : run.reports()) {
    failures += r.failures.size();
    if (!first && !r.ok()) first = &r;
  }
  if (!first)
    return fmt::format("PASS {}: {} steps, {} expectations, every expectation and invariant held", sc.file,
                       sc.steps.size(), expectation_count(sc));
  const StepFailure& f = first->failures.front();
  return fmt::format("FAIL {}: {} failure{}; first at {}: {} {}: {}", sc.file, failures, failures == 1 ? "" : "s",
                     where(*first), to_string(f.kind), f.what, f.detail);
}

nlohmann::json step_json(const Scenario& sc, const StepReport& r) {
  nlohmann::json j;
  j["step"] = r.number;
  j["line"] = r.mark.line;
  j["kind"] = r.number == 0 ? "initial" : r.is_expect ? "expect" : "call";
  j["description"] = r.call_text;
  if (r.applied) {
    j["operation"] = to_string(r.call.op);
    j["caller"] = sc.names.account(r.call.caller);
    j["outcome"] = {{"ok", r.outcome.ok()},
                    {"error_code", r.outcome.ok() ? "" : std::string(to_string(r.outcome.error.code))},
                    {"reason", r.outcome.ok() ? "" : std::string(reason_name(r.outcome.error.reason))},
                    {"text", r.outcome_text}};
    j["changes"] = r.changes;
  }
  nlohmann::json failures = nlohmann::json::array();
  for (const StepFailure& f : r.failures)
    failures.push_back({{"kind", to_string(f.kind)}, {"what", f.what}, {"detail", f.detail}, {"line", f.mark.line}});
  j["failures"] = failures;
  if (!r.state.empty()) j["state"] = r.state;
  return j;
}

void replay_one(const std::string& file, const ReplayOptions& opt, nlohmann::json& files) {
  Scenario sc;
  std::shared_ptr<const policy::UserProperties> user;  // the file's `properties:`
  try {
    sc = parse_scenario_file(file);
    user = policy::compile_user_properties(sc);
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    if (opt.json) files.push_back({{"file", file}, {"ok", false}, {"error", e.what()}});
    else std::cout << fmt::format("ERROR {}: bad input\n", file);
    set_exit_code(kExitBadInput);
    return;
  }
  ScenarioRun run(sc, Rules::standard(), user ? &user->properties() : nullptr);
  if (!opt.json && !opt.quiet) std::cout << fmt::format("== {}: {}\n", file, sc.name);
  auto show = [&](const StepReport& r) {
    if (opt.json) return;
    if (!opt.quiet && r.number > 0) {
      std::cout << fmt::format("step {}: {}", r.number, r.call_text);
      if (r.applied) std::cout << " -> " << r.outcome_text;
      std::cout << "\n";
      for (const std::string& c : r.changes) std::cout << "    " << c << "\n";
    }
    if (!r.ok()) print_failures(r, std::cout);
  };
  show(run.reports().front());
  while (!run.finished()) show(run.step());
  std::string line = verdict(sc, run);
  if (!run.ok()) set_exit_code(kExitViolation);
  if (opt.json) {
    nlohmann::json steps = nlohmann::json::array();
    for (const StepReport& r : run.reports()) steps.push_back(step_json(sc, r));
    files.push_back({{"file", file},
                     {"name", sc.name},
                     {"ok", run.ok()},
                     {"steps", steps},
                     {"final_digest", fmt::format("{:016x}", run.world().digest())},
                     {"verdict", line}});
  } else {
    std::cout << line << "\n";
  }
}

const Registration kReplay(10, [](CLI::App& app) {
  auto opt = std::make_shared<ReplayOptions>();
  CLI::App* cmd = app.add_subcommand("replay", "Run scenario files step by step, checking expectations and every invariant");
  cmd->add_option("files", opt->files, "Scenario files (YAML)")->required();
  cmd->add_flag("--json", opt->json, "Print one JSON document instead of text");
  cmd->add_flag("--quiet,-q", opt->quiet, "Print only failures and the verdict lines");
  cmd->callback([opt] {
    nlohmann::json files = nlohmann::json::array();
    for (const std::string& f : opt->files) replay_one(f, *opt, files);
    if (opt->json) {
      bool all_ok = true;
      for (const auto& f : files) all_ok = all_ok && f.value("ok", false);
      std::cout << nlohmann::json{{"ok", all_ok}, {"files", files}}.dump(2) << "\n";
    }
  });
});

}  // namespace
}  // namespace entmc::cli
