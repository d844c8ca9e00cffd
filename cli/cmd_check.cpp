// `entmc check FILE`: the command line; the work is in check_run.cpp.
#include <memory>

#include "cli/check_run.h"
#include "cli/command.h"
#include "cli/option_checks.h"
#include "util/memory_budget.h"

namespace entmc::cli {
namespace {

const Registration kCheck(20, [](CLI::App& app) {
  auto opt = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check", "Explore every state within a scenario's bounds, checking every property (exit 0 pass, 1 violation, "
               "2 bad input, 3 limit)");
  cmd->add_option("file", opt->file, "Scenario file with a bounds: section (docs/explorer.md)")->required();
  cmd->add_option("--threads,-j", opt->threads, "Worker threads (default: all cores)");
  cmd->add_flag("--no-symmetry", opt->no_symmetry, "Do not identify states that differ by interchangeable accounts");
  cmd->add_flag("--exact", opt->exact, "Store whole states instead of 64-bit fingerprints");
  cmd->add_flag("--verify-change-log", opt->verify_change_log,
                "Also compare the whole state after every call with an empty change log (catches a rule "
                "that writes without logging; about 10% slower; always on in debug builds)");
  cmd->add_option("--property,-p", opt->properties, "Check only this property (repeatable)");
  cmd->add_flag("--keep-going,-k", opt->keep_going, "Report every violated property, each with its shortest trace");
  cmd->add_option("--max-states", opt->max_states, "Stop (exit 3) after this many distinct states (at least 1)")
      ->check(no_minus())
      ->check(CLI::Range(uint64_t(1), ~uint64_t(0)));
  cmd->add_option("--max-depth", opt->max_depth, "Stop (exit 3) before expanding this depth (at least 1)")
      ->check(no_minus())
      ->check(CLI::Range(uint32_t(1), ~uint32_t(0)));
  cmd->add_option("--memory", opt->memory,
                  "Stop (exit 3) before resident memory passes this (e.g. 512M, 4G); default: " +
                      util::default_memory_limit_text() + " (docs/limits.md)")
      ->check(non_empty());
  cmd->add_option("--time-limit", opt->time_limit, "Stop (exit 3) after this many seconds of wall clock")
      ->check(seconds());
  cmd->add_option("--trace-out", opt->trace_out, "Write the counterexample as a scenario for entmc replay");
  cmd->add_flag("--json", opt->json, "Print the whole report as one JSON document");
  cmd->add_option("--junit", opt->junit, "Write a JUnit XML report (one test case per property)");
  cmd->add_flag("--quiet,-q", opt->quiet, "No progress lines on stderr");
  cmd->callback([opt] { set_exit_code(run_check(*opt)); });
});

}  // namespace
}  // namespace entmc::cli
