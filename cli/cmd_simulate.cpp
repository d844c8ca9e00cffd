// entmc simulate FILE: a large organization under a random stream of events,
// every invariant checked as it goes (sim/, docs/simulator.md).
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "report/envelope.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/scenario_view.h"
#include "report/shell.h"
#include "policy/user_properties.h"
#include "properties/property.h"
#include "sim/failure.h"
#include "sim/peak_rss.h"
#include "sim/report.h"
#include "sim/simulation.h"

namespace entmc::cli {
namespace {

struct SimulateArgs {
  std::string file;
  std::optional<uint32_t> accounts;
  std::optional<uint64_t> events;
  std::optional<uint64_t> seed;
  std::optional<uint64_t> full_check_every;
  std::optional<uint64_t> sample_every;
  std::string csv;
  std::string plot;
  std::string violation_out;
  std::string junit;
  std::string html;
  bool json = false;
  bool no_progress = false;
  double shrink_seconds = 60;
};

bool write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (out) return true;
  fmt::print(stderr, "entmc: error: cannot write {}\n", path);
  return false;
}

void run_simulate(const SimulateArgs& a) {
  sim::SimConfig config;
  try {
    config = sim::load_config(a.file);
  } catch (const sim::ConfigError& e) {
    fmt::print(stderr, "{}\n", e.formatted());
    set_exit_code(kExitBadInput);
    return;
  }
  if (a.accounts) config.members = std::max<uint32_t>(*a.accounts, uint32_t(config.member_ids.size()));
  if (a.events) config.events = *a.events;
  if (a.seed) config.seed = *a.seed;
  if (a.full_check_every) config.full_check_every = *a.full_check_every;
  if (a.sample_every) config.sample_every = *a.sample_every;
  if (config.sample_every == 0) config.sample_every = std::max<uint64_t>(1, config.events / 200);

  // The built-in properties and the file's `properties:`, compiled against
  // the organization the simulation builds.
  std::shared_ptr<const policy::UserProperties> user;
  try {
    const sim::InitialOrg org = sim::build_initial_org(config);
    user = policy::compile_user_properties(YAML::LoadFile(a.file), org.names, org.world, a.file);
  } catch (const ScenarioError& e) {
    fmt::print(stderr, "{}\n", e.what());
    set_exit_code(kExitBadInput);
    return;
  }
  const std::vector<Property> properties = policy::with_user_properties(user);
  std::unique_ptr<sim::Simulation> simulation;
  try {
    simulation = std::make_unique<sim::Simulation>(config, properties, command_rules());
  } catch (const sim::ConfigError& e) {
    fmt::print(stderr, "{}\n", e.formatted());
    set_exit_code(kExitBadInput);
    return;
  }
  sim::RunOptions opt;
  opt.events = config.events;
  opt.full_check_every = config.full_check_every;
  opt.sample_every = config.sample_every;
  const bool tty = !a.no_progress && isatty(STDERR_FILENO);
  if (tty)
    opt.progress = [&](uint64_t done, double seconds) {
      std::fputs(sim::progress_line(done, config.events, seconds).c_str(), stderr);
      std::fflush(stderr);
    };
  const sim::RunResult r = simulation->run(opt);
  if (tty) std::fputs("\n", stderr);

  sim::RunFacts facts = sim::collect_facts(*simulation, sim::peak_rss_bytes());
  if (r.violation) {
    set_exit_code(kExitViolation);
    const std::string prefix = a.violation_out.empty() ? config.name + "-violation" : a.violation_out;
    // Every option that decides the run (the progress, time-series and
    // output options do not).
    using report::shell_word;
    facts.rerun = fmt::format("entmc simulate {} --seed {} --events {} --accounts {}", shell_word(a.file), config.seed,
                              config.events, config.members);
    if (config.full_check_every) facts.rerun += fmt::format(" --full-check-every {}", config.full_check_every);
    facts.rerun += " --violation-out " + shell_word(prefix);
    sim::ShrinkInput limits{};
    limits.max_seconds = a.shrink_seconds;
    try {
      const sim::FailureFiles files = sim::write_failure(config, properties, command_rules(), r, prefix, limits);
      facts.violation_file = files.full_path;
      facts.shrunk_file = files.shrunk_path;
      facts.shrunk_steps = files.shrunk_steps;
      facts.shrunk_accounts = files.shrunk_accounts;
    } catch (const std::exception& e) {
      fmt::print(stderr, "entmc: error: writing the failing scenario: {}\n", e.what());
    }
  }
  if (!a.junit.empty()) {
    // JUnit: a test case per property checked; the violated one fails.
    report::JUnitSuite suite{"entmc simulate " + a.file, r.seconds, {}};
    std::vector<std::string> names;
    for (const Property& p : properties)
      if (std::find(names.begin(), names.end(), p.name) == names.end()) names.emplace_back(p.name);
    for (const std::string& n : names) {
      report::JUnitCase c{"entmc.simulate." + config.name, n, r.seconds, {}, {}, {}};
      if (r.violation && r.violation->property == n) {
        c.failure_message = r.violation->detail;
        c.failure_text = fmt::format("at event {}\nshrunk scenario: {}\nrerun: {}\n", r.events, facts.shrunk_file,
                                     facts.rerun);
      }
      suite.cases.push_back(std::move(c));
    }
    if (!report::write_junit(a.junit, {suite})) {
      fmt::print(stderr, "entmc: error: cannot write {}\n", a.junit);
      set_exit_code(kExitBadInput);
    }
  }
  if (!a.html.empty()) {
    report::HtmlReport h;
    h.command = "simulate";
    h.title = "entmc simulate " + a.file;
    h.verdict = r.violation ? "fail" : "pass";
    h.facts = {{"configuration", config.name},
               {"seed", fmt::format("{}", config.seed)},
               {"members", fmt::format("{}", config.members)},
               {"events", fmt::format("{}", r.events)},
               {"events per CPU second", fmt::format("{:.0f}", r.events_per_cpu_second())},
               {"peak RSS", fmt::format("{:.1f} MiB", double(facts.peak_rss) / (1024.0 * 1024.0))},
               {"final digest", fmt::format("{:016x}", r.digest)}};
    if (r.violation) {
      report::HtmlFailure f;
      try {
        if (!facts.shrunk_file.empty()) f = report::failure_from_scenario(facts.shrunk_file, command_rules());
      } catch (const std::exception& e) {
        fmt::print(stderr, "entmc: error: reading back {}: {}\n", facts.shrunk_file, e.what());
      }
      f.property = r.violation->property;  // the run's own words, the shrunk trace below
      f.detail = fmt::format("at event {}: {}", r.events, r.violation->detail);
      for (const Property& p : properties)
        if (p.name == f.property) {
          f.statement = std::string(p.statement);
          f.seed = std::string(p.seed);
        }
      if (!facts.shrunk_file.empty()) f.replay = "entmc replay " + report::shell_word(facts.shrunk_file);
      f.rerun = facts.rerun;
      h.failures.push_back(std::move(f));
    }
    std::string svg = sim::svg_plot(config, r);
    if (const size_t at = svg.find("<svg"); at != std::string::npos) svg.erase(0, at);  // no XML declaration inline
    h.charts.push_back({"Time series: grants by status, entitlements, workloads", svg});
    if (!report::write_html(a.html, h)) {
      fmt::print(stderr, "entmc: error: cannot write {}\n", a.html);
      set_exit_code(kExitBadInput);
    }
  }
  if (!a.csv.empty()) write_text(a.csv, sim::csv_text(*simulation, r));
  if (!a.plot.empty()) write_text(a.plot, sim::svg_plot(config, r));
  if (a.json) {
    // The common envelope (report/envelope.h); the summary is simulate's own section.
    report::Envelope env;
    env.command = "simulate";
    env.exit_code = r.violation ? kExitViolation : kExitOk;
    env.own = sim::summary_json(config, *simulation, r, facts);
    env.own.erase("violation");
    env.inputs = {{"file", a.file},         {"seed", config.seed},         {"events", config.events},
                  {"members", config.members}, {"full_check_every", config.full_check_every},
                  {"sample_every", config.sample_every}};
    for (const char* k : {"events", "seconds", "events_per_second", "cpu_seconds", "events_per_cpu_second", "setup_calls",
                          "peak_rss_bytes", "accounts", "grant_records"})
      env.statistics[k] = env.own[k];
    if (r.violation) {
      report::Failure f;
      f.property = r.violation->property;
      f.step = r.setup_calls + r.events;  // the step of the written run-so-far scenario
      f.detail = r.violation->detail;
      f.scenario = facts.shrunk_file;
      if (!facts.shrunk_file.empty()) f.replay = "entmc replay " + report::shell_word(facts.shrunk_file);
      f.rerun = facts.rerun;
      env.own["violation"] = {{"event", r.events},
                              {"full_check", r.violation_in_full_check},
                              {"scenario", facts.violation_file},
                              {"shrunk_scenario", facts.shrunk_file},
                              {"shrunk_steps", facts.shrunk_steps},
                              {"shrunk_accounts", facts.shrunk_accounts}};
      env.failures.push_back(std::move(f));
    }
    std::cout << report::to_json(env).dump(2) << "\n";
  } else {
    std::cout << sim::summary_text(config, *simulation, r, facts);
  }
}

const Registration registration(50, [](CLI::App& app) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "simulate", "simulate a large organization under random events, checking every invariant as it goes");
  cmd->add_option("FILE", args->file, "simulation file (scenarios/sim/*.yaml)")->required();
  cmd->add_option("--accounts", args->accounts, "member accounts (overrides the file)");
  cmd->add_option("--events", args->events, "events to run (overrides the file)");
  cmd->add_option("--seed", args->seed, "random seed (overrides the file)");
  cmd->add_option("--full-check-every", args->full_check_every, "also check every invariant on the whole state every K events");
  cmd->add_option("--sample-every", args->sample_every, "time-series period in events (default: events / 200)");
  cmd->add_option("--csv", args->csv, "write the time series as CSV");
  cmd->add_option("--plot", args->plot, "draw the time series as SVG");
  cmd->add_option("--violation-out", args->violation_out,
                  "on a violation write PREFIX.full.yaml and the shrunk PREFIX.yaml (default NAME-violation)");
  cmd->add_option("--shrink-seconds", args->shrink_seconds, "time budget for shrinking a violation");
  cmd->add_flag("--json", args->json, "print the summary as JSON");
  cmd->add_option("--junit", args->junit, "write a JUnit XML report (a test case per property)");
  cmd->add_option("--html", args->html, "write a self-contained HTML report (time series charts, the shrunk failure)");
  cmd->add_flag("--no-progress", args->no_progress, "no progress bar even on a terminal");
  cmd->callback([args] { run_simulate(*args); });
});

}  // namespace
}  // namespace entmc::cli
