// Distributed exploration on MPI (`mpirun -np N entmc check ...`; design and
// measurements: docs/beyond-one-machine.md).
//
// Each rank owns the states whose fingerprint's low 32 bits scale to it (the
// visited set's home slot uses the top bits, so a rank's table is still
// filled evenly), keeps them in its own visited set and expands only its own
// frontier. A successor owned elsewhere goes to its owner in a batch (its
// fingerprint, its parent's fingerprint, its packed bytes); the owner
// inserts it, checks it when new and queues it for the next level.
// Level-synchronous: a level ends when every rank has received every other
// rank's end marker; then sums, maxima and the level's findings are combined
// by collectives, so every rank takes the same decisions (stop, report,
// which properties are still checked).
//
// Determinism: a parent link is the parent's fingerprint, the least one among
// the parents of the state's level (so it does not depend on arrival order);
// a rank's frontier is in fingerprint order; the finding reported is the
// least by (fingerprint of the source or new state, transition first, call).
// Traces and counterexamples are therefore the same for every rank count,
// and of the same (shortest) length as a single process's; the distinct
// states, transitions, coverage and verdicts are identical.
//
// Rank 0 reports: its ExploreResult holds the combined figures and the
// traces (walked up the parent links by asking each link's owner, then
// replayed forward as in trace.h); the other ranks return the same verdict
// and figures without traces (report_rank false).
//
// --frontier disk: each rank streams its frontier to its own files (a
// FrontierStore in WORK_DIR/entmc-frontier-rank-R-XXXXXX, removed at the
// end), in the same fingerprint order; --disk is per rank, and a rank over
// it (or an I/O error) stops every rank at the level's end (limit "disk").
// Threads inside a rank (-j N; default 1 under MPI): N threads expand the
// rank's frontier (claimed in runs of positions, or the disk frontier's
// blocks) and share its visited set (lock-free inserts; the parent
// fingerprint lowered by an atomic min, so links do not depend on which
// thread got there first), each with its own batches per destination and
// sent cache; full batches go to an outbox that the MPI thread (the only
// one that calls MPI: MPI_THREAD_FUNNELED) sends, while it also receives and
// stores the states that arrive, grows the table when every thread waits,
// and watches the limits. Counts, traces and counterexamples are those of
// one thread per rank.
// Not under MPI (refused, exit 2): --exact. --max-states: each rank stops at
// its share of the cap, ceil(cap / ranks), as at its memory limit.
#pragma once

#include "engine/explorer.h"

namespace entmc::engine {

// Whether this binary was built with MPI (the ENTMC_MPI CMake option).
bool mpi_built();

// The world size an MPI launcher announced in the environment
// (OMPI_COMM_WORLD_SIZE, PMI_SIZE), 0 when not started by one.
unsigned mpi_world_size_from_env();

// As explore(), across the ranks of MPI_COMM_WORLD; every rank calls it with
// the same arguments. Throws std::invalid_argument for an option it does not
// support (before any MPI call) and std::runtime_error when built without MPI.
ExploreResult explore_distributed(const World& start, const Names& names, const Bounds& bounds, const Rules& rules,
                                  const ExploreOptions& options);

}  // namespace entmc::engine
