// The explorer: breadth-first enumeration of every state reachable from a
// start state by the calls of the bounds (bounds.h), checking properties on
// every state and every transition, failing calls included.
//
// Level by level: the workers expand the states of depth d (the frontier)
// while sharing one visited set (fingerprint_set.h); the new states become the
// frontier of depth d + 1, ordered by (first parent in frontier order,
// fingerprint). That order and the parent links do not depend on which thread
// found a state first, so the counterexample reported (the least one of the
// first level that has any) is a shortest one, and the same one for every
// thread count.
//
// Successors come only from apply() with the given Rules (one semantics).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/bounds.h"
#include "engine/fingerprint_set.h"
#include "engine/frontier_store.h"
#include "engine/symmetry.h"
#include "engine/trace.h"
#include "model/apply.h"
#include "model/names.h"
#include "properties/property.h"
#include "util/cpu_usage.h"

namespace entmc::engine {

struct ExploreOptions {
  unsigned threads = 1;
  bool symmetry = true;
  bool exact = false;       // store whole states, no fingerprint collisions
  bool keep_going = false;  // report every violated property, not only the first
  // The rules' discipline: every write goes through the mutation helpers,
  // which log it (model/changes_log.h), so a call whose change log is empty
  // changed nothing. The explorer trusts that for the many calls that fail;
  // verify_change_log also compares the whole state after each of them, so a
  // write that bypassed the log is caught as failed-call-changes-nothing (or
  // as a new state). On in debug builds, so the sanitizer stage of the test
  // suite verifies the discipline on every call it explores.
#ifdef NDEBUG
  bool verify_change_log = false;
#else
  bool verify_change_log = true;
#endif
  // Run only the property checks the call can matter to (by the kinds of
  // change and the call's operation and outcome: Property::breaks_on,
  // judges_ops, judges_outcome), as the simulator does. Off: every check on
  // every new state and call, the plain path the tests compare it with.
  bool narrow_checks = true;
  // After a call that changed the working copy of a state, put back only the
  // records its change log names (and the indexes a created record moved)
  // instead of copying the whole state back. Off: the whole copy, the plain
  // path the tests compare it with. With verify_change_log the put-back state
  // is also compared whole with the source, and copied whole where it differs.
  bool restore_by_log = true;
  uint64_t max_states = 0;  // limits (0 = none): reaching one stops the run (Stop::Limit)
  uint32_t max_depth = 0;
  // Resident memory of the whole process stays under this (0: none); the run
  // stops with limit "memory" first. limit "stop-request": a signal or the
  // wall-clock limit (util/stop_request.h) stopped it.
  uint64_t memory_limit = 0;
  unsigned table_log2 = 19;   // initial visited-set capacity (log2, at least 10): 6 MiB, touched pages only
  // --expect-states: the visited set starts 4/5 full for this many states,
  // or at the capacity its growths would reach if that is fuller
  // (FingerprintSet::reserve; with links on disk the closed levels' table,
  // KeySet::capacity_for), so a run of that many states never grows it
  // (0: start at table_log2). The same states,
  // transitions, verdicts and traces; presized_table_bytes() is its size.
  uint64_t expect_states = 0;
  // The visited set doubles while the doubled table is at most this many
  // bytes, then grows by 1/6 (FingerprintSet::grown_capacity); tests set 0
  // to take the 1/6 step from the start and compare the two.
  size_t table_doubling_bytes = FingerprintSet::kDoublingBytes;
  // The BFS queue in files of frontier_disk.work_dir instead of RAM
  // (frontier_store.h): the same states, transitions and verdicts, and
  // counterexamples of the same length (the frontier is in fingerprint order).
  bool frontier_on_disk = false;
  FrontierDiskOptions frontier_disk;
  // Parent links in a trace file in frontier_disk.work_dir (trace_file.h)
  // instead of beside each fingerprint: the visited set keeps 8 bytes a
  // slot for the closed levels (key_set.h) and a level table for the states
  // the current level reaches. The same states, transitions, verdicts and
  // counterexamples. Not with exact or frontier_on_disk.
  bool links_on_disk = false;
  // Under MPI (distributed_explorer.h): the zstd level of the batches sent
  // between ranks (0: raw). Pays on a network, not in shared memory.
  int mpi_zstd = 0;
  // Checkpoints (checkpoint.h): written to checkpoint_dir at a level's end
  // every checkpoint_every_s (0: every level) and when *checkpoint_request
  // is set (a signal handler's flag: the run then stops, limit "signal");
  // resume_dir: continue from its newest checkpoint. run_identity names the
  // model and options ("key value" lines); a checkpoint of another is refused.
  std::string checkpoint_dir, resume_dir, run_identity;
  double checkpoint_every_s = 600;
  const std::atomic<bool>* checkpoint_request = nullptr;
  std::vector<const Property*> properties;
  // Time each part of the workers' calls (run_profile.h): ExploreResult::profile.
  // The same states, transitions and verdicts; the run is slower by the timers'
  // readings (several per call), which the parts' shares include.
  bool profile = false;
  double progress_interval_s = 3.0;
  std::function<void(const struct Progress&)> progress;  // called from the coordinating thread
  // Tests: called with each new state's canonical packed form (from worker threads).
  std::function<void(std::span<const uint8_t>)> on_new_state;
};

struct Progress {
  uint64_t states, queue, transitions;
  uint32_t depth;
  double seconds, states_per_second;
  uint64_t rss_bytes = 0, memory_limit = 0;  // resident now; the limit (0: none)
};

struct OpCoverage {
  uint64_t succeeded = 0, failed = 0;
};

// One part of the workers' time (ExploreOptions::profile).
struct ProfilePart {
  // Timers: the readings of the clock themselves, estimated from their
  // count and the cost of one measured at the start; Rest: the call loop's
  // own work (the list of calls, putting a state back, queueing new states).
  enum class Kind { Apply, Property, Fingerprint, Lookup, Timers, Rest };
  Kind kind = Kind::Rest;
  std::string name;  // the operation (Apply) or the property (Property)
  bool per_call = false;  // timed per call (a Property: its transition check; else its check of each new state)
  uint64_t calls = 0;  // 0 for Timers and Rest
  double seconds = 0;
};
std::string_view to_string(ProfilePart::Kind);

struct ViolationReport {
  std::string property;
  PropertyKind kind = PropertyKind::Always;
  std::string detail;
  Trace trace;  // ends in the violating state (Always) or with the violating call (Transition)
  bool trace_ok = true;  // false: the path could not be replayed (fingerprint collision)
};

struct SometimesReport {
  std::string property;
  bool reached = false;
  uint32_t depth = 0;
  Trace trace;  // to the first example
};

struct ExploreResult {
  enum class Stop { Exhausted, Violation, Limit };
  Stop stop = Stop::Exhausted;
  std::string limit;  // which limit stopped the run
  std::string limit_detail;  // e.g. the I/O error that stopped a run with the frontier on disk

  uint64_t states = 0;        // distinct (canonical) states stored
  uint64_t transitions = 0;   // calls applied, failed ones included
  uint64_t constrained = 0;   // states beyond a cap or the depth bound, checked but not expanded
  uint32_t depth = 0;         // deepest level reached
  double seconds = 0;
  double states_per_second = 0;
  // This process's CPU time over this run (a resumed run: since its resume),
  // user and system apart, and its page faults. One process only (MPI: 0).
  util::CpuUsage cpu;
  // The parts of `seconds` between rounds, when the workers do not expand:
  // the visited set's growths (`growths` of them) and the levels' ends
  // (ordering the new states into the next frontier). One process, this run
  // only (a resumed run counts from its resume); the serial parts of a
  // multi-threaded run, where its scaling is lost.
  unsigned growths = 0;
  double growth_seconds = 0;
  double level_end_seconds = 0;
  uint64_t peak_rss_bytes = 0;
  uint64_t store_bytes = 0;   // visited set (+ stored states with --exact; + the level table with links on disk)
  double bytes_per_state = 0;
  double table_load = 0;  // states / visited-set slots (the table starts at 2^table_log2 slots)
  uint64_t peak_queue_bytes = 0;
  bool frontier_on_disk = false;
  bool links_on_disk = false;
  uint64_t trace_file_bytes = 0;  // links on disk: the trace file's size at the end
  unsigned checkpoints = 0;  // written by this run
  bool resumed = false;
  uint64_t peak_disk_bytes = 0;      // frontier files at their largest
  uint64_t frontier_raw_bytes = 0;   // records written to the frontier files, before and after zstd
  uint64_t frontier_stored_bytes = 0;
  double collision_probability = 0;  // estimated probability that a fingerprint collision hid a state
  unsigned threads = 1;
  // Distributed runs (distributed_explorer.h): the MPI ranks, the bytes the
  // ranks sent each other, and whether this rank reports (rank 0; the others
  // hold the same figures and verdict but no traces, and print nothing).
  unsigned ranks = 1;
  uint64_t wire_bytes = 0;
  bool report_rank = true;
  SymmetryClasses symmetry;

  std::array<OpCoverage, kOpCount> coverage{};
  std::array<bool, kOpCount> op_in_bounds{};
  uint32_t grant_statuses = 0;    // bit per GrantStatus reached
  uint32_t license_statuses = 0;  // bit per LicenseStatus reached

  std::vector<ViolationReport> violations;
  std::vector<SometimesReport> sometimes;
  // ExploreOptions::profile: the parts of the workers' expansion time
  // (profile_seconds, summed over the workers), most time first.
  std::vector<ProfilePart> profile;
  double profile_seconds = 0;
};

// Explores from `start`. `names` is passed to the properties.
ExploreResult explore(const World& start, const Names& names, const Bounds& bounds, const Rules& rules,
                      const ExploreOptions& options);

// The bytes of the visited set that ExploreOptions::expect_states starts
// with (0 without it): slots times bytes per slot, or with links on disk the
// closed levels' table. `ranks`: an MPI job's processes, each holding its
// share. Pages are resident only once touched, but a run of that many states
// touches them all, so the command line refuses a size over the memory limit.
// Under MPI (`mpi`) each slot also has its parent's fingerprint beside it.
uint64_t presized_table_bytes(const ExploreOptions& options, unsigned ranks = 1, bool mpi = false);
// Its slots (home slots of the closed levels' table with links on disk).
uint64_t presized_table_slots(const ExploreOptions& options, unsigned ranks = 1);
// The states each of `ranks` processes reserves for (its share, with a margin).
uint64_t expected_states_per_rank(uint64_t states, unsigned ranks);

// Peak resident memory of this process (bytes).
uint64_t peak_rss_bytes();

// The properties still checked (`checked[i]` non-zero), by how a run checks
// them: on each new state, on each call, and, of the latter, on failed calls
// too (those that do not claim holds_on_failed_noop). Shared by the
// single-process and the distributed explorer.
void split_checked_properties(const std::vector<const Property*>& properties, const std::vector<uint8_t>& checked,
                              std::vector<uint32_t>& state, std::vector<uint32_t>& transition,
                              std::vector<uint32_t>& failed_noop);

// Narrowed checks (ExploreOptions::narrow_checks): which of the checked
// properties a change or a call can concern, from the properties' own claims
// (may_break, may_judge; proven by the LocalAgreement tests). Built once per
// run, shared by the single-process and the distributed explorer.
struct NarrowedChecks {
  // The state properties to check on a new state by the kinds of records its
  // change touched (every one when not narrowing, and every non-Always one).
  std::array<std::vector<uint32_t>, kEveryChange + 1> state_by_change;
  // Transition properties as bits of `transition` (only when there are at
  // most 64 and narrowing is on): those a change may break, those that judge
  // a call of an operation and outcome.
  bool transitions = false;
  std::array<uint64_t, kEveryChange + 1> transition_by_change{};
  std::array<std::array<uint64_t, 2>, kOpCount> transition_by_call{};
};
NarrowedChecks plan_narrowed_checks(const std::vector<const Property*>& properties, bool narrow,
                                    const std::vector<uint32_t>& state, const std::vector<uint32_t>& transition);

// A finding on a stored (canonical) state told in the words of `v.trace`,
// its replayed concrete run (the states may be permutations of the stored
// ones): a state property's detail comes from the trace's last state; for a
// transition property the trace gains the concrete state's first violating
// call (in enumeration order), or `v.trace_ok` turns false when none
// violates it. Shared by the single-process and the distributed explorer.
void tell_in_trace_words(const Property& p, bool transition, const Bounds& bounds, const Rules& rules,
                         const Names& names, ViolationReport& v);

}  // namespace entmc::engine
