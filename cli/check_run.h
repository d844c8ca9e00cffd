// `entmc check`'s options and its run, separate from the command-line
// registration so that tests can run the same report code with other rules.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/apply.h"

namespace entmc::cli {

struct CheckOptions {
  std::string file;
  unsigned threads = 0;  // 0: all cores
  bool no_symmetry = false, exact = false, keep_going = false, json = false, quiet = false;
  bool verify_change_log = false;  // debug builds verify it whatever this says (ExploreOptions)
  std::vector<std::string> properties;  // empty: all
  uint64_t max_states = 0;
  uint32_t max_depth = 0;
  // Size the visited set for this many states up front (0: grow it as
  // states come; engine ExploreOptions::expect_states).
  uint64_t expect_states = 0;
  std::string memory;  // empty: util::default_memory_limit_bytes()
  double time_limit = 0;  // seconds of wall clock (0: none); a stop request (util/stop_request.h)
  std::string trace_out, junit;
  // The BFS queue: "ram" or "disk" (engine/frontier_store.h), its work
  // directory, disk limit and zstd level.
  std::string frontier = "ram", work_dir, disk;
  int frontier_zstd = 1;
  // Where the parent links live: "ram" (beside each fingerprint) or "disk"
  // (a trace file in work_dir; engine/trace_file.h).
  std::string links = "ram";
  // Checkpoints (engine/checkpoint.h): where to write them, how often
  // (minutes; 0 = every level) and where to resume from.
  std::string checkpoint, resume;
  double checkpoint_every = 10;
  std::string html;  // a self-contained HTML report (report/html.h)
  // Distributed exploration (engine/distributed_explorer.h): with --mpi, or
  // when an MPI launcher started more than one process.
  bool mpi = false;
  int mpi_zstd = 0;  // zstd level of the batches between ranks (0: raw)
  // A run that passes but leaves a cover property unreached, an operation
  // never enabled or a bounds domain empty fails (exit 1): require_covers.h.
  bool require_covers = false;
  // The same without the cover properties (a model set may reach each in one
  // of its models: scripts/ci-models.sh requires them across the set).
  bool require_enabled = false;
  // Where the workers' time went, part by part (engine/run_profile.h): a
  // table after the statistics, "profile" in --json. Not under MPI.
  bool profile = false;
};

// Prints the report on stdout (progress and errors on stderr) and returns the
// exit code (command.h's ExitCode).
int run_check(const CheckOptions& opt, const Rules& rules = Rules::standard());

}  // namespace entmc::cli
