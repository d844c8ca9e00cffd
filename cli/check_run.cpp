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

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "cli/command.h"
#include "engine/check_input.h"
#include "engine/explorer.h"
#include "scenario/scenario_run.h"
#include "util/atomic_file.h"
#include "util/memory_budget.h"
#include "util/output_paths.h"
#include "util/stop_request.h"

namespace entmc::cli {
namespace {

using engine::ExploreResult;

std::string si(double x) {
  if (x >= 1e9) return fmt::format("{:.2f}G", x / 1e9);
  if (x >= 1e6) return fmt::format("{:.2f}M", x / 1e6);
  if (x >= 1e4) return fmt::format("{:.1f}k", x / 1e3);
  return fmt::format("{:.0f}", x);
}

// Property names as users see them, in catalogue order: a property with a
// state check and a transition check has two catalogue entries, one name.
std::vector<std::string_view> unique_names(const std::vector<const Property*>& props) {
  std::vector<std::string_view> names;
  std::set<std::string_view> seen;
  for (const Property* p : props)
    if (seen.insert(p->name).second) names.push_back(p->name);
  return names;
}

std::string mib(uint64_t b) { return fmt::format("{:.1f} MiB", double(b) / (1024.0 * 1024.0)); }

// Statuses the model documents as reachable (types.h): the others are
// transient states of the real service that a synchronous model never rests in.
constexpr GrantStatus kModelGrantStatuses[] = {GrantStatus::PENDING_ACCEPT, GrantStatus::REJECTED,
                                               GrantStatus::ACTIVE,         GrantStatus::DELETED,
                                               GrantStatus::DISABLED,       GrantStatus::WORKFLOW_COMPLETED};
constexpr LicenseStatus kModelLicenseStatuses[] = {LicenseStatus::AVAILABLE, LicenseStatus::DEACTIVATED,
                                                   LicenseStatus::EXPIRED, LicenseStatus::DELETED};

std::vector<std::string> trace_lines(const engine::CheckInput& in, const engine::Trace& t) {
  std::vector<std::string> lines;
  const Names& names = in.scenario.names;
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

std::string trace_path_for(const std::string& base, size_t index, const std::string& property) {
  if (index == 0) return base;
  const auto dot = base.rfind('.');
  const auto slash = base.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return base + "-" + property;
  return base.substr(0, dot) + "-" + property + base.substr(dot);
}

nlohmann::json trace_json(const engine::CheckInput& in, const engine::Trace& t) {
  nlohmann::json steps = nlohmann::json::array();
  const World* before = &t.start;
  for (const auto& s : t.steps) {
    steps.push_back({{"operation", to_string(s.call.op)},
                     {"caller", in.scenario.names.account(s.call.caller)},
                     {"call", describe_call(s.call, in.scenario.names, before)},
                     {"outcome", describe_outcome(s.outcome, s.call, in.scenario.names)},
                     {"changes", change_lines(s.after, s.changes, in.scenario.names)}});
    before = &s.after;
  }
  return steps;
}

// One test case per property name. Returns false if the file cannot be written.
bool write_junit(const std::string& path, const CheckOptions& opt, const std::vector<const Property*>& props,
                 const ExploreResult& r, const engine::CheckInput& in) {
  auto esc = [](std::string s) {
    std::string o;
    for (char c : s) {
      if (c == '<') o += "&lt;";
      else if (c == '>') o += "&gt;";
      else if (c == '&') o += "&amp;";
      else if (c == '"') o += "&quot;";
      else o += c;
    }
    return o;
  };
  const std::vector<std::string_view> names = unique_names(props);
  size_t failures = 0, skipped = 0;
  std::string cases;
  for (std::string_view name : names) {
    cases += fmt::format("  <testcase classname=\"entmc.check\" name=\"{}\" time=\"{:.3f}\">\n", esc(std::string(name)),
                         r.seconds);
    bool failed = false, skip = false;
    for (const auto& v : r.violations)
      if (v.property == name) {
        std::string body;
        for (const auto& l : trace_lines(in, v.trace)) body += l + "\n";
        cases += fmt::format("    <failure message=\"{}\">{}</failure>\n", esc(v.detail), esc(body));
        failed = true;
      }
    for (const auto& s : r.sometimes)
      if (s.property == name && !s.reached) {
        cases += "    <skipped message=\"cover property never reached within the bounds\"/>\n";
        skip = true;
      }
    if (!failed && !skip && r.stop == ExploreResult::Stop::Limit) {
      cases += fmt::format("    <skipped message=\"not exhausted: the {} limit stopped the run\"/>\n", r.limit);
      skip = true;
    }
    cases += "  </testcase>\n";
    failures += failed;
    skipped += !failed && skip;
  }
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format("<testsuite name=\"entmc check {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.3f}\">\n",
                     esc(opt.file), names.size(), failures, skipped, r.seconds);
  if (r.stop == ExploreResult::Stop::Limit)  // interrupted or stopped by a limit: say which, for the CI log
    xml += fmt::format("  <properties><property name=\"stopped_by\" value=\"{}\"/></properties>\n", esc(r.limit));
  xml += cases + "</testsuite>\n";
  const std::string why = util::write_file_atomic(path, xml);
  if (!why.empty()) std::cerr << "entmc check: error: " << why << "\n";
  return why.empty();
}

}  // namespace

int run_check(const CheckOptions& opt, const Rules& rules) {
  // Every output is checked before the run (docs/limits.md): a long run must
  // not end by throwing its report away, nor overwrite its own model.
  {
    util::OutputPaths outputs;
    outputs.input(opt.file);
    outputs.file("--trace-out", opt.trace_out);
    outputs.file("--junit", opt.junit);
    if (const std::string why = outputs.problem(); !why.empty()) {
      std::cerr << "entmc check: error: " << why << "\n";
      return kExitBadInput;
    }
  }
  engine::CheckInput in;
  try {
    in = engine::load_check_input(opt.file, rules);
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  }
  std::vector<const Property*> props;
  if (opt.properties.empty()) {
    for (const Property& p : all_properties()) props.push_back(&p);
  } else {
    for (const std::string& name : opt.properties) {
      const size_t before = props.size();
      for (const Property& p : all_properties())  // a state entry and a transition entry may share a name
        if (p.name == name) props.push_back(&p);
      if (props.size() == before) {
        std::cerr << fmt::format("entmc check: error: unknown property '{}'\n", name);
        return kExitBadInput;
      }
    }
  }
  engine::ExploreOptions eo;
  eo.threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  eo.symmetry = !opt.no_symmetry;
  eo.exact = opt.exact;
  eo.verify_change_log = eo.verify_change_log || opt.verify_change_log;
  eo.keep_going = opt.keep_going;
  eo.max_states = opt.max_states;
  eo.max_depth = opt.max_depth;
  eo.properties = props;
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
    r = engine::explore(in.start, in.scenario.names, in.bounds, rules, eo);
  }
  // A stop request is a signal or --time-limit: say which.
  const util::StopReason stopped = r.limit == "stop-request" ? util::stop_reason() : util::StopReason::None;
  if (stopped != util::StopReason::None) r.limit = util::stop_description(stopped);
  const bool interrupted = stopped == util::StopReason::Interrupt || stopped == util::StopReason::Terminate;

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
  if (!opt.junit.empty() && !write_junit(opt.junit, opt, props, r, in)) {
    std::cerr << fmt::format("entmc check: error: cannot write {}\n", opt.junit);
    return kExitBadInput;
  }

  const char* verdict = r.stop == ExploreResult::Stop::Violation ? "FAIL"
                        : interrupted                            ? "INTERRUPTED"
                        : r.stop == ExploreResult::Stop::Limit   ? "INCOMPLETE"
                                                                 : "PASS";
  uint64_t symmetric_states = 1;
  for (const auto& c : r.symmetry)
    for (size_t k = 2; k <= c.size(); ++k) symmetric_states *= k;

  if (opt.json) {
    nlohmann::json j;
    j["file"] = opt.file;
    j["model"] = in.scenario.name;
    j["verdict"] = verdict;
    j["exhausted"] = r.stop == ExploreResult::Stop::Exhausted;
    j["limit"] = r.limit;
    j["interrupted"] = interrupted;
    j["memory_limit_bytes"] = eo.memory_limit;
    j["statistics"] = {{"states", r.states},
                       {"transitions", r.transitions},
                       {"constrained_states", r.constrained},
                       {"depth", r.depth},
                       {"seconds", r.seconds},
                       {"states_per_second", r.states_per_second},
                       {"threads", r.threads},
                       {"peak_rss_bytes", r.peak_rss_bytes},
                       {"store_bytes", r.store_bytes},
                       {"bytes_per_state", r.bytes_per_state},
                       {"table_load", r.table_load},
                       {"peak_queue_bytes", r.peak_queue_bytes},
                       {"exact", opt.exact},
                       {"verify_change_log", eo.verify_change_log},
                       {"collision_probability", r.collision_probability}};
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
    nlohmann::json viol = nlohmann::json::array();
    for (size_t i = 0; i < r.violations.size(); ++i) {
      const auto& v = r.violations[i];
      viol.push_back({{"property", v.property},
                      {"kind", to_string(v.kind)},
                      {"detail", v.detail},
                      {"trace", trace_json(in, v.trace)},
                      {"trace_file", i < written.size() ? written[i] : ""}});
    }
    j["violations"] = viol;
    nlohmann::json cover = nlohmann::json::array();
    for (const auto& s : r.sometimes)
      cover.push_back({{"property", s.property}, {"reached", s.reached}, {"depth", s.depth}});
    j["cover"] = cover;
    nlohmann::json checked = nlohmann::json::array();
    for (std::string_view name : unique_names(props)) checked.push_back(name);
    j["properties"] = checked;
    std::cout << j.dump(2) << "\n";
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
      if (i < written.size()) o << fmt::format("  written to {} (entmc replay {})\n", written[i], written[i]);
    }
    o << "\nstatistics:\n";
    o << fmt::format("  distinct states   {}{}\n", r.states,
                     r.constrained ? fmt::format(" ({} beyond a cap, checked but not expanded)", r.constrained) : "");
    o << fmt::format("  transitions       {} (failed calls included)\n", r.transitions);
    o << fmt::format("  depth             {}\n", r.depth);
    o << fmt::format("  time              {:.2f} s, {} states/s on {} thread{}\n", r.seconds, si(r.states_per_second),
                     r.threads, r.threads == 1 ? "" : "s");
    // The table starts at 6 MiB and grows by 1/6 when 9/10 full: below its
    // first growth, bytes per state says more about the start size.
    o << fmt::format("  memory            peak RSS {}; visited set {} = {:.1f} bytes/state{} ({:.0f}% full); queue peak {}\n",
                     mib(r.peak_rss_bytes), mib(r.store_bytes), r.bytes_per_state,
                     opt.exact ? " (whole states)" : "", 100 * r.table_load, mib(r.peak_queue_bytes));
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
    else
      o << fmt::format("\nPASS: every property holds in all {} states of the bounded space\n", r.states);
  }
  if (r.stop == ExploreResult::Stop::Violation) return kExitViolation;
  if (interrupted) return util::stop_exit_code(stopped);
  if (r.stop == ExploreResult::Stop::Limit) return kExitLimit;
  return kExitOk;
}

}  // namespace entmc::cli
