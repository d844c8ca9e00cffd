// `entmc fuzz [FILE] --runs N --max-steps K --seed S --out DIR [--json]`:
// random runs of the model (RapidCheck generators, proptest/), every property
// checked after every step plus the scenario round trip; the first failure is
// shrunk and written as a scenario that `entmc replay` reproduces.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "cli/command.h"
#include "cli/fuzz_bounds.h"
#include "cli/option_checks.h"
#include "properties/property.h"
#include "report/envelope.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/scenario_view.h"
#include "report/shell.h"
#include "policy/user_properties.h"
#include "proptest/fuzz.h"
#include "proptest/round_trip.h"
#include "scenario/aliases.h"
#include "scenario/scenario.h"
#include "scenario/scenario_run.h"
#include "scenario/yaml_reader.h"
#include "util/atomic_file.h"
#include "util/format.h"
#include "util/memory_budget.h"
#include "util/memory_watch.h"
#include "util/output_paths.h"
#include "util/stop_request.h"

namespace entmc::cli {
namespace {

struct FuzzArgs {
  std::string file;
  size_t runs = 100;
  uint32_t max_steps = 40;
  uint32_t max_members = 24;
  int wrong_percent = 20;
  std::optional<uint64_t> seed;
  std::string out = "fuzz-out";
  bool json = false;
  bool no_round_trip = false;
  double time_limit = 0;
  std::string memory;
  std::string junit;
  std::string html;
};

// JUnit: a test case per property (and the scenario round trip); the failing
// one carries the shrunk steps.
// A cover (`sometimes:`) is a case of its own: passed when some run reached
// it, skipped when none did (as `check` reports them: a miss is not a failure).
bool write_fuzz_junit(const std::string& path, const std::string& property, const std::string& detail,
                      const std::vector<std::string>& lines, const proptest::FuzzReport& r,
                      const std::vector<Property>& user) {
  report::JUnitSuite suite;
  suite.name = "entmc fuzz";
  std::vector<std::string> names;
  auto is_cover = [&](const std::string& n) {
    return std::find(r.cover_names.begin(), r.cover_names.end(), n) != r.cover_names.end();
  };
  for (const Property& p : all_properties())
    if (std::find(names.begin(), names.end(), p.name) == names.end() && !is_cover(std::string(p.name)))
      names.emplace_back(p.name);
  for (const Property& p : user)
    if (std::find(names.begin(), names.end(), p.name) == names.end() && !is_cover(std::string(p.name)))
      names.emplace_back(p.name);
  if (!property.empty() && std::find(names.begin(), names.end(), property) == names.end()) names.push_back(property);
  for (const std::string& n : names) {
    report::JUnitCase c{"entmc.fuzz", n, 0, {}, {}, {}};
    if (n == property) {
      c.failure_message = detail;
      for (const std::string& l : lines) c.failure_text += l + "\n";
    }
    suite.cases.push_back(std::move(c));
  }
  for (size_t i = 0; i < r.cover_names.size(); ++i) {
    report::JUnitCase c{"entmc.fuzz.cover", r.cover_names[i], 0, {}, {}, {}};
    if (r.cover_runs[i] == 0) c.skipped = fmt::format("cover property never reached in {} runs", r.runs);
    suite.cases.push_back(std::move(c));
  }
  return report::write_junit(path, {suite});
}

// The covers: reached in how many runs, or never.
nlohmann::json cover_json(const proptest::FuzzReport& r) {
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < r.cover_names.size(); ++i)
    out.push_back({{"property", r.cover_names[i]}, {"reached", r.cover_runs[i] > 0}, {"runs", r.cover_runs[i]}});
  return out;
}
std::string cover_text(const proptest::FuzzReport& r) {
  if (r.cover_names.empty()) return "";
  std::string out = "cover properties (runs in which some state satisfied it):\n";
  for (size_t i = 0; i < r.cover_names.size(); ++i)
    out += r.cover_runs[i] ? fmt::format("  {:<40} reached in {} of {} runs\n", r.cover_names[i], r.cover_runs[i], r.runs)
                           : fmt::format("  {:<40} NEVER REACHED\n", r.cover_names[i]);
  return out;
}

// A file's `bounds:` (cli/fuzz_bounds.h) bounds the generators where the
// command line does not.
void apply_file_bounds(const Scenario& sc, proptest::Bounds& b, const CLI::App& cmd) {
  const FuzzFileBounds f = read_fuzz_bounds(sc, std::cerr);
  if (f.max_steps && cmd.count("--max-steps") == 0) b.max_steps = *f.max_steps;
  if (f.max_members && cmd.count("--max-members") == 0) b.max_members = *f.max_members;
  if (f.wrong_percent && cmd.count("--wrong-percent") == 0) b.wrong_percent = int(*f.wrong_percent);
}

// What one run holds at most, before any is made (docs/limits.md): the
// process itself, then per step the run, the shrinker's candidates, the
// round trip's scenario text and YAML tree and the executor's records, per
// member account its records. Measured peak RSS (3 runs, seed 1): 6.6 MiB
// at 24 members and 40 steps, 28.4 MiB at 24 and 5000, 61.3 MiB at 24 and
// 10000, 29.0 MiB at 1000 and 5000; the estimate is 1.5 to 2.5 times those.
uint64_t fuzz_estimated_bytes(const proptest::Bounds& b, const Scenario* base) {
  uint64_t members = uint64_t(b.max_members) + b.max_outside + 1;
  if (base) members = std::max<uint64_t>(members, base->initial.accounts.size());
  return (16ull << 20) + uint64_t(b.max_steps) * (8 << 10) + members * (16 << 10);
}

// The shrunk run, one line per step, as replay prints calls.
std::vector<std::string> step_lines(const proptest::Run& run, const Rules& rules) {
  proptest::ExecOptions opts;
  opts.rules = &rules;
  opts.check_properties = false;
  std::optional<proptest::Executor> ex;
  ex.emplace(proptest::initial_setup(run), opts);
  std::vector<std::string> out;
  Names names = ex->names();  // plus the aliases the written scenario gives (scenario/aliases.h)
  for (const proptest::Step& s : run.steps) {
    World before = ex->world();
    const proptest::StepRecord& r = ex->step(s);
    if (r.skipped) continue;
    for (StringId id = StringId(names.string_count()); id < ex->names().string_count(); ++id)
      names.intern_string(ex->names().string(id));
    for (TokenId id = TokenId(names.token_count() + 1); id <= ex->names().token_count(); ++id)
      names.intern_token(ex->names().token(id));
    name_created(names, r.call, r.outcome, before.licenses.size(), before.grants.size());
    out.push_back(fmt::format("{:>3}. {} -> {}", out.size() + 1, describe_call(r.call, names, &before),
                              describe_outcome(r.outcome, r.call, names)));
  }
  return out;
}

nlohmann::json coverage_json(const proptest::FuzzReport& r) {
  nlohmann::json ops = nlohmann::json::object(), statuses = nlohmann::json::object();
  for (int op = 0; op < kOpCount; ++op) ops[std::string(to_string(Op(op)))] = r.op_runs[size_t(op)];
  for (int s = 0; s < kGrantStatusCount; ++s)
    statuses[std::string(to_string(GrantStatus(s)))] = r.status_runs[size_t(s)];
  return {{"runs_where_operation_succeeded", ops}, {"runs_where_grant_status_reached", statuses}};
}

void run_fuzz(const FuzzArgs& a, const CLI::App& cmd) {
  proptest::FuzzOptions o;
  o.runs = a.runs;
  o.seed = a.seed ? *a.seed : std::random_device{}() * 0x100000000ull + std::random_device{}();
  o.bounds.max_steps = a.max_steps;
  o.bounds.max_members = a.max_members;
  o.bounds.wrong_percent = a.wrong_percent;
  o.round_trip = !a.no_round_trip;
  {
    util::OutputPaths outputs;
    outputs.input(a.file);
    outputs.directory("--out", a.out);
    outputs.file("--junit", a.junit);
    outputs.file("--html", a.html);
    if (const std::string why = outputs.problem(); !why.empty()) {
      std::cerr << "entmc fuzz: error: " << why << "\n";
      set_exit_code(kExitBadInput);
      return;
    }
  }
  uint64_t memory_limit = util::default_memory_limit_bytes();
  if (!a.memory.empty())
    if (const std::string why = util::parse_size(a.memory, memory_limit); !why.empty()) {
      std::cerr << "entmc fuzz: error: --memory " << why << "\n";
      set_exit_code(kExitBadInput);
      return;
    }
  o.rules = &command_rules();
  std::shared_ptr<const policy::UserProperties> user;  // the file's `properties:`, checked on every run
  std::optional<Scenario> base;
  if (!a.file.empty()) {
    try {
      Scenario& sc = base.emplace(parse_scenario_file(a.file));
      apply_file_bounds(sc, o.bounds, cmd);
      user = policy::compile_user_properties(sc);
      o.base = std::make_shared<proptest::Setup>(
          proptest::Setup{sc.initial, sc.names, user ? &user->properties() : nullptr});
    } catch (const std::exception& e) {
      std::cerr << e.what() << "\n";
      set_exit_code(kExitBadInput);
      return;
    }
  }
  if (const uint64_t need = fuzz_estimated_bytes(o.bounds, base ? &*base : nullptr); need > memory_limit) {
    std::cerr << fmt::format(
        "entmc fuzz: limit: runs of up to {} steps with up to {} members need about {}, more than the memory "
        "limit {} (--memory; docs/limits.md)\n",
        o.bounds.max_steps, o.bounds.max_members, util::bytes_text(need), util::bytes_text(memory_limit));
    set_exit_code(kExitLimit);
    return;
  }
  const bool tty = isatty(STDERR_FILENO);
  if (tty)
    o.progress = [](size_t done, size_t total) {
      std::cerr << fmt::format("\rentmc fuzz: run {}/{}", done, total) << std::flush;
      if (done == total) std::cerr << "\r\033[K" << std::flush;
    };
  const std::string what = a.file.empty() ? "generated worlds" : a.file;
  if (!a.json)
    std::cout << fmt::format("entmc fuzz: seed {}, {} runs of up to {} steps on {}\n", o.seed, o.runs,
                             o.bounds.max_steps, what);

  proptest::FuzzReport r;
  {
    const util::Deadline deadline(a.time_limit);
    // What the estimate missed: past the limit the runs stop (util/memory_watch.h).
    const util::MemoryWatch watch(util::memory_watch_limit(memory_limit));
    r = proptest::fuzz(o);
  }
  if (tty) std::cerr << "\r\033[K" << std::flush;
  const util::StopReason stopped = r.stopped ? util::stop_reason() : util::StopReason::None;

  // The common envelope (report/envelope.h); fuzz's own sections go under "fuzz".
  report::Envelope env;
  env.command = "fuzz";
  env.exit_code = r.failure ? kExitViolation : stopped != util::StopReason::None ? util::stop_exit_code(stopped) : kExitOk;
  env.inputs = {{"file", a.file},
                {"seed", o.seed},
                {"runs", o.runs},
                {"max_steps", o.bounds.max_steps},
                {"max_members", o.bounds.max_members},
                {"wrong_percent", o.bounds.wrong_percent},
                {"round_trip", o.round_trip},
                {"memory_limit_bytes", memory_limit}};
  env.statistics = {{"runs", r.runs}, {"steps", r.steps}, {"failed_calls", r.failed_calls}};
  env.own = {{"coverage", coverage_json(r)}, {"cover", cover_json(r)}};
  report::HtmlReport html;
  html.command = "fuzz";
  html.title = "entmc fuzz";
  html.verdict = r.failure                                ? "fail"
                 : util::is_signal(stopped)               ? "interrupted"
                 : stopped != util::StopReason::None      ? "limit"
                                                          : "pass";
  html.facts = {{"seed", fmt::format("{}", o.seed)},           {"runs", fmt::format("{}", r.runs)},
                {"steps", fmt::format("{}", r.steps)},         {"failed calls", fmt::format("{}", r.failed_calls)},
                {"max steps", fmt::format("{}", o.bounds.max_steps)}};
  report::HtmlTable cov{"Coverage: runs where each operation succeeded", {"operation", "runs"}, {}, {}};
  for (int op = 0; op < kOpCount; ++op) {
    cov.rows.push_back({std::string(to_string(Op(op))), fmt::format("{}", r.op_runs[size_t(op)])});
    cov.warn_rows.push_back(r.op_runs[size_t(op)] == 0);
  }
  html.tables.push_back(std::move(cov));
  report::HtmlTable cover{"Cover properties: runs in which some state satisfied it", {"property", "runs"}, {}, {}};
  for (size_t i = 0; i < r.cover_names.size(); ++i) {
    cover.rows.push_back({r.cover_names[i], r.cover_runs[i] ? fmt::format("{}", r.cover_runs[i]) : "NEVER REACHED"});
    cover.warn_rows.push_back(r.cover_runs[i] == 0);
  }
  html.tables.push_back(std::move(cover));
  const std::vector<Property> no_user;
  const std::vector<Property>& user_props = user ? user->properties() : no_user;
  auto write_fuzz_html = [&] {
    if (!a.html.empty() && !report::write_html(a.html, html)) {
      std::cerr << fmt::format("entmc fuzz: error: cannot write {}\n", a.html);
      set_exit_code(kExitBadInput);
    }
  };
  if (!r.failure && stopped != util::StopReason::None) {
    // The runs done so far held; the session did not do all it was asked (docs/limits.md).
    env.own["stopped_by"] = util::stop_description(stopped);
    write_fuzz_html();
    if (a.json)
      std::cout << report::to_json(env).dump(2) << "\n";
    else
      std::cout << fmt::format("INCOMPLETE ({}): {} of {} runs, {} steps, every property held\n",
                               util::stop_description(stopped), r.runs, o.runs, r.steps)
                << cover_text(r);
    set_exit_code(util::stop_exit_code(stopped));
    return;
  }
  if (!r.failure) {
    write_fuzz_html();
    if (!a.junit.empty() && !write_fuzz_junit(a.junit, "", "", {}, r, user_props)) {
      std::cerr << fmt::format("entmc fuzz: error: cannot write {}\n", a.junit);
      set_exit_code(kExitBadInput);
    }
    if (a.json)
      std::cout << report::to_json(env).dump(2) << "\n";
    else
      std::cout << fmt::format("ok: {} runs, {} steps ({} failed calls, on purpose or by the rules), every "
                               "property held\n",
                               r.runs, r.steps, r.failed_calls)
                << cover_text(r);
    return;
  }

  const proptest::FuzzFailure& f = *r.failure;
  const std::string& property = f.shrunk_found.violation.property;
  std::error_code mkdir_error;  // a failure shows as the write's error below
  std::filesystem::create_directories(a.out, mkdir_error);
  const std::string path = fmt::format("{}/fuzz-{}-{}.yaml", a.out, f.run_seed, property);
  const std::string name = fmt::format("fuzz seed {} run {}: {}", o.seed, f.run_index + 1, property);
  std::string text = proptest::scenario_text(
      f.shrunk, *o.rules, name,
      fmt::format("Found by entmc fuzz --seed {} (run {}, run seed {}), shrunk from {} to {} steps.", o.seed,
                  f.run_index + 1, f.run_seed, f.original.steps.size(), f.shrunk.steps.size()),
      fmt::format("violated: {}: {}", property, f.shrunk_found.violation.detail));
  if (user) text = policy::with_properties_section(text, parse_scenario_file(a.file).root);
  if (const std::string why = util::write_file_atomic(path, text); !why.empty()) {
    // The verdict stands (printed below); the missing file is an error too.
    std::cerr << "entmc fuzz: error: " << why << "\n";
    set_exit_code(kExitBadInput);
  }
  using report::shell_word;
  const std::string replay = "entmc replay " + shell_word(path);
  // Every option that decides the run: the failing run's own seed, its bounds
  // (a file's `bounds:` included, given explicitly), the round trip.
  std::string again = fmt::format("entmc fuzz{} --seed {} --runs 1 --max-steps {} --max-members {} --wrong-percent {}",
                                  a.file.empty() ? "" : " " + shell_word(a.file), f.run_seed, o.bounds.max_steps,
                                  o.bounds.max_members, o.bounds.wrong_percent);
  if (a.no_round_trip) again += " --no-round-trip";
  again += " --out " + shell_word(a.out);
  const std::vector<std::string> lines = step_lines(f.shrunk, *o.rules);
  if (!a.junit.empty() && !write_fuzz_junit(a.junit, property, f.shrunk_found.violation.detail, lines, r, user_props)) {
    std::cerr << fmt::format("entmc fuzz: error: cannot write {}\n", a.junit);
    set_exit_code(kExitBadInput);
  }
  if (!a.html.empty()) {
    report::HtmlFailure hf;
    try {
      hf = report::failure_from_scenario(path, *o.rules);
    } catch (const std::exception& e) {
      std::cerr << fmt::format("entmc fuzz: error: reading back {}: {}\n", path, e.what());
    }
    hf.replay = replay;
    hf.rerun = again;
    html.failures.push_back(std::move(hf));
    write_fuzz_html();
  }
  report::Failure failure;
  failure.property = property;
  failure.step = lines.size();
  failure.detail = f.shrunk_found.violation.detail;
  for (const std::string& l : lines) failure.trace.push_back({{"call", l}});
  failure.scenario = path;
  failure.replay = replay;
  failure.rerun = again;
  env.failures.push_back(std::move(failure));
  env.own["failure"] = {{"run", f.run_index + 1},
                        {"run_seed", f.run_seed},
                        {"original_steps", f.original.steps.size()},
                        {"shrunk_steps", f.shrunk.steps.size()},
                        {"shrink_attempts", f.stats.attempts}};
  if (a.json) {
    std::cout << report::to_json(env).dump(2) << "\n";
  } else {
    std::cout << fmt::format("FAILED run {} (run seed {}): {} violated at step {} of {}\n  {}\n", f.run_index + 1,
                             f.run_seed, f.found.violation.property,
                             f.found.step == proptest::kSetupStep ? 0 : f.found.step + 1, f.original.steps.size(),
                             f.found.violation.detail);
    std::cout << fmt::format("shrunk to {} steps ({} candidates tried):\n", f.shrunk.steps.size(), f.stats.attempts);
    for (const std::string& l : lines) std::cout << l << "\n";
    std::cout << fmt::format("violated: {}: {}\nwrote {}\nreplay it:     {}\nrerun the run: {}\n", property,
                             f.shrunk_found.violation.detail, path, replay, again)
              << cover_text(r);
  }
  set_exit_code(kExitViolation);
}

const Registration registration(30, [](CLI::App& app) {
  auto args = std::make_shared<FuzzArgs>();
  CLI::App* cmd = app.add_subcommand(
      "fuzz", "Random runs of the model (RapidCheck): every property after every step, the scenario round trip; "
              "the first failure is shrunk and written as a replayable scenario");
  cmd->add_option("FILE", args->file, "scenario file whose org/products fix the world (its `bounds:` may bound "
                                      "the generators); default: generated worlds")
      ->check(CLI::ExistingFile);
  cmd->add_option("--runs", args->runs, "number of random runs (1 to 10^9)")
      ->capture_default_str()
      ->check(no_minus())
      ->check(CLI::Range(size_t(1), size_t(1000000000)));
  cmd->add_option("--time-limit", args->time_limit, "stop (exit 3) after this many seconds of wall clock")
      ->check(seconds());
  cmd->add_option("--memory", args->memory,
                  "refuse (exit 3) runs whose estimated footprint is larger than this, and stop (exit 3) when "
                  "resident memory passes it; default: " +
                      util::default_memory_limit_text())
      ->check(non_empty());
  cmd->add_option("--max-steps", args->max_steps, "steps per run at most")->capture_default_str()->check(
      CLI::Range(1u, kFuzzMaxSteps));
  cmd->add_option("--max-members", args->max_members, "member accounts at most (generated worlds)")
      ->capture_default_str()
      ->check(CLI::Range(1u, kFuzzMaxMembers));
  cmd->add_option("--wrong-percent", args->wrong_percent, "percent of steps made wrong on purpose")
      ->capture_default_str()
      ->check(CLI::Range(0, 100));
  cmd->add_option("--seed", args->seed, "session seed (run i uses seed+i); default: random, printed");
  cmd->add_option("--out", args->out, "directory for the shrunk failing scenario")->capture_default_str();
  cmd->add_flag("--json", args->json, "print a JSON summary");
  cmd->add_option("--junit", args->junit, "write a JUnit XML report (a test case per property)");
  cmd->add_option("--html", args->html, "write a self-contained HTML report (coverage, the shrunk failure as a timeline)");
  cmd->add_flag("--no-round-trip", args->no_round_trip, "skip the scenario write/parse/replay check per run");
  cmd->callback([args, cmd] { run_fuzz(*args, *cmd); });
});

}  // namespace
}  // namespace entmc::cli
