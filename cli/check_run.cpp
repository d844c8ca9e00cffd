// `entmc check FILE`'s work, apart from its command-line registration
// (cmd_check.cpp): explores every state the scenario's bounds allow
// (engine/explorer.h), checks every property on every state and transition,
// prints the report (text or --json), writes --junit and --trace-out files, and
// returns the exit code: 0 every property holds and the bounded space was
// exhausted; 1 a violation; 2 bad input; 3 a limit (--max-states, --max-depth,
// --memory) stopped the run first. The rules are a parameter so that tests
// drive this same code with a planted bug.
#include "cli/check_run.h"

#include <fmt/format.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "cli/command.h"
#include "cli/require_covers.h"
#include "report/envelope.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/shell.h"
#include "engine/check_input.h"
#include "engine/distributed_explorer.h"
#include "engine/explorer.h"
#include "engine/trace.h"
#include "policy/user_properties.h"
#include "scenario/scenario_run.h"
#include "util/atomic_file.h"
#include "util/format.h"
#include "util/memory_budget.h"
#include "util/output_paths.h"
#include "util/stop_request.h"

namespace entmc::cli {
namespace {

using engine::ExploreResult;

using util::si;

// Property names as users see them, in catalogue order: a property with a
// state check and a transition check has two catalogue entries, one name.
std::vector<std::string_view> unique_names(const std::vector<const Property*>& props) {
  std::vector<std::string_view> names;
  std::set<std::string_view> seen;
  for (const Property* p : props)
    if (seen.insert(p->name).second) names.push_back(p->name);
  return names;
}

std::string mib(uint64_t b) { return util::bytes_text(b); }

// --mpi, or an MPI launcher started more than one process.
bool under_mpi(const CheckOptions& opt) { return opt.mpi || engine::mpi_world_size_from_env() > 1; }

// Statuses the model documents as reachable (types.h): the others are
// transient states of the real service that a synchronous model never rests in.
constexpr GrantStatus kModelGrantStatuses[] = {GrantStatus::PENDING_ACCEPT, GrantStatus::REJECTED,
                                               GrantStatus::ACTIVE,         GrantStatus::DELETED,
                                               GrantStatus::DISABLED,       GrantStatus::WORKFLOW_COMPLETED};
constexpr LicenseStatus kModelLicenseStatuses[] = {LicenseStatus::AVAILABLE, LicenseStatus::DEACTIVATED,
                                                   LicenseStatus::EXPIRED, LicenseStatus::DELETED};

std::vector<std::string> trace_lines(const engine::CheckInput& in, const engine::Trace& t) {
  std::vector<std::string> lines;
  const Names names = engine::trace_names(in, t);
  const World* before = &t.start;
  for (size_t i = 0; i < t.steps.size(); ++i) {
    const auto& s = t.steps[i];
    lines.push_back(fmt::format("step {}: {} -> {}", i + 1, describe_call(s.call, names, before),
                                describe_outcome(s.outcome, s.call, names)));
    for (const std::string& c : change_lines(s.after, s.changes, names)) lines.push_back("    " + c);
    before = &s.after;
  }
  return lines;
}

// --profile's table: each part's calls, seconds, share of the workers' time
// and time per call, most time first.
void print_profile(std::ostream& o, const ExploreResult& r) {
  o << fmt::format("profile (--profile): {:.2f} s of worker time, timers included; most first\n", r.profile_seconds);
  o << fmt::format("  {:<56} {:>13} {:>9} {:>6} {:>8}\n", "part", "calls", "seconds", "share", "ns/call");
  using Kind = engine::ProfilePart::Kind;
  for (const engine::ProfilePart& p : r.profile) {
    std::string label;
    switch (p.kind) {
      case Kind::Apply: label = "apply " + p.name; break;
      case Kind::Property: label = fmt::format("property {} ({})", p.name, p.per_call ? "each call" : "each new state"); break;
      case Kind::Fingerprint: label = "canonical form + fingerprint"; break;
      case Kind::Lookup: label = "visited-set lookups"; break;
      case Kind::Timers: label = "the timers themselves (estimated)"; break;
      case Kind::Rest: label = "the rest (call loop, put-back, queue)"; break;
    }
    const double share = r.profile_seconds > 0 ? 100 * p.seconds / r.profile_seconds : 0;
    o << fmt::format("  {:<56} {:>13} {:>9.3f} {:>5.1f}% {:>8}\n", label,
                     p.calls ? fmt::format("{}", p.calls) : std::string("-"), p.seconds, share,
                     p.calls ? fmt::format("{:.0f}", 1e9 * p.seconds / double(p.calls)) : std::string("-"));
  }
}

nlohmann::json profile_json(const ExploreResult& r) {
  nlohmann::json parts = nlohmann::json::array();
  for (const engine::ProfilePart& p : r.profile)
    parts.push_back({{"part", engine::to_string(p.kind)},
                     {"name", p.name},
                     {"per_call", p.per_call},
                     {"calls", p.calls},
                     {"seconds", p.seconds}});
  return {{"worker_seconds", r.profile_seconds}, {"parts", parts}};
}

// The command line that finds this violation again: every option that
// changes what is explored or checked (threads and output options do not).
std::string rerun_line(const CheckOptions& opt, const std::string& property, const std::string& trace_file) {
  using report::shell_word;
  std::string line = "entmc check " + shell_word(opt.file) + " --property " + shell_word(property);
  if (opt.no_symmetry) line += " --no-symmetry";
  if (opt.exact) line += " --exact";
  if (opt.verify_change_log) line += " --verify-change-log";
  if (opt.max_states) line += fmt::format(" --max-states {}", opt.max_states);
  if (opt.max_depth) line += fmt::format(" --max-depth {}", opt.max_depth);
  if (!opt.memory.empty()) line += " --memory " + shell_word(opt.memory);
  if (!trace_file.empty()) line += " --trace-out " + shell_word(trace_file);
  return line;
}

std::string trace_path_for(const std::string& base, size_t index, const std::string& property) {
  if (index == 0) return base;
  const auto dot = base.rfind('.');
  const auto slash = base.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return base + "-" + property;
  return base.substr(0, dot) + "-" + property + base.substr(dot);
}

nlohmann::json trace_json(const engine::CheckInput& in, const engine::Trace& t) {
  nlohmann::json steps = nlohmann::json::array();
  const Names names = engine::trace_names(in, t);
  const World* before = &t.start;
  for (const auto& s : t.steps) {
    steps.push_back({{"operation", to_string(s.call.op)},
                     {"caller", names.account(s.call.caller)},
                     {"call", describe_call(s.call, names, before)},
                     {"outcome", describe_outcome(s.outcome, s.call, names)},
                     {"changes", change_lines(s.after, s.changes, names)}});
    before = &s.after;
  }
  return steps;
}

// One test case per property name, the model as the class name (report/junit.h).
// Returns false if the file cannot be written.
bool write_junit(const std::string& path, const std::vector<const Property*>& props, const ExploreResult& r,
                 const engine::CheckInput& in) {
  report::JUnitSuite suite;
  suite.name = "entmc check " + in.scenario.file;
  suite.seconds = r.seconds;
  for (std::string_view name : unique_names(props)) {
    report::JUnitCase c;
    c.classname = "entmc.check." + in.scenario.name;
    c.name = std::string(name);
    c.seconds = r.seconds;
    for (const auto& v : r.violations)
      if (v.property == name && !c.failure_message) {
        c.failure_message = v.detail;
        for (const auto& l : trace_lines(in, v.trace)) c.failure_text += l + "\n";
      }
    for (const auto& s : r.sometimes)
      if (s.property == name && !s.reached && !c.failure_message)
        c.skipped = "cover property never reached within the bounds";
    if (!c.failure_message && !c.skipped && r.stop == ExploreResult::Stop::Limit)
      c.skipped = fmt::format("not exhausted: the {} limit stopped the run", r.limit);
    suite.cases.push_back(std::move(c));
  }
  return report::write_junit(path, {suite});
}

// The property's catalogue entry (statement, seed section), for the HTML report.
const Property* find_property(std::string_view name) {
  for (const Property& p : all_properties())
    if (p.name == name) return &p;
  return nullptr;
}

report::TraceView trace_view(const engine::CheckInput& in, const engine::Trace& t) {
  const Names names = engine::trace_names(in, t);
  report::TraceView v = report::start_view(names, t.start);
  const World* before = &t.start;
  for (const auto& s : t.steps) {
    report::add_step(v, names, *before, s.call, s.outcome, s.changes, s.after);
    before = &s.after;
  }
  return v;
}

bool write_check_html(const std::string& path, const CheckOptions& opt, const engine::CheckInput& in,
                      const ExploreResult& r, const std::vector<std::string>& written, const std::string& verdict) {
  report::HtmlReport h;
  h.command = "check";
  h.title = "entmc check " + opt.file;
  h.verdict = verdict;
  h.facts = {{"model", in.scenario.name},
             {"distinct states", fmt::format("{}", r.states)},
             {"transitions", fmt::format("{}", r.transitions)},
             {"depth", fmt::format("{}", r.depth)},
             {"threads", fmt::format("{}", r.threads)},
             {"symmetry", opt.no_symmetry ? "off" : "on"}};
  if (!r.limit.empty()) h.facts.push_back({"stopped by", r.limit});
  for (size_t i = 0; i < r.violations.size(); ++i) {
    const auto& v = r.violations[i];
    report::HtmlFailure f;
    f.property = v.property;
    if (const Property* p = find_property(v.property)) {
      f.statement = std::string(p->statement);
      f.seed = std::string(p->seed);
    }
    f.detail = v.detail;
    f.step = v.trace.steps.size();
    if (i < written.size()) {
      f.scenario = written[i];
      f.replay = "entmc replay " + report::shell_word(written[i]);
    }
    f.rerun = rerun_line(opt, v.property, i < written.size() ? written[i] : "");
    f.trace = trace_view(in, v.trace);
    h.failures.push_back(std::move(f));
  }
  report::HtmlTable cov{"Coverage: calls tried in every state", {"operation", "succeeded", "failed"}, {}, {}};
  for (int op = 0; op < kOpCount; ++op) {
    if (!r.op_in_bounds[op]) continue;
    cov.rows.push_back({std::string(to_string(Op(op))), fmt::format("{}", r.coverage[op].succeeded),
                        fmt::format("{}", r.coverage[op].failed)});
    cov.warn_rows.push_back(r.coverage[op].succeeded == 0);
  }
  h.tables.push_back(std::move(cov));
  report::HtmlTable st{"Statuses reached", {"record", "status", "reached"}, {}, {}};
  for (GrantStatus s : kModelGrantStatuses) {
    const bool reached = r.grant_statuses & (1u << unsigned(s));
    st.rows.push_back({"grant", std::string(to_string(s)), reached ? "yes" : "NEVER"});
    st.warn_rows.push_back(!reached);
  }
  for (LicenseStatus s : kModelLicenseStatuses) {
    const bool reached = r.license_statuses & (1u << unsigned(s));
    st.rows.push_back({"license", std::string(to_string(s)), reached ? "yes" : "NEVER"});
    st.warn_rows.push_back(!reached);
  }
  h.tables.push_back(std::move(st));
  if (!r.sometimes.empty()) {
    report::HtmlTable cover{"Cover properties", {"property", "example at depth"}, {}, {}};
    for (const auto& s : r.sometimes) {
      cover.rows.push_back({s.property, s.reached ? fmt::format("{}", s.depth) : "NEVER REACHED"});
      cover.warn_rows.push_back(!s.reached);
    }
    h.tables.push_back(std::move(cover));
  }
  return report::write_html(path, h);
}

// What a checkpoint must have been made for (engine/checkpoint.h): the
// scenario file's bytes (model, start steps, bounds) and the options that
// change what the run computes; not threads, limits or output options.
std::string run_identity(const CheckOptions& opt, const std::vector<const Property*>& props) {
  std::ifstream in(opt.file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const uint64_t h = engine::fingerprint({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
  std::string names;
  for (std::string_view n : unique_names(props)) names += (names.empty() ? "" : ",") + std::string(n);
  return fmt::format(
      "model {:016x}\nsymmetry {}\nexact {}\nkeep-going {}\nproperties {}\nfrontier {}\nverify-change-log {}\nlinks {}", h,
      !opt.no_symmetry, opt.exact, opt.keep_going, names, opt.frontier, opt.verify_change_log, opt.links);
}

// SIGTERM and SIGINT during a run with --checkpoint: a checkpoint at the
// level's end, then the run stops as interrupted by the signal (its reports,
// exit 130/143; util::defer_signals_to).
std::atomic<bool> g_checkpoint_request{false};

}  // namespace

int run_check(const CheckOptions& opt, const Rules& rules) {
  // Every output is checked before the run (docs/limits.md): a long run must
  // not end by throwing its report away, nor overwrite its own model.
  {
    util::OutputPaths outputs;
    outputs.input(opt.file);
    outputs.file("--trace-out", opt.trace_out);
    outputs.file("--junit", opt.junit);
    outputs.file("--html", opt.html);
    if (const std::string why = outputs.problem(); !why.empty()) {
      std::cerr << "entmc check: error: " << why << "\n";
      return kExitBadInput;
    }
  }
  engine::CheckInput in;
  std::shared_ptr<const policy::UserProperties> user;  // the file's `properties:`
  try {
    in = engine::load_check_input(opt.file, rules);
    user = policy::compile_user_properties(in.scenario);
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  }
  const std::vector<Property> catalogue = policy::with_user_properties(user);
  std::vector<const Property*> props;
  if (opt.properties.empty()) {
    for (const Property& p : catalogue) props.push_back(&p);
  } else {
    for (const std::string& name : opt.properties) {
      const size_t before = props.size();
      for (const Property& p : catalogue)  // a state entry and a transition entry may share a name
        if (p.name == name) props.push_back(&p);
      if (props.size() == before) {
        std::cerr << fmt::format("entmc check: error: unknown property '{}'\n", name);
        return kExitBadInput;
      }
    }
  }
  engine::ExploreOptions eo;
  eo.threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  // Under MPI a rank is one thread unless -j says otherwise (one rank per core
  // is the usual layout; docs/beyond-one-machine.md).
  if (!opt.threads && under_mpi(opt)) eo.threads = 1;
  eo.symmetry = !opt.no_symmetry;
  eo.exact = opt.exact;
  eo.verify_change_log = eo.verify_change_log || opt.verify_change_log;
  eo.keep_going = opt.keep_going;
  eo.max_states = opt.max_states;
  eo.max_depth = opt.max_depth;
  eo.properties = props;
  eo.profile = opt.profile;
  if (opt.profile && under_mpi(opt)) {
    std::cerr << "entmc check: error: --profile times the threads of one process: run it without --mpi\n";
    return kExitBadInput;
  }
  // A user property that names accounts tells them apart: no symmetry
  // reduction over them (policy/user_properties.h).
  if (user && eo.symmetry && policy::names_interchangeable(*user, engine::find_symmetry(in.start, in.bounds))) {
    eo.symmetry = false;
    if (!opt.quiet) std::cerr << "[check] symmetry reduction off: a user property names interchangeable accounts\n";
  }
  if (opt.memory.empty()) {
    eo.memory_limit = util::default_memory_limit_bytes();  // never the whole machine by accident
  } else if (const std::string why = util::parse_size(opt.memory, eo.memory_limit); !why.empty()) {
    std::cerr << fmt::format("entmc check: error: --memory {}\n", why);
    return kExitBadInput;
  }
  // An impossible bound is bad input, not a run that stops at once.
  if (eo.memory_limit <= util::current_rss_bytes() + (8 << 20)) {
    std::cerr << fmt::format("entmc check: error: --memory {} is less than entmc already uses before exploring ({})\n",
                             opt.memory, mib(util::current_rss_bytes()));
    return kExitBadInput;
  }
  eo.frontier_on_disk = opt.frontier == "disk";
  eo.links_on_disk = opt.links == "disk";
  if (eo.links_on_disk) {
    const char* with = opt.exact               ? "--exact"
                       : eo.frontier_on_disk   ? "--frontier disk"
                       : under_mpi(opt)        ? "--mpi"
                                               : nullptr;
    if (with) {
      std::cerr << fmt::format("entmc check: error: --links disk is not available with {} (docs/explorer.md)\n", with);
      return kExitBadInput;
    }
  }
  if (opt.expect_states) {
    // A table of that size is bad input when it cannot be made, or when it
    // would pass the memory limit once full (its pages are touched as the
    // states arrive: the run would stop for memory before reaching them).
    eo.expect_states = opt.expect_states;
    const bool mpi = under_mpi(opt);
    const unsigned ranks = std::max(1u, engine::mpi_world_size_from_env());
    const uint64_t slots = engine::presized_table_slots(eo, ranks);
    if (slots > engine::FingerprintSet::kMaxSlots) {
      std::cerr << fmt::format(
          "entmc check: error: --expect-states {}: a visited set for that many states needs {} slots{}, more than "
          "the 2^31 - 1 it can have\n",
          opt.expect_states, slots, ranks > 1 ? " per rank" : "");
      return kExitBadInput;
    }
    const uint64_t bytes = engine::presized_table_bytes(eo, ranks, mpi);
    if (bytes > util::memory_budget(eo.memory_limit)) {
      std::cerr << fmt::format(
          "entmc check: error: --expect-states {}: a visited set for that many states takes {}{}, more than "
          "--memory {} allows for it ({}); give a smaller count or a larger --memory\n",
          opt.expect_states, mib(bytes), ranks > 1 ? " per rank" : "",
          opt.memory.empty() ? util::default_memory_limit_text() : opt.memory,
          mib(util::memory_budget(eo.memory_limit)));
      return kExitBadInput;
    }
  }
  eo.frontier_disk.work_dir = opt.work_dir;
  eo.frontier_disk.zstd_level = opt.frontier_zstd;
  eo.mpi_zstd = opt.mpi_zstd;
  if (!opt.disk.empty())
    if (const std::string why = util::parse_size(opt.disk, eo.frontier_disk.disk_limit); !why.empty()) {
      std::cerr << fmt::format("entmc check: error: --disk {}\n", why);  // as --memory's (util::parse_size)
      return kExitBadInput;
    }
  eo.checkpoint_dir = opt.checkpoint;
  eo.resume_dir = opt.resume;
  eo.checkpoint_every_s = opt.checkpoint_every * 60;
  eo.run_identity = run_identity(opt, props);
  if (!opt.checkpoint.empty()) {
    util::defer_signals_to(&g_checkpoint_request);
    eo.checkpoint_request = &g_checkpoint_request;
  }
  if (!opt.quiet)
    eo.progress = [&opt](const engine::Progress& p) {
      // An ETA when a limit bounds the run: the states still allowed at the
      // current rate, or the time left.
      double eta = -1;
      if (opt.max_states && p.states_per_second > 0)
        eta = double(opt.max_states - std::min<uint64_t>(opt.max_states, p.states)) / p.states_per_second;
      if (opt.time_limit > 0) eta = eta < 0 ? opt.time_limit - p.seconds : std::min(eta, opt.time_limit - p.seconds);
      std::cerr << fmt::format("[check] {} states, queue {}, {} transitions, {}/s, depth {}, {:.0f}s, memory {} of {}{}\n",
                               si(double(p.states)), si(double(p.queue)), si(double(p.transitions)),
                               si(p.states_per_second), p.depth, p.seconds, mib(p.rss_bytes), mib(p.memory_limit),
                               eta >= 0 ? fmt::format(", ETA {:.0f}s", eta) : std::string());
    };
  ExploreResult r;
  {
    const util::Deadline deadline(opt.time_limit);
    try {
      // Under an MPI launcher with several processes every rank runs this
      // same code; rank 0 alone prints and writes (r.report_rank).
      if (under_mpi(opt))
        r = engine::explore_distributed(in.start, in.scenario.names, in.bounds, rules, eo);
      else
        r = engine::explore(in.start, in.scenario.names, in.bounds, rules, eo);
    } catch (const std::exception& e) {  // e.g. --work-dir cannot be created, a checkpoint of another model
      util::defer_signals_to(nullptr);
      std::cerr << fmt::format("entmc check: error: {}\n", e.what());
      return kExitBadInput;
    }
  }
  if (!opt.checkpoint.empty()) {
    util::defer_signals_to(nullptr);
    // The signal's checkpoint is written: the run now ends as interrupted.
    if (r.limit == "signal") util::request_stop(util::deferred_signal());
    if (r.checkpoints)
      std::cerr << fmt::format("entmc check: {} checkpoint{} written to {} (continue with --resume {})\n",
                               r.checkpoints, r.checkpoints == 1 ? "" : "s", opt.checkpoint, opt.checkpoint);
  }
  if (!r.limit_detail.empty()) std::cerr << fmt::format("entmc check: {}\n", r.limit_detail);
  // A stop request is a signal or --time-limit (docs/limits.md): say which.
  const util::StopReason stopped =
      r.limit == "stop-request" || r.limit == "signal" ? util::stop_reason() : util::StopReason::None;
  if (stopped != util::StopReason::None) r.limit = util::stop_description(stopped);
  const bool interrupted = util::is_signal(stopped);
  // An MPI rank other than 0 prints nothing and exits 0: mpirun's status is
  // then rank 0's (a rank exiting non-zero first would make mpirun kill rank
  // 0 while it writes the report).
  if (!r.report_rank) return kExitOk;

  // Counterexample files.
  std::vector<std::string> written;
  if (!opt.trace_out.empty())
    for (size_t i = 0; i < r.violations.size(); ++i) {
      const std::string path = trace_path_for(opt.trace_out, i, r.violations[i].property);
      if (const std::string why = util::write_file_atomic(path, engine::trace_scenario(in, r.violations[i]));
          !why.empty()) {
        std::cerr << "entmc check: error: " << why << "\n";
        return kExitBadInput;
      }
      written.push_back(path);
    }
  if (!opt.junit.empty() && !write_junit(opt.junit, props, r, in)) {
    std::cerr << fmt::format("entmc check: error: cannot write {}\n", opt.junit);
    return kExitBadInput;
  }

  uint64_t symmetric_states = 1;
  for (const auto& c : r.symmetry)
    for (size_t k = 2; k <= c.size(); ++k) symmetric_states *= k;

  int exit_code = r.stop == ExploreResult::Stop::Violation ? kExitViolation
                  : interrupted                            ? util::stop_exit_code(stopped)
                  : r.stop == ExploreResult::Stop::Limit   ? kExitLimit
                                                           : kExitOk;
  // --require-covers: a PASS that exercised less than the bounds promise is a failure.
  std::vector<std::string> gaps;
  if ((opt.require_covers || opt.require_enabled) && exit_code == kExitOk)
    gaps = require_covers_gaps(in.bounds, r, opt.require_covers);
  for (const std::string& g : gaps)
    std::cerr << "entmc check: " << (opt.require_covers ? "--require-covers: " : "--require-enabled: ") << g << "\n";
  if (!gaps.empty()) exit_code = kExitViolation;
  if (!opt.html.empty() &&
      !write_check_html(opt.html, opt, in, r, written, std::string(report::to_string(report::verdict_for_exit(exit_code))))) {
    std::cerr << fmt::format("entmc check: error: cannot write {}\n", opt.html);
    return kExitBadInput;
  }
  if (opt.json) {
    // The common envelope (report/envelope.h); check's own sections go under "check".
    report::Envelope env;
    env.command = "check";
    env.exit_code = exit_code;
    nlohmann::json& j = env.own;
    j["model"] = in.scenario.name;
    j["exhausted"] = r.stop == ExploreResult::Stop::Exhausted;
    j["limit"] = r.limit;
    j["interrupted"] = interrupted;
    if (opt.require_covers || opt.require_enabled) j["require_covers_gaps"] = gaps;
    env.inputs = {{"file", opt.file},
                  {"threads", eo.threads},
                  {"symmetry", !opt.no_symmetry},
                  {"exact", opt.exact},
                  {"keep_going", opt.keep_going},
                  {"require_covers", opt.require_covers},
                  {"require_enabled", opt.require_enabled},
                  {"max_states", opt.max_states},
                  {"max_depth", opt.max_depth},
                  {"expect_states", opt.expect_states},
                  {"memory_limit_bytes", eo.memory_limit}};
    env.statistics = {{"states", r.states},
                       {"transitions", r.transitions},
                       {"constrained_states", r.constrained},
                       {"depth", r.depth},
                       {"seconds", r.seconds},
                       {"states_per_second", r.states_per_second},
                       {"cpu_user_seconds", r.cpu.user_seconds},
                       {"cpu_system_seconds", r.cpu.system_seconds},
                       {"page_faults", r.cpu.page_faults},
                       {"table_growths", r.growths},
                       {"growth_seconds", r.growth_seconds},
                       {"level_end_seconds", r.level_end_seconds},
                       {"threads", r.threads},
                       {"peak_rss_bytes", r.peak_rss_bytes},
                       {"store_bytes", r.store_bytes},
                       {"bytes_per_state", r.bytes_per_state},
                       {"table_load", r.table_load},
                       {"peak_queue_bytes", r.peak_queue_bytes},
                       {"exact", opt.exact},
                       {"verify_change_log", eo.verify_change_log},
                       {"collision_probability", r.collision_probability},
                       {"frontier", r.frontier_on_disk ? "disk" : "ram"},
                       {"links", r.links_on_disk ? "disk" : "ram"},
                       {"trace_file_bytes", r.trace_file_bytes},
                       {"resumed", r.resumed},
                       {"checkpoints", r.checkpoints},
                       {"peak_disk_bytes", r.peak_disk_bytes},
                       {"frontier_raw_bytes", r.frontier_raw_bytes},
                       {"frontier_stored_bytes", r.frontier_stored_bytes},
                       {"mpi_ranks", r.ranks},
                       {"mpi_wire_bytes", r.wire_bytes}};
    nlohmann::json classes = nlohmann::json::array();
    for (const auto& c : r.symmetry) {
      nlohmann::json cls = nlohmann::json::array();
      for (AccountIx a : c) cls.push_back(in.scenario.names.account(a));
      classes.push_back(cls);
    }
    j["symmetry"] = {{"enabled", !opt.no_symmetry}, {"classes", classes}, {"group_order", symmetric_states}};
    nlohmann::json cov = nlohmann::json::object();
    for (int op = 0; op < kOpCount; ++op)
      if (r.op_in_bounds[op])
        cov[std::string(to_string(Op(op)))] = {{"succeeded", r.coverage[op].succeeded},
                                               {"failed", r.coverage[op].failed}};
    j["coverage"] = cov;
    nlohmann::json gs = nlohmann::json::object(), ls = nlohmann::json::object();
    for (GrantStatus s : kModelGrantStatuses) gs[std::string(to_string(s))] = bool(r.grant_statuses & (1u << unsigned(s)));
    for (LicenseStatus s : kModelLicenseStatuses)
      ls[std::string(to_string(s))] = bool(r.license_statuses & (1u << unsigned(s)));
    j["grant_statuses_reached"] = gs;
    j["license_statuses_reached"] = ls;
    nlohmann::json kinds = nlohmann::json::array();
    for (size_t i = 0; i < r.violations.size(); ++i) {
      const auto& v = r.violations[i];
      report::Failure f;
      f.property = v.property;
      f.step = v.trace.steps.size();
      f.detail = v.detail;
      f.trace = trace_json(in, v.trace);
      if (i < written.size()) {
        f.scenario = written[i];
        f.replay = "entmc replay " + report::shell_word(written[i]);
      }
      f.rerun = rerun_line(opt, v.property, i < written.size() ? written[i] : "");
      env.failures.push_back(std::move(f));
      kinds.push_back({{"property", v.property}, {"kind", to_string(v.kind)}, {"trace_complete", v.trace_ok}});
    }
    j["violations"] = kinds;
    nlohmann::json cover = nlohmann::json::array();
    for (const auto& s : r.sometimes)
      cover.push_back({{"property", s.property}, {"reached", s.reached}, {"depth", s.depth}});
    j["cover"] = cover;
    nlohmann::json checked = nlohmann::json::array();
    for (std::string_view name : unique_names(props)) checked.push_back(name);
    env.inputs["properties"] = checked;
    if (opt.profile) j["profile"] = profile_json(r);
    std::cout << report::to_json(env).dump(2) << "\n";
  } else {
    auto& o = std::cout;
    o << fmt::format("entmc check {}: {}\n", opt.file, in.scenario.name);
    o << fmt::format("  start state after {} steps; {} operations in bounds; {} properties checked; {} thread{}\n",
                     in.prefix.size(), in.bounds.operations.size(), unique_names(props).size(), r.threads, r.threads == 1 ? "" : "s");
    for (size_t i = 0; i < r.violations.size(); ++i) {
      const auto& v = r.violations[i];
      o << fmt::format("\nVIOLATION {} ({}): {}\n", v.property, to_string(v.kind), v.detail);
      o << fmt::format("  shortest trace: {} call{} from the start state{}\n", v.trace.steps.size(),
                       v.trace.steps.size() == 1 ? "" : "s", v.trace_ok ? "" : " (INCOMPLETE: fingerprint collision)");
      for (const auto& l : trace_lines(in, v.trace)) o << "  " << l << "\n";
      if (i < written.size())
        o << fmt::format("  written to {}\n  replay it: entmc replay {}\n", written[i], report::shell_word(written[i]));
      o << fmt::format("  rerun:     {}\n", rerun_line(opt, v.property, i < written.size() ? written[i] : ""));
    }
    o << "\nstatistics:\n";
    o << fmt::format("  distinct states   {}{}\n", r.states,
                     r.constrained ? fmt::format(" ({} beyond a cap, checked but not expanded)", r.constrained) : "");
    o << fmt::format("  transitions       {} (failed calls included)\n", r.transitions);
    o << fmt::format("  depth             {}\n", r.depth);
    o << fmt::format("  time              {:.2f} s, {} states/s on {} thread{}\n", r.seconds, si(r.states_per_second),
                     r.threads, r.threads == 1 ? "" : "s");
    // User and system apart: the system part is mostly first-touched memory,
    // which on a virtual machine moves from run to run (docs/peers.md).
    if (r.ranks <= 1)
      o << fmt::format("  cpu               {:.2f} s user + {:.2f} s system; {} page faults\n", r.cpu.user_seconds,
                       r.cpu.system_seconds, r.cpu.page_faults);
    // Where workers wait on each other: what a second thread cannot speed up
    // (the growths and level ends are themselves split among the threads).
    if (r.ranks <= 1)
      o << fmt::format("  between rounds    {:.2f} s in {} table growth{}, {:.2f} s in level ends\n", r.growth_seconds,
                       r.growths, r.growths == 1 ? "" : "s", r.level_end_seconds);
    // The visited set grew: a run of the same model can size it up front
    // (as SPIN's -w), now that the count is known. Not with links on disk,
    // whose level-table rounds count as growths and stay.
    if (r.ranks <= 1 && r.growths > 0 && !r.links_on_disk && r.stop == engine::ExploreResult::Stop::Exhausted)
      o << fmt::format("                    (rerun with --expect-states {} to size the table up front: no growths)\n",
                       r.states);
    // The table starts at 6 MiB and grows by 1/6 when 9/10 full: below its
    // first growth, bytes per state says more about the start size.
    o << fmt::format("  memory            peak RSS {}; visited set {} = {:.1f} bytes/state{} ({:.0f}% full); queue peak {}\n",
                     mib(r.peak_rss_bytes), mib(r.store_bytes), r.bytes_per_state,
                     opt.exact ? " (whole states)" : "", 100 * r.table_load, mib(r.peak_queue_bytes));
    if (r.ranks > 1)
      o << fmt::format("  MPI               {} ranks; {} sent between them ({:.1f} bytes per state)\n", r.ranks,
                       mib(r.wire_bytes), r.states ? double(r.wire_bytes) / double(r.states) : 0.0);
    if (r.links_on_disk)
      o << fmt::format("  links on disk     trace file {} ({:.0f} bytes/state)\n", mib(r.trace_file_bytes),
                       r.states ? double(r.trace_file_bytes) / double(r.states) : 0.0);
    if (r.frontier_on_disk)
      o << fmt::format("  frontier on disk  peak {}; {} written ({} before zstd)\n", mib(r.peak_disk_bytes),
                       mib(r.frontier_stored_bytes), mib(r.frontier_raw_bytes));
    if (!opt.exact)
      o << fmt::format("  fingerprints      64-bit; estimated collision probability {:.3g}\n", r.collision_probability);
    if (opt.no_symmetry) {
      o << "  symmetry          off\n";
    } else if (r.symmetry.empty()) {
      o << "  symmetry          none: no interchangeable member accounts\n";
    } else {
      std::string cls;
      for (const auto& c : r.symmetry) {
        cls += cls.empty() ? "{" : ", {";
        for (size_t k = 0; k < c.size(); ++k) cls += (k ? " " : "") + in.scenario.names.account(c[k]);
        cls += "}";
      }
      o << fmt::format("  symmetry          {}: each stored state stands for up to {} permuted ones\n", cls,
                       symmetric_states);
    }
    if (opt.profile) print_profile(o, r);
    o << "coverage (calls tried in every state):\n";
    for (int op = 0; op < kOpCount; ++op) {
      if (!r.op_in_bounds[op]) continue;
      const auto& c = r.coverage[op];
      o << fmt::format("  {:<34} ok {:>10}  failed {:>10}{}\n", to_string(Op(op)), c.succeeded, c.failed,
                       c.succeeded == 0 ? "  NEVER ENABLED" : "");
    }
    std::string reached, missed;
    for (GrantStatus s : kModelGrantStatuses)
      ((r.grant_statuses & (1u << unsigned(s))) ? reached : missed) += std::string(" ") + std::string(to_string(s));
    o << fmt::format("  grant statuses reached:{}{}\n", reached, missed.empty() ? "" : "; NEVER REACHED:" + missed);
    reached.clear();
    missed.clear();
    for (LicenseStatus s : kModelLicenseStatuses)
      ((r.license_statuses & (1u << unsigned(s))) ? reached : missed) += std::string(" ") + std::string(to_string(s));
    o << fmt::format("  license statuses reached:{}{}\n", reached, missed.empty() ? "" : "; NEVER REACHED:" + missed);
    if (!r.sometimes.empty()) {
      o << "cover properties:\n";
      for (const auto& s : r.sometimes)
        o << fmt::format("  {:<40} {}\n", s.property,
                         s.reached ? fmt::format("example at depth {}", s.depth) : std::string("NEVER REACHED"));
    }
    if (r.stop == ExploreResult::Stop::Violation)
      o << fmt::format("\nFAIL: {} propert{} violated\n", r.violations.size(), r.violations.size() == 1 ? "y" : "ies");
    else if (interrupted)
      o << fmt::format("\nINTERRUPTED: {}: the run stopped before the bounded space was exhausted\n", r.limit);
    else if (r.stop == ExploreResult::Stop::Limit)
      o << fmt::format("\nINCOMPLETE: the {} limit stopped the run before the bounded space was exhausted\n", r.limit);
    else if (!gaps.empty())
      o << fmt::format("\nFAIL (--require-{}): every property holds in all {} states, but {} gap{} (above)\n",
                       opt.require_covers ? "covers" : "enabled", r.states, gaps.size(), gaps.size() == 1 ? "" : "s");
    else
      o << fmt::format("\nPASS: every property holds in all {} states of the bounded space\n", r.states);
  }
  return exit_code;
}

}  // namespace entmc::cli
