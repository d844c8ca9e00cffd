#include "engine/explorer.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <tuple>

#include "engine/call_cache.h"
#include "engine/checkpoint.h"
#include "engine/fingerprint_set.h"
#include "engine/key_set.h"
#include "engine/run_profile.h"
#include "engine/state_codec.h"
#include "engine/trace_file.h"
#include "util/memory_budget.h"
#include "util/stop_request.h"

namespace entmc::engine {

std::string_view to_string(ProfilePart::Kind k) {
  switch (k) {
    case ProfilePart::Kind::Apply: return "apply";
    case ProfilePart::Kind::Property: return "property";
    case ProfilePart::Kind::Fingerprint: return "fingerprint";
    case ProfilePart::Kind::Lookup: return "lookup";
    case ProfilePart::Kind::Timers: return "timers";
    case ProfilePart::Kind::Rest: return "rest";
  }
  return "?";
}

uint64_t peak_rss_bytes() { return util::peak_rss_bytes(); }

namespace {

using util::current_rss_bytes;

using Clock = std::chrono::steady_clock;
constexpr uint64_t kNotQueued = ~uint64_t(0);
// A level's end and a growth split their loops over the items among the
// threads from this many items on (a thread start costs tens of
// microseconds; the threaded tests' levels pass it).
constexpr size_t kParallelMin = 2048;
// --links disk: the closed levels' table starts at 2^this slots (key_set.h).
constexpr unsigned kClosedLevelsLog2 = 12;

struct FrontierEntry {
  uint32_t slot;
  uint32_t buffer;
  uint64_t offset;
};

// A property failure (or a Sometimes example) seen during a level; the least
// one by key is reported once the level is complete.
struct Found {
  uint32_t prop;           // index into ExploreOptions::properties
  bool transition;         // Transition property: at (pos, call_index); else at the new state `slot`
  uint32_t pos = 0;        // the source state's position in the frontier
  uint32_t call_index = 0;
  uint32_t slot = 0;
  std::string detail;
  bool source_in_slot = false;  // a Transition report restored from a checkpoint: `slot` is its source state
  // (links on disk: every restored report; `slot` is the state number of Run::LinksTarget, `fp` its fp)
  uint64_t fp = 0;
  // Links on disk: a new state's finding whose pos and fp are final (Run::settle_links); its slot is stale.
  bool settled = false;
};

struct NewState {
  uint32_t slot;
  uint32_t pos = 0;  // links on disk: its first parent's frontier position, once settled (Run::settle_links)
  uint64_t offset;   // in the worker's out buffer, or kNotQueued
  uint64_t fp;       // its fingerprint as the table stores it (0 is stored as 1): finish_level sorts by it
};

struct alignas(64) Worker {
  World before, after;
  Changes changes;
  CallCache call_cache;  // the call lists of the shapes this worker has met
  Canonicalizer canon;
  std::vector<uint8_t> packed;
  // The successor found last, not yet looked up in the visited set: its
  // lookup waits until the next successor is found (or the round ends), so
  // the slot prefetched when its fingerprint was taken has arrived by then.
  // Swapped in and out of `after` / `packed`, never copied.
  World pending;
  Changes pending_changes;  // the call's change log that made `pending`
  std::vector<uint8_t> pending_packed;
  uint64_t pending_fp = 0;
  uint32_t pending_pos = 0;
  bool has_pending = false;
  // Which expansion made `pending` (a count of this worker's expansions):
  // when the pending world is swapped back into `after` within the same
  // expansion, it is `before` changed by one call, so its change log says
  // what to put back (undo_call).
  uint64_t expansion = 0, pending_expansion = 0;
  StateArena arena;
  std::vector<uint8_t> out_bytes;
  std::vector<NewState> out_states;
  std::vector<Found> found;
  std::array<OpCoverage, kOpCount> coverage{};
  uint32_t grant_statuses = 0, license_statuses = 0;
  uint64_t constrained = 0, lookups = 0;
  size_t unpublished = 0;  // new states not yet added to the visited set's size (FingerprintSet::publish)
  size_t settled = 0;  // links on disk: out_states before this are settled (Run::settle_links)
  size_t max_calls = 0;  // the most calls of one state so far (the visited set's headroom)
  std::atomic<uint64_t> transitions{0};
  // --frontier disk: the worker's index, its claimed block of the frontier,
  // and its new states of the level (queued or not).
  unsigned index = 0;
  FrontierStore::Cursor cursor;
  uint64_t level_new = 0;
  WorkerProfile prof;  // ExploreOptions::profile
};

class Run {
 public:
  Run(const World& start, const Names& names, const Bounds& bounds, const Rules& rules, const ExploreOptions& opt)
      : start_(start),
        names_(names),
        bounds_(bounds),
        rules_(rules),
        opt_(opt),
        set_(std::max(10u, opt.table_log2), opt.exact),
        threads_(std::max(1u, opt.threads)),
        publish_every_(opt.max_states ? 1 : 256),
        // The margin covers what grows between two polls and the allocator's
        // slack: 1/16 of the limit (measured: docs/limits.md).
        budget_(opt.memory_limit ? util::memory_budget(opt.memory_limit) : 0) {
    // The run's clocks start here: the presized table (below) is the run's.
    t0_ = last_progress_ = Clock::now();
    cpu0_ = util::cpu_usage();
    if (opt.symmetry) classes_ = find_symmetry(start, bounds);
    set_.set_single_writer(threads_ == 1);
    set_.set_doubling_bytes(opt.table_doubling_bytes);
    workers_.reserve(threads_);
    for (unsigned t = 0; t < threads_; ++t) {
      workers_.push_back(std::make_unique<Worker>());
      workers_.back()->canon = Canonicalizer(classes_);
      workers_.back()->before = start;
      workers_.back()->after = start;
      workers_.back()->index = t;
    }
    if (opt.frontier_on_disk) disk_ = std::make_unique<FrontierStore>(opt.frontier_disk, threads_);
    set_.set_links_are_slots(!disk_);
    if (opt.links_on_disk) {
      if (opt.exact || opt.frontier_on_disk)
        throw std::invalid_argument("--links disk is not available with --exact or --frontier disk");
      done_ = std::make_unique<KeySet>(kClosedLevelsLog2);
      trace_file_ = std::make_unique<TraceFile>(opt.frontier_disk.work_dir);
    }
    if (opt.expect_states) {  // presized; a resumed run's table replaces it (restore)
      if (done_)
        done_->grow(done_->capacity_for(opt.expect_states));
      else
        set_.reserve(opt.expect_states);
    }
    const auto& props = opt.properties;
    checked_.assign(props.size(), 1);
    select_properties();
  }

  ExploreResult run();

 private:
  // Profile: the same work with each part timed (ExploreOptions::profile,
  // run_profile.h); the timers are `if constexpr`, so without it the
  // compiler sees the plain loop.
  template <bool Profile>
  void expand(Worker& w, uint32_t pos, const uint8_t* packed);
  template <bool Profile>
  void visit_pending(Worker& w);  // the lookup of w's pending successor, and what follows if it is new
  // One state's expansion from a worker loop, timed as a whole with --profile.
  void expand_timed(Worker& w, uint32_t pos, const uint8_t* packed);
  void visit_pending_timed(Worker& w);
  // Transition property i on t; a finding is kept with the call's source position and index.
  template <bool Profile>
  void check_call(Worker& w, uint32_t i, const Transition& t, uint32_t pos, uint32_t ci);
  void collect_profile();  // ExploreResult::profile from the workers' counts
  ProfileClock profile_clock_;
  // `changes`: the log of the call that reached `s` from a state that was
  // checked, so the invariants with a local check run it on what the call
  // touched; nullptr (the start state): every check on the whole state.
  template <bool Profile>
  void check_new_state(Worker& w, const World& s, const Changes* changes, uint32_t slot);
  void select_properties();  // state_props_ / transition_props_ from checked_; workers idle
  void worker_loop(Worker& w);
  void run_level();
  void finish_level(uint32_t depth);
  void report_level_findings_only(uint32_t depth);  // the level's end did not fit in memory
  // The frontier on disk (frontier_store.h): the same steps on a FrontierStore.
  void worker_loop_disk(Worker& w);
  void finish_level_disk(uint32_t depth);
  void disk_failed(const std::string& why);
  std::vector<Found> sorted_findings();  // the level's findings, least key first
  void report_findings(const std::vector<Found>& found, uint32_t depth);
  bool level_done() const;
  uint64_t frontier_size() const { return disk_ ? disk_->size() : frontier_.size(); }
  uint32_t frontier_slot(uint32_t pos) const {
    return disk_ ? set_.find(disk_->fingerprint_of(disk_->base() + pos)) : frontier_[pos].slot;
  }
  // The parent link of a successor of frontier position `pos`: in RAM
  // kLevelTag | pos, rewritten to the parent's slot at the level's end; on
  // disk the parent's state number + 1 (FrontierStore::base), final at once
  // and unchanged by a table growth (0 is the start state's link).
  uint32_t link_of(uint32_t pos) const {
    return disk_ ? uint32_t(disk_->base() + pos + 1) : FingerprintSet::kLevelTag | pos;
  }
  // The frontier position of the first parent of a state first reached in
  // this level (its link, before finish_level rewrites it in RAM).
  uint32_t parent_pos(uint32_t slot) const {
    const uint32_t link = set_.parent(slot);
    return disk_ ? uint32_t(link - 1 - disk_->base()) : link & ~FingerprintSet::kLevelTag;
  }
  // The slot a parent link points to (kRoot for the start state's link).
  uint32_t link_slot(uint32_t link) const {
    if (!disk_) return link;
    return link == 0 ? FingerprintSet::kRoot : set_.find(disk_->fingerprint_of(link - 1));
  }
  void grow();
  void set_headroom();
  // Distinct states stored: with links on disk, the closed levels' and the
  // level table's (the current level's new states).
  uint64_t stored_states() const { return set_.size() + (done_ ? done_->size() : 0); }
  // --links disk (key_set.h, trace_file.h): the new states' links recorded
  // beside them, their keys moved into done_ and the level table emptied
  // (at each round's and level's end). A finding's trace:
  // to a state number (the source of a transition, the start state, or the
  // parent of a new state), then with `step` one more call, to the new
  // state's fingerprint.
  void settle_links();
  struct LinksTarget {
    uint32_t number = 0;
    bool step = false;
    uint64_t fp = 0;
  };
  LinksTarget links_target(const Found& f, uint32_t depth) const;
  Trace trace_to_number(const LinksTarget& to, bool& ok);
  // Runs f(0) .. f(n - 1), on n threads when the run has several (n <= threads_).
  template <typename F>
  void in_parallel(size_t n, F&& f) {
    if (threads_ <= 1 || n <= 1) {
      for (size_t i = 0; i < n; ++i) f(i);
      return;
    }
    std::vector<std::jthread> pool;
    for (size_t i = 0; i < n; ++i) pool.emplace_back([&f, i] { f(i); });
  }  // of the visited set, from the workers' max_calls
  void report(const Found& f, uint32_t depth);
  Trace trace_to(uint32_t slot, bool& ok);
  uint64_t queue_bytes() const;
  // The memory limit (docs/limits.md): resident memory is polled by the
  // coordinator every few milliseconds (rss_), and every step that allocates
  // a large block at once (a worker's out buffer doubling, the table's
  // growth, the level's end) first asks whether it fits: rss + extra must
  // stay under budget_, the limit less a margin for what grows between polls.
  bool fits(uint64_t extra);  // false: the run stops with limit "memory"
  bool would_fit(uint64_t extra) const;  // the same test, without stopping
  void stop_for(const char* limit);
  uint64_t level_end_bytes() const;  // what finish_level allocates

  const World& start_;
  const Names& names_;
  const Bounds& bounds_;
  const Rules& rules_;
  const ExploreOptions& opt_;
  FingerprintSet set_;
  unsigned threads_;
  // A worker adds its new states to the visited set's size every this many
  // (one shared counter written per new state was a cache line bouncing
  // between the cores); every one when --max-states must stop on the dot.
  size_t publish_every_;
  SymmetryClasses classes_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<uint8_t> checked_;  // per property: still checked (not yet violated / reached)
  // The indices of the properties still checked, by what they check (so the
  // per-call loop does not test every property's kind and flag).
  // failed_noop_props_: the transition properties that do not hold vacuously
  // on a failed call that changed nothing (Property::holds_on_failed_noop).
  std::vector<uint32_t> state_props_, transition_props_, failed_noop_props_;
  // The same lists narrowed by what a call changed and which call it was, as
  // the simulator narrows them (sim/checker.cpp; the claims breaks_on,
  // judges_ops and judges_outcome are tested by local_agreement_test):
  // state_by_change[kinds]: the state properties a change of those kinds may
  // break (every Sometimes property, and the Always ones whose breaks_on
  // meets them; the source state satisfied the others, so their verdict
  // stands). Transition properties as bits over transition_props_ (when at
  // most 64, else unnarrowed): those a change of the kinds may break, and
  // those that judge a call of the operation and outcome.
  NarrowedChecks narrowed_;

  std::vector<FrontierEntry> frontier_;
  std::vector<std::vector<uint8_t>> frontier_buffers_;
  // --frontier disk: the states in files (parent links are state numbers).
  std::unique_ptr<FrontierStore> disk_;
  // --links disk: the closed levels' fingerprints, the trace file, the state
  // number of frontier position 0; starting_: the start state's findings are
  // being reported (its number is 0).
  std::unique_ptr<KeySet> done_;
  std::unique_ptr<TraceFile> trace_file_;
  uint32_t frontier_base_ = 0;
  bool starting_ = false;
  // Checkpoints (checkpoint.h): the reports made so far, by fingerprint; the
  // time of the last checkpoint; the run time before a resume.
  std::vector<CheckpointMeta::Reported> reported_;
  Clock::time_point last_checkpoint_;
  double prior_seconds_ = 0;
  std::string identity() const { return opt_.run_identity + "\n" + binary_identity() + "\n"; }
  void start();  // the start state: stored, checked, queued
  void resume();
  void maybe_checkpoint();
  void write_checkpoint_now();
  std::atomic<size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::mutex limit_mu_;
  std::mutex round_mu_;  // running_: workers still in the current round
  std::condition_variable round_done_;
  unsigned running_ = 0;
  std::string limit_;
  uint32_t depth_ = 0;
  ExploreResult result_;
  Clock::time_point t0_, last_progress_;  // t0_, cpu0_: at the Run's construction (run() follows it)
  util::CpuUsage cpu0_;
  uint64_t budget_ = 0;  // 0: no memory limit
  std::atomic<uint64_t> rss_{0};
};

// A state is checked once, when first reached. An invariant's local check
// (Property::check_local) judges only what the call changed and assumes the
// source state satisfied it: the source was itself checked when first
// reached, and a property it violated is reported and no longer checked from
// the next level on (its successors are only checked in that level). The
// tests in properties/ prove each local check agrees with the whole-state one.
template <bool Profile>
void Run::check_new_state(Worker& w, const World& s, const Changes* changes, uint32_t slot) {
  for (const Grant& g : s.grants) w.grant_statuses |= 1u << unsigned(g.status);
  for (const License& l : s.licenses) w.license_statuses |= 1u << unsigned(l.status);
  const LocalCheckScope shared;  // the local checks share one reading of `changes`
  for (const uint32_t i : changes ? narrowed_.state_by_change[changes->kinds(s)] : state_props_) {
    const Property& p = *opt_.properties[i];
    [[maybe_unused]] const uint64_t t0 = Profile ? profile_ticks() : 0;
    auto r = changes && p.check_local ? p.check_local(s, *changes, names_) : p.check_state(s, names_);
    if constexpr (Profile) w.prof.properties[i].add(profile_ticks() - t0);
    if (p.kind == PropertyKind::Always && r) w.found.push_back({i, false, 0, 0, slot, std::move(*r)});
    if (p.kind == PropertyKind::Sometimes && !r) w.found.push_back({i, false, 0, 0, slot, {}});
  }
}

void Run::select_properties() {
  split_checked_properties(opt_.properties, checked_, state_props_, transition_props_, failed_noop_props_);
  narrowed_ = plan_narrowed_checks(opt_.properties, opt_.narrow_checks, state_props_, transition_props_);
}

// `x` is `from` changed by one call whose change log is `ch`: puts back the
// records the log names, drops the records the call created, and copies the
// indexes outside the state that a creation or a status change moves
// (World::first_owned, first_received, active_licenses). The rules write
// only through the logging mutation helpers (model/changes_log.h), so `x`
// then equals `from`: ExploreOptions::verify_change_log checks it whole, and
// tests/engine/narrowed_checks_test.cpp runs the CI models both ways.
// Inlined: the call loop is compiled twice (--profile), and GCC inlines a
// function called once only (measured: out of line it cost 0.4% more).
[[gnu::always_inline]] inline void undo_call(World& x, const World& from, const Changes& ch) {
  if (ch.org_changed) x.org = from.org;
  for (const auto& e : ch.accounts) x.accounts[e.first] = from.accounts[e.first];
  const bool licenses = ch.licenses_changed(x), grants = ch.grants_changed(x);
  if (licenses) {
    if (x.licenses.size() != from.licenses.size()) {
      x.licenses.resize(from.licenses.size());
      x.first_owned = from.first_owned;
    }
    for (const auto& e : ch.licenses) x.licenses[e.first] = from.licenses[e.first];
  }
  if (grants) {
    if (x.grants.size() != from.grants.size()) {
      x.grants.resize(from.grants.size());
      x.first_received = from.first_received;
    }
    for (const auto& e : ch.grants) x.grants[e.first] = from.grants[e.first];
    if (x.org_grants.size() != from.org_grants.size()) x.org_grants = from.org_grants;  // appended only
  }
  if (licenses || grants) x.active_licenses = from.active_licenses;
  for (const WorkloadChange& c : ch.workloads) {
    const size_t i = from.slot(c.account, c.product);
    x.running[i] = from.running[i];
  }
  if (!ch.tokens.empty()) x.tokens = from.tokens;
}

// The whole state and the indexes outside it (World::operator== leaves those out).
bool same_world_and_indexes(const World& a, const World& b) {
  return a == b && a.active_licenses == b.active_licenses && a.first_received == b.first_received &&
         a.first_owned == b.first_owned;
}

template <bool Profile>
[[gnu::always_inline]] inline void Run::check_call(Worker& w, uint32_t i, const Transition& t, uint32_t pos,
                                                   uint32_t ci) {
  [[maybe_unused]] const uint64_t t0 = Profile ? profile_ticks() : 0;
  auto r = opt_.properties[i]->check_transition(t, names_);
  if constexpr (Profile) w.prof.properties[i].add(profile_ticks() - t0);
  if (r) w.found.push_back({i, true, pos, ci, 0, std::move(*r)});
}

// Every call is applied to w.after, which equals w.before when the call
// starts; it is put back after a call that changed it (most calls fail and
// change nothing, and a World copy per call was a large part of the time per
// call): from the change log when w.after is w.before changed by the call
// whose log w.changes holds (ExploreOptions::restore_by_log), else whole.
template <bool Profile>
void Run::expand(Worker& w, uint32_t pos, const uint8_t* packed) {
  unpack(packed, w.before);
  w.after = w.before;
  ++w.expansion;
  const std::vector<Call>& calls = w.call_cache.calls(w.before, bounds_);
  bool dirty = false, undoable = false;
  for (uint32_t ci = 0; ci < calls.size(); ++ci) {
    if (dirty) {
      if (!undoable) {
        w.after = w.before;
      } else {
        undo_call(w.after, w.before, w.changes);
        if (opt_.verify_change_log && !same_world_and_indexes(w.after, w.before)) w.after = w.before;
      }
    }
    const Call& call = calls[ci];
    [[maybe_unused]] const uint64_t t_apply = Profile ? profile_ticks() : 0;
    const Outcome out = apply(w.after, call, &w.changes, rules_);
    if constexpr (Profile) w.prof.apply[size_t(call.op)].add(profile_ticks() - t_apply);
    auto& cov = w.coverage[size_t(call.op)];
    (out.ok() ? cov.succeeded : cov.failed) += 1;
    // A self-loop: nothing changed (a failed call, or a successful no-op):
    // the change log is empty (and, when verifying the log, the whole state is
    // equal; ExploreOptions::verify_change_log). The transition properties
    // then get after as before too (property.h).
    const bool same = w.changes.empty(w.after) && (!opt_.verify_change_log || w.after == w.before);
    dirty = !same;
    uint64_t fp = 0;
    if (!same) {  // the successor's fingerprint first, so its slot is fetched while the properties run
      [[maybe_unused]] const uint64_t t_fp = Profile ? profile_ticks() : 0;
      w.canon.canonical(w.after, w.packed);
      fp = fingerprint(w.packed);
      if (done_) done_->prefetch(fp);
      set_.prefetch(fp);
      if constexpr (Profile) w.prof.fingerprint.add(profile_ticks() - t_fp);
    }
    const Transition t{same ? &w.after : &w.before, w.after, call, out, w.changes};
    if (same && !out.ok()) {
      for (const uint32_t i : failed_noop_props_)
        check_call<Profile>(w, i, t, pos, ci);
    } else if (narrowed_.transitions) {  // only those the change may break and that judge this call
      uint64_t run = narrowed_.transition_by_change[same ? 0 : w.changes.kinds(w.after)] &
                     narrowed_.transition_by_call[size_t(call.op)][out.ok() ? 1 : 0];
      for (; run != 0; run &= run - 1) {
        const uint32_t i = transition_props_[size_t(std::countr_zero(run))];
        check_call<Profile>(w, i, t, pos, ci);
      }
    } else {
      for (const uint32_t i : transition_props_)
        check_call<Profile>(w, i, t, pos, ci);
    }
    if (same) continue;
    // The pending world comes back as w.after: undoable by its log when the
    // same expansion made it (a world that equals w.before changed by one call).
    undoable = opt_.restore_by_log && w.has_pending && w.pending_expansion == w.expansion;
    if (w.has_pending) visit_pending<Profile>(w);
    w.after.swap(w.pending);
    w.changes.swap(w.pending_changes);
    w.packed.swap(w.pending_packed);
    w.pending_fp = fp;
    w.pending_pos = pos;
    w.pending_expansion = w.expansion;
    w.has_pending = true;
  }
  w.transitions.fetch_add(calls.size(), std::memory_order_relaxed);
  w.max_calls = std::max(w.max_calls, calls.size());
}

template <bool Profile>
void Run::visit_pending(Worker& w) {
  w.has_pending = false;
  // A full out buffer doubles (the old one alive while copied): refuse the
  // state rather than pass the limit; the run stops at the limit anyway.
  // The disk frontier has no out buffer (its states go to the store's
  // bounded buffers): without `!disk_` every new state read /proc/self/statm
  // (3 system calls per state: 45% of a disk run's CPU, measured).
  // Only a state the buffer will take needs the check (a state past a cap or
  // the depth is counted, not kept), and a passing check doubles the buffer
  // at once: otherwise every later state, duplicates included, found it
  // still full and read /proc/self/statm again (as many reads as states on
  // the CI models, as much system time as user time, measured).
  if (budget_ && !disk_ && w.out_bytes.size() + w.pending_packed.size() > w.out_bytes.capacity() &&
      (!bounds_.max_depth || depth_ + 1 < bounds_.max_depth) && !beyond_caps(w.pending, bounds_)) {
    if (!fits(std::max<uint64_t>(w.out_bytes.capacity(), 1 << 16) + w.out_states.capacity() * sizeof(NewState)))
      return;
    w.out_bytes.reserve(std::max<size_t>(2 * w.out_bytes.capacity(), size_t(1) << 16));
  }
  ++w.lookups;
  const uint64_t fp = w.pending_fp;
  [[maybe_unused]] const uint64_t t_lookup = Profile ? profile_ticks() : 0;
  // With links on disk a state of a closed level is in done_, one the
  // level reached already in the level table.
  const bool closed = done_ && done_->contains(fp);
  const auto ins = closed ? FingerprintSet::Insert{0, false}
                          : set_.insert(fp, link_of(w.pending_pos), w.pending_packed, &w.arena, &w.unpublished);
  if constexpr (Profile) w.prof.lookup.add(profile_ticks() - t_lookup);
  if (!ins.inserted) return;
  if (w.unpublished >= publish_every_) set_.publish(w.unpublished);
  if (opt_.on_new_state) opt_.on_new_state(w.pending_packed);
  check_new_state<Profile>(w, w.pending, &w.pending_changes, ins.slot);
  if (disk_) {  // the parent link is final: nothing else to keep
    ++w.level_new;
    if ((!bounds_.max_depth || depth_ + 1 < bounds_.max_depth) && !beyond_caps(w.pending, bounds_))
      disk_->add(w.index, fp, w.pending_packed);
    else
      ++w.constrained;
    return;
  }
  if ((!bounds_.max_depth || depth_ + 1 < bounds_.max_depth) && !beyond_caps(w.pending, bounds_)) {
    w.out_states.push_back({ins.slot, 0, w.out_bytes.size(), fp ? fp : 1});
    w.out_bytes.insert(w.out_bytes.end(), w.pending_packed.begin(), w.pending_packed.end());
  } else {
    w.out_states.push_back({ins.slot, 0, kNotQueued, fp ? fp : 1});
    ++w.constrained;
  }
}

void Run::collect_profile() {
  WorkerProfile all;
  for (auto& w : workers_) all.merge(w->prof);
  const double spt = profile_clock_.seconds_per_tick();
  auto secs = [&](uint64_t ticks) { return double(ticks) * spt; };
  using Kind = ProfilePart::Kind;
  auto& out = result_.profile;
  double parts = 0;
  auto add = [&](Kind kind, std::string name, bool per_call, const WorkerProfile::Part& p) {
    if (p.calls == 0) return;
    out.push_back({kind, std::move(name), per_call, p.calls, secs(p.ticks)});
    parts += out.back().seconds;
  };
  for (int op = 0; op < kOpCount; ++op) add(Kind::Apply, std::string(to_string(Op(op))), true, all.apply[size_t(op)]);
  for (size_t i = 0; i < all.properties.size(); ++i) {
    const Property& p = *opt_.properties[i];  // a state and a transition entry may share a name
    add(Kind::Property, std::string(p.name), p.kind == PropertyKind::Transition, all.properties[i]);
  }
  add(Kind::Fingerprint, "", true, all.fingerprint);
  add(Kind::Lookup, "", true, all.lookup);
  result_.profile_seconds = secs(all.expansions.ticks);
  // Two readings per timed call, all inside the expansions' time; estimated
  // from one reading's cost (the parts hold about one reading each, already
  // counted above).
  const double timers =
      std::min(std::max(0.0, result_.profile_seconds - parts),
               secs(uint64_t(double(all.timed_calls()) * ProfileClock::ticks_per_reading())));
  out.push_back({Kind::Timers, "", false, 0, timers});
  out.push_back({Kind::Rest, "", false, 0, std::max(0.0, result_.profile_seconds - parts - timers)});
  std::stable_sort(out.begin(), out.end(),
                   [](const ProfilePart& a, const ProfilePart& b) { return a.seconds > b.seconds; });
}

void Run::expand_timed(Worker& w, uint32_t pos, const uint8_t* packed) {
  if (!opt_.profile) return expand<false>(w, pos, packed);
  const uint64_t t0 = profile_ticks();
  expand<true>(w, pos, packed);
  w.prof.expansions.add(profile_ticks() - t0);
}

void Run::visit_pending_timed(Worker& w) {
  if (!opt_.profile) return visit_pending<false>(w);
  const uint64_t t0 = profile_ticks();
  visit_pending<true>(w);
  w.prof.expansions.ticks += profile_ticks() - t0;  // the last successor of a round: part of an expansion
}

void Run::worker_loop(Worker& w) {
  // One state at a time: a state takes tens of microseconds, so the shared
  // counter costs nothing, and a worker sees a pending table growth after at
  // most one state (the table keeps a quarter of its slots free for that).
  const size_t n = frontier_.size();
  while (!stop_.load(std::memory_order_relaxed) && !set_.wants_grow()) {
    if (util::stop_requested()) {
      stop_for("stop-request");
      break;
    }
    const size_t i = next_.fetch_add(1, std::memory_order_relaxed);
    if (i >= n) break;
    const FrontierEntry& e = frontier_[i];
    expand_timed(w, uint32_t(i), frontier_buffers_[e.buffer].data() + e.offset);
    if (opt_.max_states && stored_states() >= opt_.max_states) {
      std::lock_guard lock(limit_mu_);
      if (limit_.empty()) limit_ = "max-states";
      stop_ = true;
    }
  }
  if (w.has_pending) visit_pending_timed(w);  // before the round ends: growth and the level's end see every insert
  set_.publish(w.unpublished);
}

uint64_t Run::queue_bytes() const {
  uint64_t b = frontier_.capacity() * sizeof(FrontierEntry);
  if (disk_) b += disk_->buffer_bytes();
  for (const auto& buf : frontier_buffers_) b += buf.capacity();
  for (const auto& w : workers_) b += w->out_bytes.capacity() + w->out_states.capacity() * sizeof(NewState);
  return b;
}

void Run::set_headroom() {
  size_t calls = 0;
  for (const auto& w : workers_) calls = std::max(calls, w->max_calls);
  set_.set_headroom(threads_ * (2 * calls + 1024 + publish_every_));
}

void Run::stop_for(const char* limit) {
  std::lock_guard lock(limit_mu_);
  if (limit_.empty()) limit_ = limit;
  stop_ = true;
}

bool Run::would_fit(uint64_t extra) const {
  if (!budget_) return true;
  const uint64_t now = std::max(rss_.load(std::memory_order_relaxed), current_rss_bytes());
  return now + extra <= budget_;
}

bool Run::fits(uint64_t extra) {
  if (would_fit(extra)) return true;
  stop_for("memory");
  return false;
}

uint64_t Run::level_end_bytes() const {
  // finish_level: each worker's sorted part, the merged copy while the parts
  // live, then the next frontier while the merged items live; the findings.
  uint64_t n = 0, found = 0;
  for (const auto& w : workers_) {
    n += w->out_states.size();
    found += w->found.size();
  }
  constexpr uint64_t kItem = 32;  // finish_level's Item
  // With links on disk the level's keys are gathered for the closed levels'
  // table, and sorted into the threads' shares (close_level_links).
  return n * (3 * kItem + sizeof(FrontierEntry) + (done_ ? 2 * sizeof(uint64_t) : 0)) + found * sizeof(Found);
}

void Run::grow() {
  // At most, beyond the old table: the new keys (with --exact their state
  // pointers too) and the remap array. The new parent links are written only
  // once the old keys are freed (FingerprintSet::grow). A doubling that
  // would not fit falls back to the least growth (1/6).
  const auto growth_bytes = [&](size_t cap) -> uint64_t {
    return cap * (sizeof(uint64_t) + (set_.exact() ? sizeof(void*) : 0)) + set_.capacity() * sizeof(uint32_t) +
           (1 << 20);
  };
  const size_t new_cap = set_.capacity_that_fits([&](size_t cap) { return would_fit(growth_bytes(cap)); });
  if (new_cap == 0) {
    stop_for("memory");
    return;
  }
  std::vector<uint32_t> remap;
  set_headroom();
  if (disk_) {  // links are state numbers: nothing to remap but the findings' slots, found again by fingerprint
    struct Was {
      Found* f;
      uint64_t fp;
      std::span<const uint8_t> bytes;  // --exact: in the workers' arenas, which do not move
    };
    std::vector<Was> at;
    for (auto& w : workers_)
      for (auto& f : w->found)
        if (!f.transition)
          at.push_back({&f, set_.fingerprint(f.slot), set_.exact() ? set_.state(f.slot) : std::span<const uint8_t>{}});
    set_.grow(remap, threads_, new_cap);
    ++result_.growths;
    for (const Was& x : at) x.f->slot = set_.find(x.fp, x.bytes);
    return;
  }
  set_.grow(remap, threads_, new_cap);
  ++result_.growths;
  // The frontier's slots, split among the threads (a frontier is up to
  // hundreds of millions of entries: a serial part of a growth round); the
  // workers' new states, each worker's list on its own thread.
  // (With links on disk the frontier's states are in done_, and its
  // entries hold state numbers: nothing to remap.)
  if (!done_) {
    const size_t ways = frontier_.size() < kParallelMin ? 1 : threads_;
    in_parallel(ways, [&](size_t t) {
      for (size_t i = frontier_.size() * t / ways, end = frontier_.size() * (t + 1) / ways; i < end; ++i)
        frontier_[i].slot = remap[frontier_[i].slot];
    });
  }
  in_parallel(workers_.size(), [&](size_t t) {
    Worker& w = *workers_[t];
    for (auto& s : w.out_states) s.slot = remap[s.slot];
    for (auto& f : w.found)
      if (!f.transition) f.slot = remap[f.slot];
  });
}

void Run::run_level() {
  next_ = 0;
  while (true) {
    set_headroom();
    running_ = threads_;
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads_; ++t)
      pool.emplace_back([this, t] {
        if (disk_)
          worker_loop_disk(*workers_[t]);
        else
          worker_loop(*workers_[t]);
        std::lock_guard lock(round_mu_);
        if (--running_ == 0) round_done_.notify_one();
      });
    // The coordinator: progress line and resident-memory limit, never
    // blocking workers. It sleeps until the last worker of the round is done
    // (woken at once: a round ends at each level and each table growth, and
    // a polling delay there is time both workers sit idle).
    // With a memory limit it polls resident memory every 5 ms (a read of
    // /proc/self/statm, a few microseconds): between two polls the workers
    // add at most a few megabytes. The progress schedule (last_progress_)
    // runs across rounds: a round ends at every table growth.
    const auto tick = std::chrono::duration<double>(budget_ ? 0.005 : std::min(opt_.progress_interval_s, 0.1));
    std::unique_lock lock(round_mu_);
    while (!round_done_.wait_for(lock, tick, [&] { return running_ == 0; })) {
      lock.unlock();
      const auto now = Clock::now();
      if (budget_) {
        const uint64_t rss = current_rss_bytes();
        rss_.store(rss, std::memory_order_relaxed);
        if (rss > budget_) stop_for("memory");
      }
      if (util::stop_requested()) stop_for("stop-request");
      if (disk_ && disk_->over_limit()) {
        std::lock_guard limit_lock(limit_mu_);
        if (limit_.empty()) limit_ = "disk";
        stop_ = true;
      }
      if (opt_.progress && std::chrono::duration<double>(now - last_progress_).count() >= opt_.progress_interval_s) {
        last_progress_ = now;
        uint64_t tr = 0;
        for (auto& w : workers_) tr += w->transitions.load(std::memory_order_relaxed);
        const double secs = std::chrono::duration<double>(now - t0_).count();
        const uint64_t queued = disk_ ? disk_->size() - std::min(disk_->size(), disk_->taken())
                                      : frontier_.size() - std::min(frontier_.size(), next_.load());
        opt_.progress(Progress{stored_states(), queued, tr, depth_, secs, secs > 0 ? double(stored_states()) / secs : 0,
                               current_rss_bytes(), opt_.memory_limit});
      }
      lock.lock();
    }
    lock.unlock();
    pool.clear();  // joins
    if (stop_ || level_done()) return;
    const auto g0 = Clock::now();
    // With links on disk the level table is emptied instead (its states'
    // links are final), and grows only if the headroom needs it.
    if (done_) {
      settle_links();
      ++result_.growths;  // (counted with the growths: the same kind of round end)
    }
    if (!stop_ && (!done_ || set_.wants_grow())) grow();
    result_.growth_seconds += std::chrono::duration<double>(Clock::now() - g0).count();
    if (stop_) return;
  }
}

Trace Run::trace_to(uint32_t slot, bool& ok) {
  Trace t;
  Canonicalizer canon(classes_);
  const auto path = path_to(set_, slot, [this](uint32_t link) { return link_slot(link); });
  ok = replay_path(start_, bounds_, rules_, canon, set_, path, t);
  return t;
}

Trace Run::trace_to_number(const LinksTarget& to, bool& ok) {
  Trace t;
  std::vector<uint64_t> fps;
  if (to.step) fps.push_back(to.fp);
  try {
    for (uint32_t n = to.number;;) {
      const TraceFile::Record r = trace_file_->read(n);
      fps.push_back(r.fp);
      if (r.parent == TraceFile::kRoot) break;
      if (fps.size() > trace_file_->size() + 1) throw std::runtime_error("a cycle of parent links");  // a bug
      n = r.parent;
    }
  } catch (const std::exception& e) {
    if (result_.limit_detail.empty()) result_.limit_detail = std::string("trace: ") + e.what();
    ok = false;
    return t;
  }
  std::reverse(fps.begin(), fps.end());
  Canonicalizer canon(classes_);
  ok = replay_fingerprints(start_, bounds_, rules_, canon, fps, t);
  return t;
}

Run::LinksTarget Run::links_target(const Found& f, uint32_t depth) const {
  if (f.source_in_slot) return {f.slot, !f.transition && depth > 0, f.fp};  // restored from a checkpoint
  if (f.transition) return {frontier_base_ + f.pos, false, 0};
  if (starting_) return {0, false, 0};
  return {frontier_base_ + f.pos, true, f.settled ? f.fp : set_.fingerprint(f.slot)};
}

void Run::report(const Found& f, uint32_t depth) {
  const Property& p = *opt_.properties[f.prop];
  const uint32_t at = done_ ? 0 : !f.transition || f.source_in_slot ? f.slot : frontier_slot(f.pos);
  const LinksTarget to = done_ ? links_target(f, depth) : LinksTarget{};
  const auto trace = [&](uint32_t slot, bool& ok) { return done_ ? trace_to_number(to, ok) : trace_to(slot, ok); };
  // For checkpoints: the state by fingerprint (links in RAM), or by the
  // state number its trace goes through (links on disk).
  if (done_)
    reported_.push_back({f.prop, f.transition, to.fp, depth, f.detail, to.number});
  else
    reported_.push_back({f.prop, f.transition, set_.fingerprint(at), depth, f.detail, 0});
  if (p.kind == PropertyKind::Sometimes) {
    SometimesReport& s = *std::find_if(result_.sometimes.begin(), result_.sometimes.end(),
                                       [&](const SometimesReport& r) { return r.property == p.name; });
    s.reached = true;
    s.depth = depth;
    bool ok = true;
    s.trace = trace(f.slot, ok);
    return;
  }
  ViolationReport v;
  v.property = std::string(p.name);
  v.kind = p.kind;
  v.detail = f.detail;
  v.trace = trace(f.transition ? at : f.slot, v.trace_ok);
  if (v.trace_ok) tell_in_trace_words(p, f.transition, bounds_, rules_, names_, v);
  result_.violations.push_back(std::move(v));
}

// The level's findings, least key first (key: source position, then
// transitions by call, then new states by fingerprint). Read before any
// parent link is rewritten: a new state's link still holds its position.
std::vector<Found> Run::sorted_findings() {
  std::vector<Found> found;
  for (auto& w : workers_) {
    for (auto& f : w->found) {
      if (!f.transition && !f.settled) f.pos = parent_pos(f.slot);
      found.push_back(std::move(f));
    }
    w->found.clear();
  }
  // The property last: one state or call can break several, and the
  // workers' lists meet in an order that depends on the threads.
  auto key = [&](const Found& f) {
    return std::make_tuple(f.pos, f.transition ? 0 : 1,
                           f.transition ? uint64_t(f.call_index) : f.settled ? f.fp : set_.fingerprint(f.slot), f.prop);
  };
  std::sort(found.begin(), found.end(), [&](const Found& a, const Found& b) { return key(a) < key(b); });
  return found;
}

// Reports the level's findings (traces need the parent links in place).
void Run::report_findings(const std::vector<Found>& found, uint32_t depth) {
  const bool any_violation_before = !result_.violations.empty();
  for (const Found& f : found) {
    const Property& p = *opt_.properties[f.prop];
    if (!checked_[f.prop]) continue;
    if (p.kind != PropertyKind::Sometimes && !opt_.keep_going && result_.violations.size() > 0) continue;
    const uint32_t d = f.transition ? depth + 1 : depth + 1;
    report(f, d);
    checked_[f.prop] = 0;
  }
  if (!opt_.keep_going && !any_violation_before && !result_.violations.empty()) stop_ = true;
  select_properties();
}

// The level's end when its sort arrays would pass the memory limit: no next
// frontier (the run stops), but the findings are reported. Their traces need
// the new states' parent links, rewritten in place (as finish_level does for
// the states it does not queue), which allocates nothing.
void Run::report_level_findings_only(uint32_t depth) {
  if (done_) settle_links();  // (its growth of done_ may not fit either: the positions are recorded all the same)
  const std::vector<Found> found = sorted_findings();
  if (!done_)  // (with links on disk a finding's state gets its record when reported)
    for (auto& w : workers_)
      for (const NewState& s : w->out_states)
        set_.set_parent(s.slot, frontier_[set_.parent(s.slot) & ~FingerprintSet::kLevelTag].slot);
  report_findings(found, depth);
  uint64_t dropped = 0;
  for (const auto& w : workers_) dropped += w->out_states.size();
  if (result_.limit_detail.empty())
    result_.limit_detail = "memory: the end of level " + std::to_string(depth) + " (ordering its " +
                           std::to_string(dropped) +
                           " new states into the next level) would pass the limit: the level's findings are "
                           "reported, the next level is not explored";
}

// --links disk, at the end of a round (the level table is full) and of a
// level. Every frontier position below next_ has been expanded, and a state's
// link is the least position that reached it, so no state in the level table
// can get a lower one: each new state's parent position (and each new-state
// finding's position and fingerprint) is final and is recorded beside it;
// then the keys join the closed levels in done_ (later lookups of them stop
// there) and the level table is emptied. So the level table never holds more
// than it did at its start size, however wide a level. A growth of done_ that
// would pass the memory limit stops the run instead (the keys stay counted in
// the level table; their positions are recorded all the same).
void Run::settle_links() {
  size_t n = 0;
  for (auto& w : workers_) {
    for (size_t i = w->settled; i < w->out_states.size(); ++i) {
      NewState& s = w->out_states[i];
      s.pos = parent_pos(s.slot);
    }
    for (Found& f : w->found)
      if (!f.transition && !f.settled) {
        f.pos = parent_pos(f.slot);
        f.fp = set_.fingerprint(f.slot);
        f.settled = true;
      }
    n += w->out_states.size() - w->settled;
  }
  const size_t cap = done_->capacity_for(n);
  if (cap > done_->capacity()) {
    if (!fits(cap * sizeof(uint64_t) + (1 << 20))) return;
    done_->grow(cap);
  }
  std::vector<uint64_t> fps;
  fps.reserve(n);
  for (const auto& w : workers_)
    for (size_t i = w->settled; i < w->out_states.size(); ++i) fps.push_back(w->out_states[i].fp);
  done_->add_all(fps, threads_);
  // Every slot in use holds one of these states: a few are emptied one by
  // one, many by emptying the whole table at once.
  if (n * 16 < set_.capacity()) {
    for (const auto& w : workers_)
      for (size_t i = w->settled; i < w->out_states.size(); ++i) set_.empty_slot(w->out_states[i].slot);
    set_.forget_size();
  } else {
    set_.clear();
  }
  for (auto& w : workers_) w->settled = w->out_states.size();
}

void Run::finish_level(uint32_t depth) {
  // 0. With links on disk: the level's last links recorded, its keys moved.
  if (done_) settle_links();
  // 1. The level's findings.
  const std::vector<Found> found = sorted_findings();
  // 2. Order the queued new states by (first parent position, fingerprint):
  //    the next frontier. Each worker's part is built and sorted on its own
  //    thread, then the sorted parts are merged. A state that is not queued
  //    (beyond a cap, or at the depth limit) needs no place in that order:
  //    its parent link (frontier position -> the parent's slot) is rewritten
  //    there and then, on the same thread; on a depth-limited model's last
  //    level that is nearly every state.
  struct Item {
    uint32_t pos;
    uint64_t fp;
    uint32_t slot;
    uint32_t buffer;
    uint64_t offset;
  };
  auto by_key = [](const Item& a, const Item& b) { return std::tie(a.pos, a.fp) < std::tie(b.pos, b.fp); };
  std::vector<std::vector<Item>> parts(workers_.size());
  in_parallel(workers_.size(), [&](size_t t) {
    auto& part = parts[t];
    for (const NewState& s : workers_[t]->out_states) {
      const uint32_t pos = done_ ? s.pos : set_.parent(s.slot) & ~FingerprintSet::kLevelTag;
      if (s.offset == kNotQueued) {
        if (!done_) set_.set_parent(s.slot, frontier_[pos].slot);
      } else
        part.push_back({pos, s.fp, s.slot, uint32_t(t), s.offset});
    }
    std::sort(part.begin(), part.end(), by_key);
  });
  // Each merge of two sorted parts is split among the threads at the
  // output's co-ranks (the merge path): thread t writes output positions
  // [k_t, k_t+1), taking a[i_t ..) and b[k_t - i_t ..). Keys are distinct
  // (a fingerprint is new once), so the split is exact. It was one thread's
  // merge of every queued state, a serial part of each level.
  std::vector<Item> items = std::move(parts[0]);
  for (size_t t = 1; t < parts.size(); ++t) {
    const std::vector<Item>& a = items;
    const std::vector<Item>& b = parts[t];
    std::vector<Item> merged(a.size() + b.size());
    auto co_rank = [&](size_t k) {  // the number of a's items among the first k of the output
      size_t lo = k > b.size() ? k - b.size() : 0, hi = std::min(k, a.size());
      while (lo < hi) {
        const size_t i = lo + (hi - lo) / 2;
        if (by_key(a[i], b[k - i - 1]))
          lo = i + 1;
        else
          hi = i;
      }
      return lo;
    };
    const size_t ways = merged.size() < kParallelMin ? 1 : threads_;
    in_parallel(ways, [&](size_t w) {
      const size_t k0 = merged.size() * w / ways, k1 = merged.size() * (w + 1) / ways;
      const size_t i0 = co_rank(k0), i1 = co_rank(k1);
      std::merge(a.begin() + ptrdiff_t(i0), a.begin() + ptrdiff_t(i1), b.begin() + ptrdiff_t(k0 - i0),
                 b.begin() + ptrdiff_t(k1 - i1), merged.begin() + ptrdiff_t(k0), by_key);
    });
    std::vector<Item>().swap(parts[t]);
    items.swap(merged);
  }
  // 3. The queued states' parent links (each thread a range). With links
  //    on disk: their records, numbered in the next frontier's order.
  uint32_t next_base = 0;
  if (done_) {
    try {
      next_base = uint32_t(trace_file_->size());
      for (const Item& it : items) trace_file_->append(frontier_base_ + it.pos, it.fp);
    } catch (const std::exception& e) {
      std::lock_guard lock(limit_mu_);
      if (limit_.empty()) limit_ = "disk";
      if (result_.limit_detail.empty()) result_.limit_detail = e.what();
      stop_ = true;
    }
  } else {
    in_parallel(threads_, [&](size_t t) {
      const size_t begin = items.size() * t / threads_, end = items.size() * (t + 1) / threads_;
      for (size_t i = begin; i < end; ++i) set_.set_parent(items[i].slot, frontier_[items[i].pos].slot);
    });
  }
  // 4. Report (traces need the links in place).
  report_findings(found, depth);
  if (done_) frontier_base_ = next_base;
  // 5. The next frontier.
  std::vector<FrontierEntry> next(items.size());
  std::vector<std::vector<uint8_t>> buffers(workers_.size());
  const size_t fill_ways = items.size() < kParallelMin ? 1 : threads_;
  in_parallel(fill_ways, [&](size_t t) {
    for (size_t i = items.size() * t / fill_ways, end = items.size() * (t + 1) / fill_ways; i < end; ++i)
      next[i] = {done_ ? uint32_t(next_base + i) : items[i].slot, items[i].buffer, items[i].offset};
  });
  bool any_new = false;  // queued or not
  for (size_t t = 0; t < workers_.size(); ++t) {
    any_new = any_new || !workers_[t]->out_states.empty();
    buffers[t].swap(workers_[t]->out_bytes);
    workers_[t]->out_bytes.clear();
    workers_[t]->out_states.clear();
    workers_[t]->settled = 0;
  }
  if (any_new) result_.depth = depth + 1;
  result_.peak_queue_bytes = std::max(result_.peak_queue_bytes, queue_bytes());
  frontier_.swap(next);
  frontier_buffers_.swap(buffers);
  // The expanded frontier's buffers become the workers' out buffers of the
  // next level, emptied but with their memory: the next level's new states
  // are written into pages already touched, where a fresh buffer took a page
  // fault and the kernel's zeroing per 4 KiB and a copy at each doubling
  // (page faults in the out buffers were over half of a run's, measured).
  // The queue's peak stays the same: these buffers were resident until now.
  for (size_t t = 0; t < workers_.size() && t < buffers.size(); ++t) {
    workers_[t]->out_bytes.swap(buffers[t]);
    workers_[t]->out_bytes.clear();
  }
}

bool Run::level_done() const {
  if (!disk_) return next_.load() >= frontier_.size();
  if (!disk_->all_claimed()) return false;
  for (const auto& w : workers_)
    if (w->cursor.block.left) return false;  // a block left half done by a growth round
  return true;
}

void Run::disk_failed(const std::string& why) {
  std::lock_guard lock(limit_mu_);
  if (limit_.empty()) {
    limit_ = "disk";
    result_.limit_detail = why;
  }
  stop_ = true;
}

// As worker_loop, on the frontier's blocks: a worker claims a block, expands
// its states in order, and keeps the rest of it across a growth round.
void Run::worker_loop_disk(Worker& w) {
  try {
    uint32_t pos = 0;
    uint64_t fp = 0;
    std::span<const uint8_t> packed;
    while (!stop_.load(std::memory_order_relaxed) && !set_.wants_grow() && !util::stop_requested() &&
           disk_->next(w.cursor, pos, fp, packed)) {
      expand_timed(w, pos, packed.data());
      if (opt_.max_states && stored_states() >= opt_.max_states) {
        std::lock_guard lock(limit_mu_);
        if (limit_.empty()) limit_ = "max-states";
        stop_ = true;
      }
    }
    if (w.has_pending) visit_pending_timed(w);
  } catch (const std::exception& e) {
    disk_failed(e.what());
  }
  set_.publish(w.unpublished);
}

void Run::finish_level_disk(uint32_t depth) {
  // Parent links are state numbers, final when written: nothing to rewrite.
  const std::vector<Found> found = sorted_findings();
  report_findings(found, depth);
  bool any_new = false;
  for (auto& w : workers_) {
    any_new = any_new || w->level_new;
    w->level_new = 0;
  }
  if (any_new) result_.depth = depth + 1;
  result_.peak_queue_bytes = std::max(result_.peak_queue_bytes, queue_bytes());
  if (stop_) return;  // the next frontier is not needed
  try {
    disk_->advance();
  } catch (const std::exception& e) {
    disk_failed(e.what());
    return;
  }
  if (disk_->over_limit()) disk_failed("");
}

// At a level's end, when the next level is ready and nothing is in flight:
// every checkpoint_every_s, and when a signal asked for one (then the run stops).
void Run::maybe_checkpoint() {
  if (opt_.checkpoint_dir.empty() || stop_ || frontier_size() == 0) return;
  const bool requested = opt_.checkpoint_request && opt_.checkpoint_request->load();
  const double since = std::chrono::duration<double>(Clock::now() - last_checkpoint_).count();
  if (!requested && since < opt_.checkpoint_every_s) return;
  try {
    write_checkpoint_now();
  } catch (const std::exception& e) {
    std::lock_guard lock(limit_mu_);
    limit_ = "checkpoint";
    result_.limit_detail = e.what();
    stop_ = true;
    return;
  }
  last_checkpoint_ = Clock::now();
  ++result_.checkpoints;
  if (requested) {
    std::lock_guard lock(limit_mu_);
    if (limit_.empty()) limit_ = "signal";
    stop_ = true;
  }
}

void Run::write_checkpoint_now() {
  CheckpointMeta m;
  m.identity = identity();
  m.next_depth = depth_ + 1;
  m.result_depth = result_.depth;
  m.constrained = result_.constrained;
  for (auto& w : workers_) {
    m.transitions += w->transitions.load();
    m.constrained += w->constrained;
    m.lookups += w->lookups;
    m.grant_statuses |= w->grant_statuses;
    m.license_statuses |= w->license_statuses;
    for (int op = 0; op < kOpCount; ++op) {
      m.coverage[op].succeeded += w->coverage[op].succeeded;
      m.coverage[op].failed += w->coverage[op].failed;
    }
  }
  m.seconds = std::chrono::duration<double>(Clock::now() - t0_).count() + prior_seconds_;
  m.peak_queue_bytes = result_.peak_queue_bytes;
  m.checked = checked_;
  m.reported = reported_;
  m.table_capacity = set_.capacity();
  m.table_size = set_.size();
  m.frontier_states = frontier_size();
  // Links on disk: the closed levels' table and the trace file (the level
  // table is empty at a level's end); the frontier's entries hold numbers.
  if (done_) {
    m.links_on_disk = true;
    m.keys_capacity = done_->capacity();
    m.keys_spare = done_->spare();
    m.keys_size = done_->size();
    m.trace_records = trace_file_->size();
    m.frontier_base = frontier_base_;
  }
  const ExtraFiles links_files = [this](const std::string& dir) {
    write_raw_file(dir + "/keys", done_->raw(), KeySet::slots(done_->capacity(), done_->spare()) * sizeof(uint64_t));
    trace_file_->save(dir + "/trace");
  };
  const size_t accounts = start_.accounts.size(), products = start_.products.size();
  write_checkpoint(opt_.checkpoint_dir, m, set_, [&](const FrontierEmit& emit) {
    if (disk_) {
      disk_->for_each_frontier(emit);
      return;
    }
    for (const FrontierEntry& e : frontier_) {
      const uint8_t* p = frontier_buffers_[e.buffer].data() + e.offset;
      const std::span<const uint8_t> packed{p, packed_size(p, accounts, products)};
      emit(done_ ? fingerprint(packed) : set_.fingerprint(e.slot), packed);
    }
  }, disk_.get(), done_ ? links_files : ExtraFiles{});
}

void Run::resume() {
  const CheckpointReader ck(opt_.resume_dir, identity());
  const CheckpointMeta& m = ck.meta();
  if (m.checked.size() != opt_.properties.size()) throw CheckpointError("the checkpoint has another property set");
  ck.load_table(set_);
  // (The run's identity names --links, so this is a damaged checkpoint.)
  if (bool(done_) != m.links_on_disk) throw CheckpointError("the checkpoint was made with other --links");
  if (done_) {
    const size_t slots = KeySet::slots(m.keys_capacity, m.keys_spare);
    std::error_code ec;
    if (std::filesystem::file_size(ck.path() + "/keys", ec) != slots * sizeof(uint64_t) || ec)
      throw CheckpointError("the checkpoint's closed levels' table in " + ck.path() + " is truncated");
    try {
      done_->restore(m.keys_capacity, m.keys_spare, m.keys_size,
                     [&](uint64_t* keys) { read_raw_file(ck.path() + "/keys", keys, slots * sizeof(uint64_t)); });
      trace_file_->load(ck.path() + "/trace", m.trace_records);
    } catch (const CheckpointError&) {
      throw;
    } catch (const std::exception& e) {
      throw CheckpointError(std::string(e.what()) + " (checkpoint " + ck.path() + ")");
    }
    frontier_base_ = m.frontier_base;
  }
  checked_ = m.checked;
  Worker& w0 = *workers_[0];
  w0.transitions = m.transitions;
  w0.constrained = m.constrained;
  w0.lookups = m.lookups;
  w0.coverage = m.coverage;
  w0.grant_statuses = m.grant_statuses;
  w0.license_statuses = m.license_statuses;
  result_.depth = m.result_depth;
  result_.peak_queue_bytes = m.peak_queue_bytes;
  result_.resumed = true;
  prior_seconds_ = m.seconds;
  if (disk_) {
    ck.load_numbers(*disk_);
    disk_->adopt([&](const std::function<void(uint64_t, std::span<const uint8_t>)>& add) { ck.read_frontier(add); });
  } else {
    frontier_buffers_.assign(1, {});
    std::vector<uint8_t>& buf = frontier_buffers_[0];
    ck.read_frontier([&](uint64_t fp, std::span<const uint8_t> packed) {
      const auto number = uint32_t(frontier_base_ + frontier_.size());
      frontier_.push_back({done_ ? number : set_.find(fp), 0, buf.size()});
      buf.insert(buf.end(), packed.begin(), packed.end());
    });
  }
  // The reports made before the checkpoint, their traces rebuilt from the
  // restored parent links.
  // (With links on disk: through the state numbers the reports kept.)
  for (const auto& r : m.reported) {
    Found f{r.prop, r.transition, 0, 0, done_ ? r.number : set_.find(r.fp), r.detail, true, r.fp};
    report(f, r.depth);
  }
  select_properties();
  depth_ = m.next_depth;
}

void Run::start() {
  // The start state.
  Worker& w0 = *workers_[0];
  w0.canon.canonical(start_, w0.packed);
  const auto root = set_.insert(fingerprint(w0.packed), disk_ ? 0 : FingerprintSet::kRoot, w0.packed, &w0.arena);
  if (opt_.on_new_state) opt_.on_new_state(w0.packed);
  check_new_state<false>(w0, start_, nullptr, root.slot);
  // With links on disk the start state is number 0, its parent none.
  if (done_) trace_file_->append(TraceFile::kRoot, fingerprint(w0.packed));
  starting_ = true;
  for (const Found& f : w0.found) {
    if (!checked_[f.prop]) continue;
    if (opt_.properties[f.prop]->kind != PropertyKind::Sometimes && !opt_.keep_going && !result_.violations.empty())
      continue;
    report(f, 0);
    checked_[f.prop] = 0;
  }
  starting_ = false;
  w0.found.clear();
  select_properties();
  if (!result_.violations.empty() && !opt_.keep_going) stop_ = true;
  if (done_) {  // the start state's level is closed
    const uint64_t fp = set_.fingerprint(root.slot);
    done_->add(fp);
    set_.clear();
  }
  frontier_buffers_.assign(1, w0.packed);
  if (beyond_caps(start_, bounds_))
    ++result_.constrained;
  else if (!disk_)
    frontier_.push_back({done_ ? 0 : root.slot, 0, 0});
  else
    try {
      disk_->add(0, fingerprint(w0.packed), w0.packed);
      disk_->advance();
    } catch (const std::exception& e) {
      disk_failed(e.what());
    }

  depth_ = 0;
}

ExploreResult Run::run() {
  if (opt_.profile) {
    profile_clock_.start();
    for (auto& w : workers_) w->prof.properties.assign(opt_.properties.size(), {});
  }
  result_.threads = threads_;
  result_.symmetry = classes_;
  for (Op op : bounds_.operations) result_.op_in_bounds[size_t(op)] = true;
  for (const Property* p : opt_.properties)
    if (p->kind == PropertyKind::Sometimes) result_.sometimes.push_back({std::string(p->name), false, 0, {}});

  if (!opt_.checkpoint_dir.empty() || !opt_.resume_dir.empty()) {
    if (opt_.exact) throw CheckpointError("checkpoints do not store --exact's whole states: run without --exact");
    last_checkpoint_ = t0_;
  }
  if (!opt_.resume_dir.empty())
    resume();  // the start state and the levels before are in the checkpoint
  else
    start();
  for (; !stop_ && frontier_size() > 0; ++depth_) {
    if (opt_.max_depth && depth_ >= opt_.max_depth) {
      limit_ = "max-depth";
      stop_ = true;
      break;
    }
    run_level();
    // The level's end allocates its sort arrays at once: when they do not
    // fit, the run stops here (a limit), the level's findings still reported.
    if (!disk_ && !fits(level_end_bytes())) {
      report_level_findings_only(depth_);
      break;
    }
    const auto e0 = Clock::now();
    if (disk_)
      finish_level_disk(depth_);
    else
      finish_level(depth_);
    result_.level_end_seconds += std::chrono::duration<double>(Clock::now() - e0).count();
    maybe_checkpoint();
  }

  const auto t1 = Clock::now();
  result_.seconds = std::chrono::duration<double>(t1 - t0_).count() + prior_seconds_;
  result_.cpu = util::cpu_usage() - cpu0_;
  result_.states = stored_states();
  for (auto& w : workers_) {
    result_.transitions += w->transitions.load();
    result_.constrained += w->constrained;
    result_.grant_statuses |= w->grant_statuses;
    result_.license_statuses |= w->license_statuses;
    for (int op = 0; op < kOpCount; ++op) {
      result_.coverage[op].succeeded += w->coverage[op].succeeded;
      result_.coverage[op].failed += w->coverage[op].failed;
    }
    result_.store_bytes += w->arena.bytes();
  }
  if (opt_.profile) collect_profile();
  result_.store_bytes += set_.table_bytes();
  if (done_) {
    result_.store_bytes += done_->bytes();
    result_.links_on_disk = true;
    result_.trace_file_bytes = trace_file_->bytes();
  }
  result_.bytes_per_state = result_.states ? double(result_.store_bytes) / double(result_.states) : 0;
  // (With links on disk: the closed levels' table, where nearly every state is.)
  result_.table_load = done_ ? double(done_->size()) / double(done_->capacity())
                             : double(result_.states) / double(set_.capacity());
  result_.states_per_second = result_.seconds > 0 ? double(result_.states) / result_.seconds : 0;
  result_.peak_rss_bytes = peak_rss_bytes();
  if (disk_) {
    result_.frontier_on_disk = true;
    result_.peak_disk_bytes = disk_->peak_disk_bytes();
    result_.frontier_raw_bytes = disk_->raw_bytes_written();
    result_.frontier_stored_bytes = disk_->bytes_written();
  }
  if (!opt_.exact) {
    // TLC's optimistic estimate: every lookup of a new fingerprint could have
    // hit one of the n stored ones: n * (lookups - n) / 2^64.
    uint64_t lookups = 0;
    for (auto& w : workers_) lookups += w->lookups;
    const double n = double(result_.states);
    result_.collision_probability = n * std::max(0.0, double(lookups) - n) / std::pow(2.0, 64);
  }
  if (!result_.violations.empty())
    result_.stop = ExploreResult::Stop::Violation;
  else if (!limit_.empty())
    result_.stop = ExploreResult::Stop::Limit;
  result_.limit = limit_;
  return std::move(result_);
}

}  // namespace

void split_checked_properties(const std::vector<const Property*>& properties, const std::vector<uint8_t>& checked,
                              std::vector<uint32_t>& state, std::vector<uint32_t>& transition,
                              std::vector<uint32_t>& failed_noop) {
  state.clear();
  transition.clear();
  failed_noop.clear();
  for (uint32_t i = 0; i < properties.size(); ++i) {
    const Property& p = *properties[i];
    if (!checked[i]) continue;
    if (p.kind != PropertyKind::Transition && p.check_state) state.push_back(i);
    if (p.kind != PropertyKind::Sometimes && p.check_transition) {
      transition.push_back(i);
      if (!p.holds_on_failed_noop) failed_noop.push_back(i);
    }
  }
}

NarrowedChecks plan_narrowed_checks(const std::vector<const Property*>& properties, bool narrow,
                                    const std::vector<uint32_t>& state, const std::vector<uint32_t>& transition) {
  NarrowedChecks n;
  for (unsigned changed = 0; changed <= kEveryChange; ++changed)
    for (const uint32_t i : state) {
      const Property& p = *properties[i];
      if (!narrow || p.kind != PropertyKind::Always || may_break(p, uint8_t(changed)))
        n.state_by_change[changed].push_back(i);
    }
  n.transitions = narrow && transition.size() <= 64;
  if (!n.transitions) return n;
  for (size_t b = 0; b < transition.size(); ++b) {
    const Property& p = *properties[transition[b]];
    for (unsigned changed = 0; changed <= kEveryChange; ++changed)
      if (may_break(p, uint8_t(changed))) n.transition_by_change[changed] |= uint64_t(1) << b;
    for (int op = 0; op < kOpCount; ++op)
      for (int ok = 0; ok < 2; ++ok)
        if (may_judge(p, Op(op), ok != 0)) n.transition_by_call[size_t(op)][size_t(ok)] |= uint64_t(1) << b;
  }
  return n;
}

// A finding told in the words of its replayed trace (explorer.h): the
// concrete states may be permutations of the stored representatives.
void tell_in_trace_words(const Property& p, bool transition, const Bounds& bounds, const Rules& rules,
                         const Names& names, ViolationReport& v) {
  if (!transition) {
    if (p.check_state)
      if (auto r = p.check_state(v.trace.last(), names)) v.detail = *r;  // in the concrete state's words
    return;
  }
  // The violating call: the concrete state's first call (in enumeration
  // order) that violates the property.
  const World before = v.trace.last();
  std::vector<Call> calls;
  enumerate_calls(before, bounds, calls);
  for (const Call& c : calls) {
    TraceStep step{c, {}, {}, before};
    step.outcome = apply(step.after, c, &step.changes, rules);
    Transition t{&before, step.after, c, step.outcome, step.changes};
    if (auto r = p.check_transition(t, names)) {
      v.detail = *r;
      v.trace.steps.push_back(std::move(step));
      return;
    }
  }
  v.trace_ok = false;
}

uint64_t expected_states_per_rank(uint64_t states, unsigned ranks) {
  if (ranks <= 1) return states;
  const uint64_t share = states / ranks + 1;
  return share + share / 16;  // fingerprints spread states evenly; the margin covers the spread
}

uint64_t presized_table_slots(const ExploreOptions& o, unsigned ranks) {
  if (!o.expect_states) return 0;
  const uint64_t n = expected_states_per_rank(o.expect_states, ranks);
  if (o.links_on_disk)  // (past 2^40 keys: more than any limit takes, and no double rounding)
    return n >= (uint64_t(1) << 40) ? n : KeySet::capacity_for_keys(n, size_t(1) << kClosedLevelsLog2);
  return FingerprintSet::capacity_for_states(n, size_t(1) << std::max(10u, o.table_log2),
                                             FingerprintSet::bytes_per_slot(o.exact), o.table_doubling_bytes);
}

uint64_t presized_table_bytes(const ExploreOptions& o, unsigned ranks, bool mpi) {
  const uint64_t slots = presized_table_slots(o, ranks);
  if (o.links_on_disk) return slots * sizeof(uint64_t);
  return slots * (FingerprintSet::bytes_per_slot(o.exact) + (mpi ? sizeof(uint64_t) : 0));
}

ExploreResult explore(const World& start, const Names& names, const Bounds& bounds, const Rules& rules,
                      const ExploreOptions& options) {
  Run run(start, names, bounds, rules, options);
  return run.run();
}

}  // namespace entmc::engine
