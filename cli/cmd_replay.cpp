// `entmc replay FILE... [--json] [--quiet]`: runs each scenario step by step,
// prints every step with its outcome and changes, then one verdict line per
// file. Exit 0 when every expectation and invariant holds, 1 when any fails,
// 2 for bad input (FILE:LINE:COL: error: ... on stderr).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "report/envelope.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/shell.h"
#include "policy/user_properties.h"
#include "scenario/scenario_run.h"
#include "util/output_paths.h"

namespace entmc::cli {
namespace {

struct ReplayOptions {
  std::vector<std::string> files;
  bool json = false;
  bool quiet = false;
  std::string junit;
  std::string html;
};

std::string where(const StepReport& r) {
  if (r.number == 0) return "initial state";
  return fmt::format("step {} (line {})", r.number, r.mark.line);
}

// JUnit: a suite per file, a test case for the file and one per failing step.
report::JUnitSuite junit_suite(const std::string& file, const ScenarioRun& run) {
  report::JUnitSuite suite;
  suite.name = "entmc replay " + file;
  report::JUnitCase whole{"entmc.replay", file, 0, {}, {}, {}};
  for (const StepReport& r : run.reports()) {
    if (r.ok()) continue;
    report::JUnitCase c{"entmc.replay." + file, where(r), 0, {}, {}, {}};
    for (const StepFailure& f : r.failures) {
      const std::string line = fmt::format("{} {}: {}", to_string(f.kind), f.what, f.detail);
      if (!c.failure_message) c.failure_message = line;
      c.failure_text += line + "\n";
    }
    c.failure_text += r.call_text + (r.applied ? " -> " + r.outcome_text : "") + "\n" + r.state;
    if (!whole.failure_message) whole.failure_message = where(r) + ": " + *c.failure_message;
    suite.cases.push_back(std::move(c));
  }
  if (whole.failure_message) whole.failure_text = "entmc replay " + report::shell_word(file) + "\n";
  suite.cases.insert(suite.cases.begin(), std::move(whole));
  return suite;
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

// The envelope's failures: one per failing step (report/envelope.h), with
// the steps that led there.
void add_failures(const std::string& file, const ScenarioRun& run, report::Envelope& env) {
  nlohmann::json trace = nlohmann::json::array();
  for (const StepReport& r : run.reports()) {
    if (r.number > 0)
      trace.push_back({{"step", r.number}, {"call", r.call_text}, {"outcome", r.outcome_text}, {"changes", r.changes}});
    for (const StepFailure& f : r.failures) {
      report::Failure out;
      out.property = f.kind == StepFailure::Kind::Invariant ? f.what : std::string(to_string(f.kind));
      out.step = r.number;
      out.detail = f.kind == StepFailure::Kind::Invariant ? f.detail : f.what + ": " + f.detail;
      out.trace = trace;
      out.scenario = file;
      out.replay = "entmc replay " + report::shell_word(file);
      env.failures.push_back(std::move(out));
    }
  }
}

// The HTML report's section for one file: the first failure with its
// property's statement and seed, and the whole run as a timeline.
void add_html(const std::string& file, const Scenario& sc, const ScenarioRun& run, report::TraceView view,
              const std::vector<Property>& catalogue, report::HtmlReport& html) {
  html.facts.push_back({file, fmt::format("{}: {} steps, {}", sc.name, sc.steps.size(), run.ok() ? "pass" : "FAIL")});
  report::HtmlFailure f;
  f.scenario = file;
  f.replay = "entmc replay " + report::shell_word(file);
  f.property = "every expectation and invariant held";
  for (const StepReport& r : run.reports()) {
    if (r.ok()) continue;
    const StepFailure& sf = r.failures.front();
    f.property = sf.kind == StepFailure::Kind::Invariant ? sf.what : std::string(to_string(sf.kind)) + ": " + sf.what;
    f.detail = sf.detail;
    f.step = r.number;
    for (const Property& p : catalogue)
      if (p.name == sf.what) {
        f.statement = std::string(p.statement);
        f.seed = std::string(p.seed);
      }
    break;
  }
  if (run.ok()) f.detail = fmt::format("{} passes", file);
  for (report::StepView& s : view.steps) s.failing = f.step && s.number == f.step;
  f.trace = std::move(view);
  html.failures.push_back(std::move(f));
}

void replay_one(const std::string& file, const ReplayOptions& opt, nlohmann::json& files, report::Envelope& env,
                std::vector<report::JUnitSuite>& suites, report::HtmlReport& html) {
  Scenario sc;
  std::shared_ptr<const policy::UserProperties> user;  // the file's `properties:`
  try {
    sc = parse_scenario_file(file);
    user = policy::compile_user_properties(sc);
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    if (opt.json) files.push_back({{"file", file}, {"ok", false}, {"error", e.what()}});
    else std::cout << fmt::format("ERROR {}: bad input\n", file);
    report::JUnitSuite bad{"entmc replay " + file, 0, {{"entmc.replay", file, 0, std::string(e.what()), {}, {}}}};
    suites.push_back(std::move(bad));
    set_exit_code(kExitBadInput);
    return;
  }
  ScenarioRun run(sc, command_rules(), user ? &user->properties() : nullptr);
  const std::vector<Property> catalogue = policy::with_user_properties(user);
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
  report::TraceView view = report::start_view(run.names(), run.world());
  while (!run.finished()) {
    const World before = opt.html.empty() ? World{} : run.world();
    const StepReport& r = run.step();
    show(r);
    if (opt.html.empty()) continue;
    if (r.applied) report::add_step(view, run.names(), before, r.call, r.outcome, r.changes, run.world());
    else report::add_check_step(view, run.names(), r.call_text, r.ok(), run.world());
    view.steps.back().number = r.number;  // the file's step numbers
  }
  if (!opt.html.empty()) add_html(file, sc, run, std::move(view), catalogue, html);
  suites.push_back(junit_suite(file, run));
  std::string line = verdict(sc, run);
  if (!run.ok()) set_exit_code(kExitViolation);
  // The covers the scenario reaches (docs/properties.md): reported, never a failure.
  nlohmann::json cover = nlohmann::json::array();
  std::string reached;
  for (const ScenarioRun::Cover& c : run.covers()) {
    cover.push_back({{"property", c.property}, {"reached", c.step.has_value()},
                     {"step", c.step ? nlohmann::json(*c.step) : nlohmann::json()}});
    if (c.step) reached += fmt::format("{}{} (step {})", reached.empty() ? "" : ", ", c.property, *c.step);
  }
  if (opt.json) {
    add_failures(file, run, env);
    env.statistics["steps"] = env.statistics.value("steps", 0) + sc.steps.size();
    env.statistics["expectations"] = env.statistics.value("expectations", 0) + expectation_count(sc);
    nlohmann::json steps = nlohmann::json::array();
    for (const StepReport& r : run.reports()) steps.push_back(step_json(sc, r));
    files.push_back({{"file", file},
                     {"name", sc.name},
                     {"ok", run.ok()},
                     {"steps", steps},
                     {"final_digest", fmt::format("{:016x}", run.world().digest())},
                     {"cover", cover},
                     {"verdict", line}});
  } else {
    if (!opt.quiet && !reached.empty()) std::cout << "covers reached: " << reached << "\n";
    std::cout << line << "\n";
    if (!run.ok()) std::cout << "  rerun: entmc replay " << report::shell_word(file) << "\n";
  }
}

const Registration kReplay(10, [](CLI::App& app) {
  auto opt = std::make_shared<ReplayOptions>();
  CLI::App* cmd = app.add_subcommand("replay", "Run scenario files step by step, checking expectations and every invariant");
  cmd->add_option("files", opt->files, "Scenario files (YAML)")->required();
  cmd->add_flag("--json", opt->json, "Print one JSON document instead of text");
  cmd->add_flag("--quiet,-q", opt->quiet, "Print only failures and the verdict lines");
  cmd->add_option("--junit", opt->junit, "Write a JUnit XML report (a test case per file and per failing step)");
  cmd->add_option("--html", opt->html, "Write a self-contained HTML report (each file as a timeline beside the organization)");
  cmd->callback([opt] {
    {  // docs/limits.md: outputs checked before the run, never one of the inputs
      util::OutputPaths outputs;
      for (const std::string& f : opt->files) outputs.input(f);
      outputs.file("--junit", opt->junit);
      outputs.file("--html", opt->html);
      if (const std::string why = outputs.problem(); !why.empty()) {
        std::cerr << "entmc replay: error: " << why << "\n";
        set_exit_code(kExitBadInput);
        return;
      }
    }
    nlohmann::json files = nlohmann::json::array();
    report::Envelope env;
    env.command = "replay";
    env.statistics = {{"files", opt->files.size()}, {"steps", 0}, {"expectations", 0}};
    std::vector<report::JUnitSuite> suites;
    report::HtmlReport html;
    html.command = "replay";
    html.title = "entmc replay";
    for (const std::string& f : opt->files) replay_one(f, *opt, files, env, suites, html);
    if (!opt->html.empty()) {
      html.verdict = std::string(report::to_string(report::verdict_for_exit(exit_code())));
      if (!report::write_html(opt->html, html)) {
        std::cerr << fmt::format("entmc replay: error: cannot write {}\n", opt->html);
        set_exit_code(kExitBadInput);
      }
    }
    if (!opt->junit.empty() && !report::write_junit(opt->junit, suites)) {
      std::cerr << fmt::format("entmc replay: error: cannot write {}\n", opt->junit);
      set_exit_code(kExitBadInput);
    }
    if (opt->json) {
      // The common envelope (report/envelope.h); the per-file reports are replay's own section.
      env.exit_code = exit_code();
      env.inputs = {{"files", opt->files}};
      env.statistics["failures"] = env.failures.size();
      env.own = {{"files", files}};
      std::cout << report::to_json(env).dump(2) << "\n";
    }
  });
});

}  // namespace
}  // namespace entmc::cli
