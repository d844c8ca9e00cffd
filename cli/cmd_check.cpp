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
  cmd->add_option("--threads,-j", opt->threads,
                  "Worker threads (default: all cores; under MPI, of each rank, default 1)");
  cmd->add_flag("--no-symmetry", opt->no_symmetry, "Do not identify states that differ by interchangeable accounts");
  cmd->add_flag("--exact", opt->exact, "Store whole states instead of 64-bit fingerprints");
  cmd->add_flag("--verify-change-log", opt->verify_change_log,
                "Also compare the whole state after every call with an empty change log (catches a rule "
                "that writes without logging; about 10% slower; always on in debug builds)");
  cmd->add_option("--property,-p", opt->properties, "Check only this property (repeatable)");
  cmd->add_flag("--keep-going,-k", opt->keep_going, "Report every violated property, each with its shortest trace");
  cmd->add_flag("--require-covers", opt->require_covers,
                "Fail (exit 1) when a cover property is never reached, an operation of the bounds never succeeds "
                "or a bounds domain it needs is empty (no vacuous PASS)");
  cmd->add_flag("--require-enabled", opt->require_enabled,
                "As --require-covers, but cover properties may stay unreached (a model set may reach each in "
                "one model: scripts/ci-models.sh)");
  cmd->add_option("--max-states", opt->max_states, "Stop (exit 3) after this many distinct states (at least 1)")
      ->check(no_minus())
      ->check(CLI::Range(uint64_t(1), ~uint64_t(0)));
  cmd->add_option("--max-depth", opt->max_depth, "Stop (exit 3) before expanding this depth (at least 1)")
      ->check(no_minus())
      ->check(CLI::Range(uint32_t(1), ~uint32_t(0)));
  cmd->add_option("--expect-states", opt->expect_states,
                  "Size the visited set up front for this many states (say, an earlier run's count), so that it "
                  "does not grow until then (4/5 full then); as SPIN's -w. Its memory is touched as states arrive. "
                  "Refused over --memory")
      ->check(no_minus())
      ->check(CLI::Range(uint64_t(1), ~uint64_t(0)));
  cmd->add_option("--memory", opt->memory,
                  "Stop (exit 3) before resident memory passes this (e.g. 512M, 4G); default: " +
                      util::default_memory_limit_text() + " (docs/limits.md)")
      ->check(non_empty());
  cmd->add_option("--time-limit", opt->time_limit, "Stop (exit 3) after this many seconds of wall clock")
      ->check(seconds());
  cmd->add_option("--trace-out", opt->trace_out, "Write the counterexample as a scenario for entmc replay");
  cmd->add_flag("--json", opt->json, "Print the whole report as one JSON document");
  cmd->add_option("--junit", opt->junit, "Write a JUnit XML report (one test case per property)");
  cmd->add_option("--html", opt->html, "Write a self-contained HTML report (counterexample timeline, coverage)");
  cmd->add_flag("--quiet,-q", opt->quiet, "No progress lines on stderr");
  cmd->add_flag("--profile", opt->profile,
                "Time each part of the workers' calls (the model per operation, each property, fingerprints, "
                "lookups) and print where the time went; the run is slower by its timers (not with --mpi)");
  cmd->add_option("--frontier", opt->frontier,
                  "Where the BFS queue lives: ram (default) or disk (files in --work-dir; RAM holds the visited set)")
      ->check(CLI::IsMember({"ram", "disk"}));
  cmd->add_option("--links", opt->links,
                  "Where the parent links live: ram (default; 12 bytes a visited-set slot) or disk (a trace file in "
                  "--work-dir; 8 bytes a slot, plus a table of the current level's new states)")
      ->check(CLI::IsMember({"ram", "disk"}));
  cmd->add_option("--work-dir", opt->work_dir,
                  "Directory for --frontier disk's files and --links disk's trace file (default: the system temp dir)");
  cmd->add_option("--disk", opt->disk, "Stop (exit 3) before --frontier disk's files pass this size (e.g. 100G)");
  cmd->add_option("--frontier-zstd", opt->frontier_zstd, "zstd level of --frontier disk's blocks (0: uncompressed)")
      ->check(CLI::Range(0, 19));
  cmd->add_option("--checkpoint", opt->checkpoint,
                  "Write a checkpoint to this directory at level ends (every --checkpoint-every minutes, and on "
                  "SIGTERM/SIGINT, after which the run stops as interrupted: reports written, exit 130/143)");
  cmd->add_option("--checkpoint-every", opt->checkpoint_every, "Minutes between checkpoints (default 10; 0: every level)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--resume", opt->resume,
                  "Continue from the newest checkpoint in this directory (refused for another model, bounds, "
                  "option set or binary)");
  cmd->add_flag("--mpi", opt->mpi,
                "Explore across the ranks of an MPI job (implied under mpirun with more than one process; "
                "docs/beyond-one-machine.md)");
  cmd->add_option("--mpi-zstd", opt->mpi_zstd,
                  "zstd level of the batches sent between MPI ranks (0: raw, the default; pays on a network)")
      ->check(CLI::Range(0, 19));
  cmd->callback([opt] { set_exit_code(run_check(*opt, command_rules())); });
});

}  // namespace
}  // namespace entmc::cli
