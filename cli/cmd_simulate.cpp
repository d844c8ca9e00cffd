// entmc simulate FILE: a large organization under a random stream of events,
// every invariant checked as it goes (sim/, docs/simulator.md).
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "cli/option_checks.h"
#include "report/envelope.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/scenario_view.h"
#include "report/shell.h"
#include "policy/user_properties.h"
#include "properties/property.h"
#include "sim/failure.h"
#include "sim/report.h"
#include "sim/simulation.h"
#include "util/atomic_file.h"
#include "util/format.h"
#include "util/memory_budget.h"
#include "util/memory_watch.h"
#include "util/output_paths.h"
#include "util/stop_request.h"

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
  std::string memory;
  double time_limit = 0;
};

// Atomically (util/atomic_file.h); a failed write after the run is exit 2.
bool write_text(const std::string& path, const std::string& text) {
  const std::string why = util::write_file_atomic(path, text);
  if (why.empty()) return true;
  fmt::print(stderr, "entmc: error: {}\n", why);
  set_exit_code(kExitBadInput);
  return false;
}

// The organization's footprint before it is built, from measurements
// (docs/limits.md: 225 bytes per member with 4 products, 2 of them granted
// to the organization; 380 with 10 and 5), rounded up.
uint64_t estimated_bytes(const sim::SimConfig& c) {
  const uint64_t per_account = 150 + 50 * uint64_t(c.org_grant_products) + 10 * c.products.size();
  return (uint64_t(c.members) + c.outside + 1) * per_account + (32ull << 20);
}

void run_simulate(const SimulateArgs& a) {
  {
    util::OutputPaths outputs;
    outputs.input(a.file);
    outputs.file("--csv", a.csv);
    outputs.file("--plot", a.plot);
    outputs.file("--junit", a.junit);
    outputs.file("--html", a.html);
    if (!a.violation_out.empty()) {
      outputs.file("--violation-out", a.violation_out + ".yaml");
      outputs.file("--violation-out", a.violation_out + ".full.yaml");
    }
    if (const std::string why = outputs.problem(); !why.empty()) {
      fmt::print(stderr, "entmc simulate: error: {}\n", why);
      set_exit_code(kExitBadInput);
      return;
    }
  }
  uint64_t memory_limit = util::default_memory_limit_bytes();
  if (!a.memory.empty())
    if (const std::string why = util::parse_size(a.memory, memory_limit); !why.empty()) {
      fmt::print(stderr, "entmc simulate: error: --memory {}\n", why);
      set_exit_code(kExitBadInput);
      return;
    }
  sim::SimConfig config;
  try {
    config = sim::load_config(a.file);
  } catch (const sim::ConfigError& e) {
    fmt::print(stderr, "{}\n", e.formatted());
    set_exit_code(kExitBadInput);
    return;
  }
  if (a.accounts) config.members = std::max<uint32_t>(*a.accounts, uint32_t(config.member_ids.size()));
  // The file's check (sim/config.cpp), again for --accounts.
  if (uint64_t(config.members) + config.outside + 1 > 0xF0000000ull) {
    fmt::print(stderr, "entmc simulate: error: --accounts {}: too many accounts\n", config.members);
    set_exit_code(kExitBadInput);
    return;
  }
  if (const uint64_t need = estimated_bytes(config); need > memory_limit) {
    fmt::print(stderr,
               "entmc simulate: limit: {} member accounts need about {}, more than the memory limit {} "
               "(--memory; docs/limits.md)\n",
               config.members, util::bytes_text(need), util::bytes_text(memory_limit));
    set_exit_code(kExitLimit);
    return;
  }
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
  } catch (const sim::ConfigError& e) {  // the organization or its start section (build_initial_org)
    fmt::print(stderr, "{}\n", e.formatted());
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
  } catch (const std::bad_alloc&) {  // the estimate was short: still a limit, not bad input
    fmt::print(stderr, "entmc simulate: limit: out of memory building {} member accounts\n", config.members);
    set_exit_code(kExitLimit);
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
  sim::RunResult r;
  {
    // The estimate above covers the organization as built; what the events
    // add is watched while they run (util/memory_watch.h): over the limit
    // the loop stops at its next check, the reports are written, exit 3.
    const util::Deadline deadline(a.time_limit);
    const util::MemoryWatch watch(util::memory_watch_limit(memory_limit));
    r = simulation->run(opt);
  }
  if (tty) std::fputs("\n", stderr);
  const util::StopReason stopped = r.stopped ? util::stop_reason() : util::StopReason::None;
  if (stopped != util::StopReason::None) {
    // Partial results are still written; the summary says where it stopped.
    fmt::print(stderr, "entmc simulate: {}: stopped after {} of {} events\n", util::stop_description(stopped),
               r.events, config.events);
    set_exit_code(util::stop_exit_code(stopped));
  }

  sim::RunFacts facts = sim::collect_facts(*simulation, util::peak_rss_bytes());
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
    std::function<std::string(const std::string&)> finish;
    if (user) {
      // User properties name accounts by number once compiled: the shrinker
      // keeps the accounts they name and compiles them again for the smaller
      // organization (sim/shrink.h); the files carry the `properties:`
      // section so that replay checks them.
      const YAML::Node source = YAML::LoadFile(a.file);
      limits.keep_accounts = user->named_accounts();
      limits.checker_for = [source, file = a.file](const World& w,
                                                   const Names& n) -> std::shared_ptr<const sim::InvariantChecker> {
        struct Owned {
          std::shared_ptr<const policy::UserProperties> user;
          std::vector<Property> properties;
          std::unique_ptr<sim::InvariantChecker> checker;
        };
        auto o = std::make_shared<Owned>();
        try {
          o->user = policy::compile_user_properties(source, n, w, file);
        } catch (const ScenarioError&) {
          return nullptr;  // the smaller organization lacks something the properties name
        }
        o->properties = policy::with_user_properties(o->user);
        o->checker = std::make_unique<sim::InvariantChecker>(o->properties);
        return std::shared_ptr<const sim::InvariantChecker>(o, o->checker.get());
      };
      finish = [source](const std::string& text) { return policy::with_properties_section(text, source); };
    }
    try {
      const sim::FailureFiles files =
          sim::write_failure(config, properties, command_rules(), r, prefix, limits, finish);
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
      if (p.kind != PropertyKind::Sometimes && std::find(names.begin(), names.end(), p.name) == names.end())
        names.emplace_back(p.name);
    for (const std::string& n : names) {
      report::JUnitCase c{"entmc.simulate." + config.name, n, r.seconds, {}, {}, {}};
      if (r.violation && r.violation->property == n) {
        c.failure_message = r.violation->detail;
        c.failure_text = fmt::format("at event {}\nshrunk scenario: {}\nrerun: {}\n", r.events, facts.shrunk_file,
                                     facts.rerun);
      }
      suite.cases.push_back(std::move(c));
    }
    // Covers: passed when a sample reached them, skipped when none did (a miss is not a failure).
    const auto& covers = simulation->checker().covers();
    for (size_t k = 0; k < covers.size() && k < r.cover_reached_at.size(); ++k) {
      report::JUnitCase c{"entmc.simulate." + config.name + ".cover", std::string(covers[k]->name), 0, {}, {}, {}};
      if (r.cover_reached_at[k] == sim::RunResult::kNotReached)
        c.skipped = fmt::format("cover property never reached at the samples of {} events", r.events);
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
    h.verdict = r.violation                               ? "fail"
                : stopped == util::StopReason::None       ? "pass"
                : util::is_signal(stopped)                ? "interrupted"
                                                          : "limit";
    h.facts = {{"configuration", config.name},
               {"seed", fmt::format("{}", config.seed)},
               {"members", fmt::format("{}", config.members)},
               {"events", fmt::format("{}", r.events)},
               {"events per CPU second", fmt::format("{:.0f}", r.events_per_cpu_second())},
               {"peak RSS", util::bytes_text(facts.peak_rss)},
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
    env.exit_code = r.violation ? kExitViolation : stopped != util::StopReason::None ? util::stop_exit_code(stopped) : kExitOk;
    env.own = sim::summary_json(config, *simulation, r, facts);
    env.own.erase("violation");
    if (stopped != util::StopReason::None) {  // docs/limits.md
      env.own["stopped_by"] = util::stop_description(stopped);
      env.own["interrupted"] = util::is_signal(stopped);
    }
    env.inputs = {{"file", a.file},         {"seed", config.seed},         {"events", config.events},
                  {"members", config.members}, {"full_check_every", config.full_check_every},
                  {"sample_every", config.sample_every}};
    for (const char* k : {"events", "seconds", "events_per_second", "cpu_seconds", "cpu_system_seconds", "page_faults",
                          "events_per_cpu_second", "setup_calls", "peak_rss_bytes", "accounts", "grant_records"})
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

    if (stopped != util::StopReason::None)
      std::cout << fmt::format("{}: INCOMPLETE: stopped after {} of {} events\n",
                               stopped == util::StopReason::TimeLimit ? "TIME LIMIT"
                               : stopped == util::StopReason::Memory  ? "MEMORY LIMIT"
                                                                      : "INTERRUPTED",
                               r.events, config.events);
  }
}

const Registration registration(50, [](CLI::App& app) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "simulate", "simulate a large organization under random events, checking every invariant as it goes");
  cmd->add_option("FILE", args->file, "simulation file (scenarios/sim/*.yaml)")->required();
  cmd->add_option("--accounts", args->accounts, "member accounts (overrides the file)")->check(no_minus());
  cmd->add_option("--events", args->events, "events to run (overrides the file)")->check(no_minus());
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
  cmd->add_option("--memory", args->memory,
                  "refuse (exit 3) an organization estimated larger than this, and stop (exit 3) a run whose resident "
                  "memory passes it; default: " +
                      util::default_memory_limit_text())
      ->check(non_empty());
  cmd->add_option("--time-limit", args->time_limit, "stop (exit 3) after this many seconds of wall clock")
      ->check(seconds());
  cmd->callback([args] { run_simulate(*args); });
});

}  // namespace
}  // namespace entmc::cli
