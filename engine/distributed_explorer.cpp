#include "engine/distributed_explorer.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#ifdef ENTMC_HAVE_MPI
#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <tuple>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "engine/call_cache.h"
#include "engine/checkpoint.h"
#include "engine/fingerprint_set.h"
#include "engine/frontier_store.h"
#include <zstd.h>

#include "engine/mpi_comm.h"
#include "engine/state_codec.h"
#include "model/memory_hints.h"
#include "util/memory_budget.h"
#include "util/stop_request.h"
#endif

namespace entmc::engine {

unsigned mpi_world_size_from_env() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})
    if (const char* v = std::getenv(var); v && *v) return unsigned(std::strtoul(v, nullptr, 10));
  return 0;
}

namespace {
void refuse_unsupported(const ExploreOptions& o) {
  if (o.exact) throw std::invalid_argument("--exact is not supported under MPI: ranks store fingerprints only");
}
}  // namespace

#ifndef ENTMC_HAVE_MPI

bool mpi_built() { return false; }

ExploreResult explore_distributed(const World&, const Names&, const Bounds&, const Rules&, const ExploreOptions& o) {
  refuse_unsupported(o);
  throw std::runtime_error("this entmc was built without MPI (configure with -DENTMC_MPI=ON and libopenmpi-dev)");
}

#else

bool mpi_built() { return true; }

namespace {

using Clock = std::chrono::steady_clock;

// Batch header: u32 flags, u32 records; a record: u64 fingerprint, u64 parent
// fingerprint, u32 length (with the two flags below in its top bits), the
// packed state, then with kHasFindings: u32 count and per finding u32
// property, u32 detail length, the detail. The sender judges the successor
// (it has the state and its call's change log: the local checks, the caps,
// the statuses reached), so the owner of a new state only stores and queues
// it: it does not unpack it or run the whole-state checks.
constexpr uint32_t kEndOfLevel = 1, kStopFlag = 2;
// --mpi-zstd: the records after the header are one zstd frame (the header
// then has a third word, the records' raw size).
constexpr uint32_t kCompressed = 4;
constexpr uint32_t kNotQueuedFlag = 1u << 31, kHasFindings = 1u << 30, kLengthMask = kHasFindings - 1;
constexpr size_t kHeader = 8;
constexpr size_t kBatchBytes = 64 << 10;            // a batch is sent once this full
constexpr uint64_t kMaxInFlight = uint64_t(64) << 20;  // sends not yet delivered before the sender waits
// With threads: the full batches the expanding threads hand to the MPI
// thread before they wait (at their next state) for it to send them.
constexpr uint64_t kMaxOutbox = uint64_t(64) << 20;
constexpr size_t kChunk = 32;  // RAM frontier positions a thread claims at a time
// A direct-mapped cache of the fingerprints a rank has sent (8 bytes each):
// most successors are reached again and again, and each resend would cost
// the wire and the owner's lookup. 2^21 entries: 16 MiB per rank.
constexpr unsigned kSentCacheLog2 = 21;

// Limits, by precedence when ranks disagree (the largest code wins).
enum LimitCode : uint64_t { kNoLimit = 0, kMaxStates, kMaxDepth, kMemory, kDisk, kStopRequest, kCheckpoint, kSignal };
const char* limit_name(uint64_t c) {
  switch (c) {
    case kDisk: return "disk";
    case kCheckpoint: return "checkpoint";
    case kSignal: return "signal";
    case kMaxStates: return "max-states";
    case kMaxDepth: return "max-depth";
    case kMemory: return "memory";
    case kStopRequest: return "stop-request";
    default: return "";
  }
}

uint64_t norm(uint64_t fp) { return fp ? fp : 1; }  // as the visited set stores it

// The first table's size; ENTMC_MPI_TABLE_LOG2 (a test hook) makes it small,
// so that a test's ranks grow their tables while their threads expand.
unsigned initial_table_log2(const ExploreOptions& o) {
  if (const char* v = std::getenv("ENTMC_MPI_TABLE_LOG2"); v && *v)
    return std::clamp(unsigned(std::strtoul(v, nullptr, 10)), 10u, 30u);
  return std::max(10u, o.table_log2);
}

template <typename T>
void put(std::vector<uint8_t>& b, T v) {
  const size_t at = b.size();
  b.resize(at + sizeof v);
  std::memcpy(b.data() + at, &v, sizeof v);
}
template <typename T>
T get(const uint8_t*& p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}

// A property failure (or a Sometimes example) of the current level. `fp` is
// the new state's (a state finding) or the expanded state's (a transition).
struct DFound {
  uint32_t prop = 0;
  bool transition = false;
  uint64_t fp = 0;
  uint32_t call_index = 0;
  std::string detail;
  auto key() const { return std::make_tuple(fp, transition ? 0 : 1, call_index); }
};

class DistRun {
 public:
  DistRun(const World& start, const Names& names, const Bounds& bounds, const Rules& rules, const ExploreOptions& opt)
      : start_(start),
        names_(names),
        bounds_(bounds),
        rules_(rules),
        opt_(opt),
        set_(initial_table_log2(opt)),
        budget_(opt.memory_limit ? util::memory_budget(opt.memory_limit) : 0) {
    if (opt.symmetry) classes_ = find_symmetry(start, bounds);
    canon_ = Canonicalizer(classes_);
    threads_ = std::max(1u, opt.threads);
    threaded_ = threads_ > 1;
    set_.set_single_writer(!threaded_);
    // --expect-states: this rank's share (fingerprints spread states evenly)
    if (opt.expect_states) set_.reserve(expected_states_per_rank(opt.expect_states, comm_.size()));
    parent_fp_.assign(set_.capacity(), kNoParent);
    checked_.assign(opt.properties.size(), 1);
    select_properties();
    // ceil(cap / ranks), written so that the largest cap (2^64 - 1) does not wrap to a share of 0.
    if (opt.max_states) max_states_share_ = opt.max_states / comm_.size() + (opt.max_states % comm_.size() != 0);
    // -j 1: one worker, the MPI thread's. -j N: N expanding workers and the
    // MPI thread's (it stores the states that arrive in batches; it sends none).
    const unsigned n = threaded_ ? threads_ + 1 : 1;
    for (unsigned i = 0; i < n; ++i) {
      auto w = std::make_unique<Worker>();
      w->index = i;
      w->before = w->after = start;
      w->canon = canon_;
      const bool sends = !threaded_ || i < threads_;
      if (sends) {
        w->out.resize(comm_.size());
        w->out_records.resize(comm_.size());
        for (unsigned r = 0; r < comm_.size(); ++r) reset_batch(*w, r);
        if (comm_.size() > 1) w->sent_cache.assign(size_t(1) << kSentCacheLog2, 0);  // -np 1 sends nothing
      }
      workers_.push_back(std::move(w));
    }
    main_ = workers_.back().get();
  }

  ExploreResult run();

 private:
  struct Worker;
  unsigned owner(uint64_t fp) const { return unsigned(((fp & 0xFFFFFFFFu) * comm_.size()) >> 32); }
  // The table's lines for fp and the side array's line at its home slot
  // (the slot found is the home or a few after it): fetched while other work runs.
  void prefetch_slot(uint64_t fp) const {
    set_.prefetch(fp);
    __extension__ using u128 = unsigned __int128;
    prefetch_line(&parent_fp_[size_t((u128(fp) * set_.capacity()) >> 64)]);
  }
  static size_t sent_index(uint64_t fp) { return size_t((fp * 0x9E3779B97F4A7C15ull) >> (64 - kSentCacheLog2)); }
  void select_properties();
  // The state checks of a new state (or of a successor sent to its owner):
  // findings into `into`, the statuses reached into this rank's bits.
  void check_new_state(Worker& w, const World& s, const Changes* changes, uint64_t fp, std::vector<DFound>& into);
  bool queued(const World& s) const {
    return (!bounds_.max_depth || depth_ + 1 < bounds_.max_depth) && !beyond_caps(s, bounds_);
  }
  // A successor reaches its owner: from this rank (`concrete` and `changes`
  // set), or in a batch, judged by its sender (`queue`, `findings`).
  void arrive(Worker& w, uint64_t fp, uint64_t parent_fp, std::span<const uint8_t> packed, const World* concrete,
              const Changes* changes, bool queue = false, const uint8_t* findings = nullptr);
  void expand(Worker& w, uint64_t fp, const uint8_t* packed);
  void on_batch(std::span<const uint8_t> batch);
  void reset_batch(Worker& w, unsigned dest);
  // A full (or the level's last) batch: sent by the MPI thread, or handed to
  // it by an expanding thread (the outbox).
  void flush(Worker& w, unsigned dest, uint32_t flags);
  void send_now(unsigned dest, std::vector<uint8_t>&& bytes);
  void run_level();
  // -j N: the threads expand, the MPI thread sends, receives, stores what
  // arrives, grows the table (when every thread waits) and watches the limits.
  void run_level_threaded();
  void worker_loop(Worker& w);
  bool next_state(Worker& w, uint64_t& fp, const uint8_t*& packed);
  bool drain_outbox(bool all);
  // The MPI thread's growths: with threads, every expanding thread waits
  // first (at its next state). False: the memory limit forbids it.
  bool grow_checked();
  void set_headroom();
  void fold();  // the workers' counters and findings into the rank's
  bool finish_level();  // false: the run ends
  void settle_findings(uint32_t depth);
  void report(const DFound& f, uint32_t depth);
  std::vector<uint64_t> path_to(uint64_t fp, uint32_t depth);
  bool replay(const std::vector<uint64_t>& path, Trace& out);
  void grow(size_t new_cap);  // the capacity grow_checked() found room for (0, none asked for yet: grown_capacity())
  void local_stop(uint64_t code) {
    uint64_t cur = local_limit_.load(std::memory_order_relaxed);
    while (cur < code && !local_limit_.compare_exchange_weak(cur, code, std::memory_order_relaxed)) {
    }
  }
  bool halted() const {
    return local_limit_.load(std::memory_order_relaxed) != kNoLimit || peer_stopped_.load(std::memory_order_relaxed);
  }
  // --frontier disk (frontier_store.h): each rank's frontier in its own
  // files, under DIR/entmc-frontier-rank-R-XXXXXX. The order is the same as
  // in RAM (fingerprint order), so nothing else changes.
  void queue_next(Worker& w, uint64_t fp, std::span<const uint8_t> packed);
  void advance_frontier();  // the next level's states become the frontier
  uint64_t frontier_count() const { return store_ ? store_->size() : frontier_.size(); }
  void disk_fail(const std::string& why);  // an I/O error: this rank stops as on its disk limit
  // Checkpoints (checkpoint.h), per rank: DIR/ckpt-N/rank-R holds the rank's
  // table, parent fingerprints, frontier and counters; rank 0 commits
  // ckpt-N (CURRENT) once every rank has written its part.
  std::string identity() const {
    return opt_.run_identity + "\nranks " + std::to_string(comm_.size()) + "\n" + binary_identity() + "\n";
  }
  std::string part_name() const { return "rank-" + std::to_string(comm_.rank()); }
  void maybe_checkpoint();
  void write_part(const std::string& path);
  void resume();

  const World& start_;
  const Names& names_;
  const Bounds& bounds_;
  const Rules& rules_;
  const ExploreOptions& opt_;
  MpiComm comm_;
  FingerprintSet set_;
  // By slot: the parent's fingerprint (see distributed_explorer.h); a free
  // slot holds kNoParent, so that the least parent is an atomic min whether
  // the state's inserter or a rediscovery writes first (threads).
  static constexpr uint64_t kNoParent = ~uint64_t(0);
  std::vector<uint64_t> parent_fp_;
  void lower_parent(uint32_t slot, uint64_t parent_fp) {
    if (!threaded_) {
      parent_fp_[slot] = std::min(parent_fp_[slot], parent_fp);
      return;
    }
    std::atomic_ref<uint64_t> a(parent_fp_[slot]);
    uint64_t cur = a.load(std::memory_order_relaxed);
    while (parent_fp < cur && !a.compare_exchange_weak(cur, parent_fp, std::memory_order_relaxed)) {
    }
  }
  uint64_t root_fp_ = 0;
  SymmetryClasses classes_;
  Canonicalizer canon_;
  // The state properties a change of these kinds may break, and the
  // transition properties narrowed by change and call (as the single
  // process narrows them: explorer.cpp).
  NarrowedChecks narrowed_;
  std::vector<uint8_t> packed_;
  std::vector<uint8_t> checked_;
  std::vector<uint32_t> state_props_, transition_props_, failed_noop_props_;

  // This rank's frontier (fingerprint order) and the next level's states.
  struct Entry {
    uint64_t fp, offset;
  };
  std::vector<Entry> frontier_, next_;
  std::vector<uint8_t> frontier_bytes_, next_bytes_;
  std::unique_ptr<FrontierStore> store_;  // --frontier disk
  std::atomic<bool> disk_failed_{false};
  std::mutex disk_mu_;
  std::string disk_detail_;
  std::vector<uint8_t> unpacked_;  // a compressed batch's records
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> dctx_{nullptr, &ZSTD_freeDCtx};
  unsigned ends_ = 0;        // end-of-level markers received this level
  std::atomic<bool> peer_stopped_{false};  // a batch said its sender stopped: stop expanding too

  // A thread's own state (one, the MPI thread's, with -j 1; with -j N, N
  // expanding threads' and the MPI thread's, which stores the states that
  // arrive in batches): scratch worlds, batches per destination, the sent
  // cache (a thread's sources ascend within a level, so its cache keeps
  // the least parent as the rank's did), findings and counters, added to the
  // rank's at the level's end (fold).
  struct Worker {
    unsigned index = 0;  // its buffer in the disk frontier
    World before, after;
    Changes changes;
    std::vector<uint8_t> packed;
    CallCache call_cache;
    Canonicalizer canon;
    std::vector<DFound> found, sent_found;
    uint64_t level_new = 0, transitions = 0, constrained = 0, lookups = 0;
    uint64_t grant_statuses = 0, license_statuses = 0;
    std::array<OpCoverage, kOpCount> coverage{};
    size_t max_calls = 0;
    std::vector<Entry> next;  // the RAM frontier's next level, this thread's part
    std::vector<uint8_t> next_bytes;
    uint64_t next_count = 0;
    FrontierStore::Cursor cursor;
    size_t chunk_at = 0, chunk_end = 0;  // RAM frontier positions claimed
    std::vector<std::vector<uint8_t>> out;  // the batch being filled, per destination
    std::vector<uint32_t> out_records;
    std::vector<uint64_t> sent_cache;
    std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cctx{nullptr, &ZSTD_freeCCtx};
  };
  unsigned threads_ = 1;
  bool threaded_ = false;
  std::vector<std::unique_ptr<Worker>> workers_;
  Worker* main_ = nullptr;  // the MPI thread's
  // -j N during a level: the positions claimed, the outbox, the pause for a growth.
  std::atomic<size_t> claim_{0};
  std::mutex mu_;
  std::condition_variable cv_main_, cv_workers_;
  std::deque<std::pair<unsigned, std::vector<uint8_t>>> outbox_;
  std::atomic<uint64_t> outbox_bytes_{0};
  std::atomic<bool> pause_{false}, grow_wanted_{false};
  unsigned active_ = 0, done_ = 0;  // under mu_
  bool running_ = false;            // threads are expanding (the MPI thread's view)

  std::vector<DFound> found_;
  uint32_t depth_ = 0;  // the level being expanded; its new states have depth_ + 1
  uint64_t level_new_ = 0, transitions_ = 0, constrained_ = 0, lookups_ = 0, next_count_ = 0;
  uint64_t grant_statuses_ = 0, license_statuses_ = 0;
  std::array<OpCoverage, kOpCount> coverage_{};
  std::atomic<uint64_t> local_limit_{kNoLimit};
  uint64_t max_states_share_ = 0;  // ceil(--max-states / ranks): this rank's part of the cap
  uint64_t limit_ = kNoLimit;
  bool stop_ = false;
  uint64_t global_states_ = 0, global_frontier_ = 0;
  uint64_t budget_ = 0;
  ExploreResult result_;
  Clock::time_point t0_, last_progress_, last_checkpoint_;
  double prior_seconds_ = 0;
  std::vector<CheckpointMeta::Reported> reported_;  // every report so far, for checkpoints
};

void DistRun::select_properties() {
  split_checked_properties(opt_.properties, checked_, state_props_, transition_props_, failed_noop_props_);
  narrowed_ = plan_narrowed_checks(opt_.properties, opt_.narrow_checks, state_props_, transition_props_);
}

// As the single-process explorer, a new state is checked locally on what its
// call changed (the lists narrowed by the change's kinds).
//
// A successor sent to another rank is judged here by its sender, on the
// state and change log it has, before the owner knows whether it is new: a
// state's verdicts do not depend on which of its parents judged it (the
// local checks agree with the whole-state ones: properties/ tests), and the
// statuses reached are the union over reachable states, which every sent
// successor is. The owner keeps the findings only when the state is new.
void DistRun::check_new_state(Worker& w, const World& s, const Changes* changes, uint64_t fp,
                              std::vector<DFound>& into) {
  for (const Grant& g : s.grants) w.grant_statuses |= 1u << unsigned(g.status);
  for (const License& l : s.licenses) w.license_statuses |= 1u << unsigned(l.status);
  const LocalCheckScope shared;
  for (const uint32_t i : changes ? narrowed_.state_by_change[changes->kinds(s)] : state_props_) {
    const Property& p = *opt_.properties[i];
    auto r = changes && p.check_local ? p.check_local(s, *changes, names_) : p.check_state(s, names_);
    if (p.kind == PropertyKind::Always && r) into.push_back({i, false, fp, 0, std::move(*r)});
    if (p.kind == PropertyKind::Sometimes && !r) into.push_back({i, false, fp, 0, {}});
  }
}

void DistRun::grow(size_t new_cap) {
  std::vector<uint32_t> remap;
  set_.grow(remap, 1, new_cap);
  std::vector<uint64_t> moved(set_.capacity(), kNoParent);
  for (size_t s = 0; s < remap.size(); ++s)
    if (remap[s] != FingerprintSet::kNotFound) moved[remap[s]] = parent_fp_[s];
  parent_fp_.swap(moved);
}

// A successor reaches its owner. The parent link is the least parent
// fingerprint among this level's parents: states first reached in this level
// carry kLevelTag | their depth as the table's parent word.
//
// With threads the expanding threads and the MPI thread insert at once (the
// table's lock-free insert); only the MPI thread grows the table, once every
// expanding thread waits (grow_checked), and an expanding thread checks
// before each state that the table has room for its successors (the headroom).
void DistRun::arrive(Worker& w, uint64_t fp, uint64_t parent_fp, std::span<const uint8_t> packed,
                     const World* concrete, const Changes* changes, bool queue, const uint8_t* findings) {
  if (&w == main_ && set_.wants_grow() && !grow_checked()) return;  // dropped: the run stops at this level's end
  ++w.lookups;
  const uint32_t tag = FingerprintSet::kLevelTag | (depth_ + 1);
  const auto ins = set_.insert(fp, tag);
  if (!ins.inserted) {
    // After insert's own lowering, the tag is there only if the state is of this level.
    if (set_.parent(ins.slot) == tag) lower_parent(ins.slot, parent_fp);
    return;
  }
  lower_parent(ins.slot, parent_fp);
  ++w.level_new;
  // --max-states holds mid-level too: a rank that stores its share of the
  // cap (the partition is balanced by the hash) stops its expansion as the
  // memory limit does, and its end markers stop the others. Checking only
  // the summed count at level ends let a 20 M cap on large.yaml run to
  // 88.8 M states (the whole of level 8).
  if (opt_.max_states && set_.size() >= max_states_share_) local_stop(kMaxStates);
  if (concrete) {
    check_new_state(w, *concrete, changes, fp, w.found);
    queue = queued(*concrete);
  } else if (findings) {
    for (auto n = get<uint32_t>(findings); n > 0; --n) {
      DFound f{get<uint32_t>(findings), false, fp, 0, {}};
      const auto len = get<uint32_t>(findings);
      f.detail.assign(reinterpret_cast<const char*>(findings), len);
      findings += len;
      w.found.push_back(std::move(f));
    }
  }
  if (queue)
    queue_next(w, fp, packed);
  else
    ++w.constrained;
}

bool DistRun::grow_checked() {
  if (local_limit_.load() == kMemory) return false;
  // The new table and the parent fingerprints moved beside it (8 bytes per
  // new slot); a doubling that would not fit falls back to the least growth.
  // (Resident memory is read only when a growth is wanted.)
  const bool wanted = set_.wants_grow();
  const size_t new_cap = !wanted ? 0 : set_.capacity_that_fits([&](size_t cap) {
    return !budget_ || util::current_rss_bytes() + cap * (set_.bytes_per_slot() + 8) + set_.capacity() * 4 <= budget_;
  });
  if (wanted && new_cap == 0) {
    local_stop(kMemory);  // the threads see it at their next state
    return false;
  }
  if (running_) {
    std::unique_lock lock(mu_);
    pause_ = true;
    cv_main_.wait(lock, [&] { return active_ == 0; });
  }
  if (set_.wants_grow()) grow(new_cap);
  set_headroom();
  if (running_) {
    {
      std::lock_guard lock(mu_);
      pause_ = false;
      grow_wanted_ = false;
    }
    cv_workers_.notify_all();
  }
  return true;
}

// Room for every thread's successors of one state between two checks (as
// the single process's explorer.cpp sets it).
void DistRun::set_headroom() {
  size_t calls = 0;
  for (const auto& w : workers_) calls = std::max(calls, w->max_calls);
  set_.set_headroom(threaded_ ? (threads_ + 1) * (2 * calls + 1024) : 0);
}

void DistRun::queue_next(Worker& w, uint64_t fp, std::span<const uint8_t> packed) {
  ++w.next_count;
  if (!store_) {
    w.next.push_back({fp, w.next_bytes.size()});
    w.next_bytes.insert(w.next_bytes.end(), packed.begin(), packed.end());
    return;
  }
  if (disk_failed_) return;  // the run stops at this level's end
  try {
    store_->add(w.index, fp, packed);
  } catch (const std::exception& e) {
    disk_fail(e.what());
  }
}

void DistRun::disk_fail(const std::string& why) {
  local_stop(kDisk);
  disk_failed_ = true;
  std::lock_guard lock(disk_mu_);
  if (disk_detail_.empty()) disk_detail_ = why;
}

void DistRun::fold() {
  for (auto& wp : workers_) {
    Worker& w = *wp;
    level_new_ += w.level_new;
    transitions_ += w.transitions;
    constrained_ += w.constrained;
    lookups_ += w.lookups;
    next_count_ += w.next_count;
    grant_statuses_ |= w.grant_statuses;
    license_statuses_ |= w.license_statuses;
    for (int op = 0; op < kOpCount; ++op) {
      coverage_[op].succeeded += w.coverage[op].succeeded;
      coverage_[op].failed += w.coverage[op].failed;
    }
    w.level_new = w.transitions = w.constrained = w.lookups = w.next_count = 0;
    w.grant_statuses = w.license_statuses = 0;
    w.coverage = {};
    for (DFound& f : w.found) found_.push_back(std::move(f));
    w.found.clear();
  }
}

// In RAM: the entries sorted by fingerprint, pointing into the bytes as they
// arrived (no copy). On disk: the store merges its sorted runs into the next
// frontier's file, in fingerprint order too.
void DistRun::advance_frontier() {
  next_count_ = 0;
  claim_ = 0;
  for (auto& w : workers_) {
    w->cursor = {};
    w->chunk_at = w->chunk_end = 0;
  }
  if (!store_) {
    // The threads' parts, one after another (one part: no copy).
    next_.clear();
    next_bytes_.clear();
    for (auto& w : workers_) {
      if (w->next.empty()) continue;
      if (next_.empty()) {
        next_.swap(w->next);
        next_bytes_.swap(w->next_bytes);
        continue;
      }
      const uint64_t base = next_bytes_.size();
      for (const Entry& e : w->next) next_.push_back({e.fp, base + e.offset});
      next_bytes_.insert(next_bytes_.end(), w->next_bytes.begin(), w->next_bytes.end());
      w->next.clear();
      w->next_bytes.clear();
    }
    std::sort(next_.begin(), next_.end(), [](const Entry& a, const Entry& b) { return a.fp < b.fp; });
    frontier_.swap(next_);
    frontier_bytes_.swap(next_bytes_);
    next_.clear();
    next_bytes_.clear();
    return;
  }
  if (!disk_failed_) try {
      store_->advance();
    } catch (const std::exception& e) {
      disk_fail(e.what());
    }
  if (store_->over_limit()) local_stop(kDisk);
}

void DistRun::reset_batch(Worker& w, unsigned dest) {
  w.out[dest].clear();
  w.out[dest].reserve(kBatchBytes + 4096);
  w.out[dest].resize(kHeader);
  w.out_records[dest] = 0;
}

void DistRun::flush(Worker& w, unsigned dest, uint32_t flags) {
  std::vector<uint8_t>& b = w.out[dest];
  if (opt_.mpi_zstd > 0 && b.size() > kHeader) {
    if (!w.cctx) w.cctx.reset(ZSTD_createCCtx());
    const size_t raw = b.size() - kHeader;
    std::vector<uint8_t> z(kHeader + 4 + ZSTD_compressBound(raw));
    const size_t n = ZSTD_compressCCtx(w.cctx.get(), z.data() + kHeader + 4, z.size() - kHeader - 4,
                                       b.data() + kHeader, raw, opt_.mpi_zstd);
    if (!ZSTD_isError(n)) {
      z.resize(kHeader + 4 + n);
      const auto raw32 = uint32_t(raw);
      std::memcpy(z.data() + kHeader, &raw32, 4);
      b.swap(z);
      flags |= kCompressed;
    }
  }
  std::memcpy(b.data(), &flags, 4);
  std::memcpy(b.data() + 4, &w.out_records[dest], 4);
  std::vector<uint8_t> full = std::move(b);
  w.out[dest] = {};
  reset_batch(w, dest);
  if (&w == main_) {
    send_now(dest, std::move(full));
    return;
  }
  const uint64_t size = full.size();
  {
    std::lock_guard lock(mu_);
    outbox_.emplace_back(dest, std::move(full));
  }
  outbox_bytes_.fetch_add(size);
  cv_main_.notify_one();
}

void DistRun::send_now(unsigned dest, std::vector<uint8_t>&& bytes) {
  comm_.send(dest, std::move(bytes));
  // Flow control: a rank that produces faster than its peers drain waits,
  // receiving meanwhile (so two ranks waiting on each other both progress).
  while (comm_.in_flight_bytes() > kMaxInFlight)
    comm_.receive(false, [this](unsigned, std::span<const uint8_t> bt) { on_batch(bt); });
}

void DistRun::on_batch(std::span<const uint8_t> batch) {
  const uint8_t* p = batch.data();
  const auto flags = get<uint32_t>(p);
  const auto records = get<uint32_t>(p);
  if (flags & kCompressed) {
    if (!dctx_) dctx_.reset(ZSTD_createDCtx());
    unpacked_.resize(get<uint32_t>(p));
    const size_t n = ZSTD_decompressDCtx(dctx_.get(), unpacked_.data(), unpacked_.size(), p,
                                         size_t(batch.data() + batch.size() - p));
    if (ZSTD_isError(n) || n != unpacked_.size()) throw std::runtime_error("a corrupt batch from another rank");
    batch = unpacked_;
    p = batch.data();
  }
  // A record's findings (kHasFindings): skipped, their start returned.
  auto skip_findings = [](const uint8_t*& q, uint32_t word) -> const uint8_t* {
    if (!(word & kHasFindings)) return nullptr;
    const uint8_t* start = q;
    for (auto n = get<uint32_t>(q); n > 0; --n) {
      q += 4;
      q += get<uint32_t>(q);
    }
    return start;
  };
  // First every record's lines are asked for, then the records are inserted
  // (a batch is a few hundred records: their lines fit in the caches).
  for (const uint8_t *q = p, *end = batch.data() + batch.size(); q < end;) {
    prefetch_slot(get<uint64_t>(q));
    q += 8;
    const auto word = get<uint32_t>(q);
    q += word & kLengthMask;
    skip_findings(q, word);
  }
  for (uint32_t i = 0; i < records; ++i) {
    const auto fp = get<uint64_t>(p);
    const auto parent = get<uint64_t>(p);
    const auto word = get<uint32_t>(p);
    const std::span<const uint8_t> packed{p, word & kLengthMask};
    p += packed.size();
    const uint8_t* findings = skip_findings(p, word);
    arrive(*main_, fp, parent, packed, nullptr, nullptr, !(word & kNotQueuedFlag), findings);
  }
  if (flags & kEndOfLevel) ++ends_;
  if (flags & kStopFlag) peer_stopped_ = true;
}

void DistRun::expand(Worker& w, uint64_t src_fp, const uint8_t* packed) {
  World& before = w.before;
  World& after = w.after;
  Changes& changes = w.changes;
  std::vector<uint8_t>& packed_out = w.packed;
  unpack(packed, before);
  after = before;
  const std::vector<Call>& calls = w.call_cache.calls(before, bounds_);
  w.max_calls = std::max(w.max_calls, calls.size());
  bool dirty = false;
  for (uint32_t ci = 0; ci < calls.size(); ++ci) {
    if (dirty) after = before;
    const Call& call = calls[ci];
    const Outcome out = apply(after, call, &changes, rules_);
    auto& cov = w.coverage[size_t(call.op)];
    (out.ok() ? cov.succeeded : cov.failed) += 1;
    const bool same = changes.empty(after) && (!opt_.verify_change_log || after == before);
    dirty = !same;
    uint64_t fp = 0;
    if (!same) {  // the successor's fingerprint first, so its slot is fetched while the properties run
      w.canon.canonical(after, packed_out);
      fp = norm(fingerprint(packed_out));
      if (owner(fp) == comm_.rank())
        prefetch_slot(fp);
      else
        prefetch_line(&w.sent_cache[sent_index(fp)]);
    }
    const Transition t{same ? &after : &before, after, call, out, changes};
    if (same && !out.ok()) {
      for (const uint32_t i : failed_noop_props_)
        if (auto r = opt_.properties[i]->check_transition(t, names_)) w.found.push_back({i, true, src_fp, ci, std::move(*r)});
    } else if (narrowed_.transitions) {  // only those the change may break and that judge this call
      uint64_t run = narrowed_.transition_by_change[same ? 0 : changes.kinds(after)] &
                     narrowed_.transition_by_call[size_t(call.op)][out.ok() ? 1 : 0];
      for (; run != 0; run &= run - 1) {
        const uint32_t i = transition_props_[size_t(std::countr_zero(run))];
        if (auto r = opt_.properties[i]->check_transition(t, names_)) w.found.push_back({i, true, src_fp, ci, std::move(*r)});
      }
    } else {
      for (const uint32_t i : transition_props_)
        if (auto r = opt_.properties[i]->check_transition(t, names_)) w.found.push_back({i, true, src_fp, ci, std::move(*r)});
    }
    if (same) continue;
    const unsigned o = owner(fp);
    if (o == comm_.rank()) {
      arrive(w, fp, src_fp, packed_out, &after, &changes);
      continue;
    }
    // A successor sent before (this level or an earlier one) is in its
    // owner's visited set by this level's end, with a parent no greater than
    // this one (frontiers are expanded in fingerprint order): not sent again.
    uint64_t& cached = w.sent_cache[sent_index(fp)];
    if (cached == fp) continue;
    cached = fp;
    w.sent_found.clear();
    check_new_state(w, after, &changes, fp, w.sent_found);
    std::vector<uint8_t>& b = w.out[o];
    put(b, fp);
    put(b, src_fp);
    put(b, uint32_t(packed_out.size()) | (queued(after) ? 0 : kNotQueuedFlag) |
               (w.sent_found.empty() ? 0 : kHasFindings));
    b.insert(b.end(), packed_out.begin(), packed_out.end());
    if (!w.sent_found.empty()) {
      put(b, uint32_t(w.sent_found.size()));
      for (const DFound& f : w.sent_found) {
        put(b, f.prop);
        put(b, uint32_t(f.detail.size()));
        b.insert(b.end(), f.detail.begin(), f.detail.end());
      }
    }
    ++w.out_records[o];
    if (b.size() >= kBatchBytes) flush(w, o, 0);
  }
  w.transitions += calls.size();
}

// The next state of this rank's frontier for `w`: in RAM a run of kChunk
// positions claimed at a time (ascending, so a thread's sources ascend), on
// disk the store's next block.
bool DistRun::next_state(Worker& w, uint64_t& fp, const uint8_t*& packed) {
  if (!store_) {
    if (w.chunk_at == w.chunk_end) {
      const size_t at = claim_.fetch_add(kChunk, std::memory_order_relaxed);
      if (at >= frontier_.size()) return false;
      w.chunk_at = at;
      w.chunk_end = std::min(at + kChunk, frontier_.size());
    }
    const Entry& e = frontier_[w.chunk_at++];
    fp = e.fp;
    packed = frontier_bytes_.data() + e.offset;
    return true;
  }
  uint32_t pos = 0;
  std::span<const uint8_t> bytes;
  try {
    if (!store_->next(w.cursor, pos, fp, bytes)) return false;
  } catch (const std::exception& e) {
    disk_fail(e.what());
    return false;
  }
  packed = bytes.data();
  return true;
}

void DistRun::run_level() {
  level_new_ = 0;
  ends_ = 0;
  peer_stopped_ = false;
  set_headroom();
  auto take = [this](unsigned, std::span<const uint8_t> b) { on_batch(b); };
  if (threaded_) {
    run_level_threaded();
  } else {
    for (size_t i = 0;; ++i) {
      if (halted()) break;
      if (util::stop_requested()) {
        local_stop(kStopRequest);
        break;
      }
      if ((i & 63) == 0) {
        comm_.receive(false, take);
        if (budget_ && util::current_rss_bytes() > budget_) {
          local_stop(kMemory);
          break;
        }
        if (store_ && store_->over_limit()) {
          local_stop(kDisk);
          break;
        }
      }
      uint64_t fp = 0;
      const uint8_t* packed = nullptr;
      if (!next_state(*main_, fp, packed)) break;
      expand(*main_, fp, packed);
    }
  }
  // The end markers: the last batch to each other rank in this level (with
  // threads, after every batch of theirs: drained by run_level_threaded).
  const uint32_t flags = kEndOfLevel | (local_limit_.load() != kNoLimit ? kStopFlag : 0);
  for (unsigned r = 0; r < comm_.size(); ++r) {
    if (r == comm_.rank()) continue;
    if (!threaded_) {
      flush(*main_, r, flags);
      continue;
    }
    std::vector<uint8_t> marker(kHeader, 0);
    std::memcpy(marker.data(), &flags, 4);
    send_now(r, std::move(marker));
  }
  while (ends_ + 1 < comm_.size()) comm_.receive(true, take);
  comm_.wait_sends();
}

// The MPI thread during a level with -j N (MPI_THREAD_FUNNELED: only it
// calls MPI): it grows the table when a thread asks (every thread then
// waits), sends the threads' full batches, receives and stores the batches
// that arrive, and checks the limits every 2 ms; the threads stop at their
// next state when a limit or a peer's stop is seen.
void DistRun::run_level_threaded() {
  auto take = [this](unsigned, std::span<const uint8_t> b) { on_batch(b); };
  {
    std::lock_guard lock(mu_);
    active_ = threads_;
    done_ = 0;
    pause_ = false;
    grow_wanted_ = false;
  }
  running_ = true;
  std::vector<std::thread> pool;
  std::exception_ptr error;
  for (unsigned t = 0; t < threads_; ++t)
    pool.emplace_back([this, t, &error] {
      try {
        worker_loop(*workers_[t]);
      } catch (...) {
        local_stop(kStopRequest);
        std::lock_guard lock(mu_);
        if (!error) error = std::current_exception();
        --active_;
        ++done_;
        cv_main_.notify_one();
      }
    });
  auto last_check = Clock::now();
  for (;;) {
    bool busy = false;
    if (grow_wanted_.load() && grow_checked()) busy = true;
    if (drain_outbox(false)) busy = true;
    if (comm_.receive(false, take)) busy = true;
    const auto now = Clock::now();
    if (now - last_check >= std::chrono::milliseconds(2)) {
      last_check = now;
      if (util::stop_requested()) local_stop(kStopRequest);
      if (budget_ && util::current_rss_bytes() > budget_) local_stop(kMemory);
      if (store_ && store_->over_limit()) local_stop(kDisk);
      if (halted()) cv_workers_.notify_all();
    }
    std::unique_lock lock(mu_);
    if (done_ == threads_) break;
    if (!busy) cv_main_.wait_for(lock, std::chrono::milliseconds(1));  // a thread's request wakes it at once
  }
  for (auto& t : pool) t.join();
  running_ = false;
  if (error) std::rethrow_exception(error);
  drain_outbox(true);
}

void DistRun::worker_loop(Worker& w) {
  for (;;) {
    if (halted()) break;
    if (util::stop_requested()) {
      local_stop(kStopRequest);
      break;
    }
    // Before each state: room in the table for its successors, and in the outbox.
    if (pause_.load() || set_.wants_grow() || outbox_bytes_.load() > kMaxOutbox) {
      std::unique_lock lock(mu_);
      if (set_.wants_grow()) grow_wanted_ = true;
      --active_;
      cv_main_.notify_one();
      while (!cv_workers_.wait_for(lock, std::chrono::milliseconds(1), [&] {
        return halted() || (!pause_.load() && !grow_wanted_.load() && outbox_bytes_.load() <= kMaxOutbox);
      })) {
      }
      ++active_;
      continue;
    }
    uint64_t fp = 0;
    const uint8_t* packed = nullptr;
    if (!next_state(w, fp, packed)) break;
    expand(w, fp, packed);
  }
  for (unsigned r = 0; r < comm_.size(); ++r)
    if (r != comm_.rank() && w.out_records[r]) flush(w, r, 0);
  std::lock_guard lock(mu_);
  --active_;
  ++done_;
  cv_main_.notify_one();
}

// The threads' full batches, in the order handed over (all: every one,
// receiving while the sends are not delivered; else while few are in flight).
bool DistRun::drain_outbox(bool all) {
  bool any = false;
  for (;;) {
    if (!all && comm_.in_flight_bytes() > kMaxInFlight) break;
    std::pair<unsigned, std::vector<uint8_t>> item;
    {
      std::lock_guard lock(mu_);
      if (outbox_.empty()) break;
      item = std::move(outbox_.front());
      outbox_.pop_front();
    }
    outbox_bytes_.fetch_sub(item.second.size());
    any = true;
    if (all)
      send_now(item.first, std::move(item.second));
    else
      comm_.send(item.first, std::move(item.second));
  }
  return any;
}

// The walk up the parent links, one broadcast per step from the owner of
// the current state (every rank takes part: they all reach here together).
std::vector<uint64_t> DistRun::path_to(uint64_t fp, uint32_t depth) {
  std::vector<uint64_t> path{fp};
  for (uint64_t cur = fp; cur != root_fp_ && path.size() <= size_t(depth) + 1;) {
    const unsigned o = owner(cur);
    uint64_t parent = 0;
    if (o == comm_.rank()) {
      const uint32_t slot = set_.find(cur);
      parent = slot == FingerprintSet::kNotFound ? root_fp_ : parent_fp_[slot];
    }
    cur = comm_.broadcast(parent, o);
    path.push_back(cur);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

// As trace.h's replay_path, with the path given by fingerprints.
bool DistRun::replay(const std::vector<uint64_t>& path, Trace& out) {
  out.start = start_;
  out.steps.clear();
  World cur = start_;
  std::vector<Call> calls;
  std::vector<uint8_t> packed;
  Canonicalizer canon(classes_);
  for (size_t i = 1; i < path.size(); ++i) {
    calls.clear();
    enumerate_calls(cur, bounds_, calls);
    bool found = false;
    for (const Call& c : calls) {
      TraceStep step{c, {}, {}, cur};
      step.outcome = apply(step.after, c, &step.changes, rules_);
      canon.canonical(step.after, packed);
      if (norm(fingerprint(packed)) != path[i]) continue;
      cur = step.after;
      out.steps.push_back(std::move(step));
      found = true;
      break;
    }
    if (!found) return false;
  }
  return path.empty() || path.front() == root_fp_;
}

// Every rank calls it for the same findings in the same order; rank 0
// replays the traces.
void DistRun::report(const DFound& f, uint32_t depth) {
  const Property& p = *opt_.properties[f.prop];
  reported_.push_back({f.prop, f.transition, f.fp, depth, f.detail});
  const std::vector<uint64_t> path = path_to(f.fp, depth);
  const bool rank0 = comm_.rank() == 0;
  if (p.kind == PropertyKind::Sometimes) {
    SometimesReport& s = *std::find_if(result_.sometimes.begin(), result_.sometimes.end(),
                                       [&](const SometimesReport& r) { return r.property == p.name; });
    s.reached = true;
    s.depth = depth;
    if (rank0) replay(path, s.trace);
    return;
  }
  ViolationReport v;
  v.property = std::string(p.name);
  v.kind = p.kind;
  v.detail = f.detail;
  if (!rank0) {
    result_.violations.push_back(std::move(v));
    return;
  }
  v.trace_ok = replay(path, v.trace);
  if (v.trace_ok) tell_in_trace_words(p, f.transition, bounds_, rules_, names_, v);
  result_.violations.push_back(std::move(v));
}

// The level's findings: each rank's least per property, gathered on every
// rank; then reported as the single process does (the least first; without
// --keep-going only the first violation; each cover property once).
void DistRun::settle_findings(uint32_t depth) {
  std::vector<const DFound*> least(opt_.properties.size(), nullptr);
  for (const DFound& f : found_)
    if (checked_[f.prop] && (!least[f.prop] || f.key() < least[f.prop]->key())) least[f.prop] = &f;
  std::vector<uint8_t> mine;
  for (const DFound* f : least) {
    if (!f) continue;
    put(mine, f->prop);
    put(mine, uint8_t(f->transition));
    put(mine, f->fp);
    put(mine, f->call_index);
    put(mine, uint32_t(f->detail.size()));
    mine.insert(mine.end(), f->detail.begin(), f->detail.end());
  }
  found_.clear();
  std::vector<DFound> all;
  for (const auto& bytes : comm_.all_gather(mine)) {
    const uint8_t* p = bytes.data();
    const uint8_t* end = p + bytes.size();
    while (p < end) {
      DFound f;
      f.prop = get<uint32_t>(p);
      f.transition = get<uint8_t>(p) != 0;
      f.fp = get<uint64_t>(p);
      f.call_index = get<uint32_t>(p);
      const auto n = get<uint32_t>(p);
      f.detail.assign(reinterpret_cast<const char*>(p), n);
      p += n;
      all.push_back(std::move(f));
    }
  }
  std::sort(all.begin(), all.end(), [](const DFound& a, const DFound& b) {
    return std::tie(a.prop) < std::tie(b.prop) || (a.prop == b.prop && a.key() < b.key());
  });
  // The least per property, then in key order across properties.
  std::vector<DFound> firsts;
  for (auto& f : all)
    if (firsts.empty() || firsts.back().prop != f.prop) firsts.push_back(std::move(f));
  std::sort(firsts.begin(), firsts.end(), [](const DFound& a, const DFound& b) {
    return std::make_tuple(a.key(), a.prop) < std::make_tuple(b.key(), b.prop);
  });
  const bool any_violation_before = !result_.violations.empty();
  for (const DFound& f : firsts) {
    const Property& p = *opt_.properties[f.prop];
    if (!checked_[f.prop]) continue;
    if (p.kind != PropertyKind::Sometimes && !opt_.keep_going && !result_.violations.empty()) continue;
    report(f, depth);
    checked_[f.prop] = 0;
  }
  if (!opt_.keep_going && !any_violation_before && !result_.violations.empty()) stop_ = true;
  select_properties();
}

// Level end, on every rank: the combined figures, the findings, the limits,
// and the next frontier in fingerprint order.
bool DistRun::finish_level() {
  fold();
  uint64_t sums[4] = {level_new_, next_count_, set_.size(), 0};
  comm_.sum(sums);
  uint64_t maxima[1] = {local_limit_.load()};
  comm_.max(maxima);
  global_states_ = sums[2];
  global_frontier_ = sums[1];
  if (sums[0]) result_.depth = depth_ + 1;
  settle_findings(depth_ + 1);
  if (maxima[0] != kNoLimit) {
    limit_ = maxima[0];
    stop_ = true;
  }
  if (!stop_ && opt_.max_states && global_states_ >= opt_.max_states) {
    limit_ = kMaxStates;
    stop_ = true;
  }
  // The next frontier, in fingerprint order. On disk it is merged only when
  // the run goes on; a rank's disk limit or I/O error then stops every rank.
  if (!store_) {
    advance_frontier();
  } else if (!stop_) {
    advance_frontier();
    uint64_t again[1] = {local_limit_.load()};
    comm_.max(again);
    if (again[0] != kNoLimit) {
      limit_ = again[0];
      stop_ = true;
    }
  }
  result_.peak_queue_bytes = std::max<uint64_t>(
      result_.peak_queue_bytes,
      store_ ? store_->buffer_bytes() : frontier_bytes_.capacity() + frontier_.capacity() * sizeof(Entry));
  if (opt_.progress && comm_.rank() == 0) {
    const auto now = Clock::now();
    if (std::chrono::duration<double>(now - last_progress_).count() >= opt_.progress_interval_s) {
      last_progress_ = now;
      const double secs = std::chrono::duration<double>(now - t0_).count();
      opt_.progress(Progress{global_states_, global_frontier_, transitions_ * comm_.size(), depth_ + 1, secs,
                             secs > 0 ? double(global_states_) / secs : 0, util::current_rss_bytes(),
                             opt_.memory_limit});
    }
  }
  return !stop_ && global_frontier_ > 0;
}

ExploreResult DistRun::run() {
  t0_ = last_progress_ = Clock::now();
  result_.threads = threads_;
  result_.symmetry = classes_;
  result_.ranks = comm_.size();
  result_.report_rank = comm_.rank() == 0;
  for (Op op : bounds_.operations) result_.op_in_bounds[size_t(op)] = true;
  for (const Property* p : opt_.properties)
    if (p->kind == PropertyKind::Sometimes) result_.sometimes.push_back({std::string(p->name), false, 0, {}});

  // The start state: stored, checked and queued by its owner (as a state of
  // depth 0 with itself as parent), its findings settled at depth 0.
  canon_.canonical(start_, packed_);
  root_fp_ = norm(fingerprint(packed_));
  last_checkpoint_ = t0_;
  if (opt_.frontier_on_disk) {  // a work directory that cannot be made: exit 2 (MpiComm::abort)
    FrontierDiskOptions d = opt_.frontier_disk;
    d.dir_prefix = "entmc-frontier-rank-" + std::to_string(comm_.rank()) + "-";
    store_ = std::make_unique<FrontierStore>(d, unsigned(workers_.size()));
  }
  if (!opt_.resume_dir.empty()) {
    resume();
  } else if (owner(root_fp_) == comm_.rank()) {
    const auto ins = set_.insert(root_fp_, FingerprintSet::kLevelTag | 0);
    parent_fp_[ins.slot] = root_fp_;
    ++lookups_;
    check_new_state(*main_, start_, nullptr, root_fp_, main_->found);
    if (beyond_caps(start_, bounds_))
      ++main_->constrained;
    else
      queue_next(*main_, root_fp_, packed_);
  }
  if (opt_.resume_dir.empty()) {
    fold();
    level_new_ = 0;
    settle_findings(0);
    advance_frontier();  // a disk failure here stops every rank at the first level's end
    depth_ = 0;
  }
  uint64_t start_sums[1] = {frontier_count()};
  comm_.sum(start_sums);
  global_frontier_ = start_sums[0];
  for (; !stop_ && global_frontier_ > 0; ++depth_) {
    if (opt_.max_depth && depth_ >= opt_.max_depth) {
      limit_ = kMaxDepth;
      break;
    }
    run_level();
    if (!finish_level()) break;
    maybe_checkpoint();
    if (stop_) break;
  }

  result_.seconds = std::chrono::duration<double>(Clock::now() - t0_).count() + prior_seconds_;
  if (limit_ == kDisk)  // the first rank's I/O error, if any (an exceeded --disk has none)
    for (const auto& why : comm_.all_gather(std::vector<uint8_t>(disk_detail_.begin(), disk_detail_.end())))
      if (!why.empty() && result_.limit_detail.empty()) result_.limit_detail.assign(why.begin(), why.end());
  // The combined figures (every rank gets them: the same verdict everywhere).
  constexpr size_t kFixed = 8;
  std::vector<uint64_t> sums(kFixed + 2 * kOpCount);
  sums[0] = set_.size();
  sums[1] = transitions_;
  sums[2] = constrained_;
  sums[3] = lookups_;
  sums[4] = set_.table_bytes() + parent_fp_.capacity() * sizeof(uint64_t);
  sums[5] = comm_.bytes_sent();
  sums[6] = store_ ? store_->raw_bytes_written() : 0;
  sums[7] = store_ ? store_->bytes_written() : 0;
  for (int op = 0; op < kOpCount; ++op) {
    sums[kFixed + 2 * op] = coverage_[op].succeeded;
    sums[kFixed + 2 * op + 1] = coverage_[op].failed;
  }
  comm_.sum(sums);
  uint64_t ors[2] = {grant_statuses_, license_statuses_};
  comm_.bit_or(ors);
  uint64_t peaks[3] = {peak_rss_bytes(), result_.peak_queue_bytes, store_ ? store_->peak_disk_bytes() : 0};
  comm_.max(peaks);
  result_.frontier_on_disk = store_ != nullptr;
  result_.peak_disk_bytes = peaks[2];  // the largest rank's (--disk is per rank)
  result_.frontier_raw_bytes = sums[6];
  result_.frontier_stored_bytes = sums[7];
  result_.states = sums[0];
  result_.transitions = sums[1];
  result_.constrained = sums[2];
  result_.store_bytes = sums[4];
  result_.wire_bytes = sums[5];
  for (int op = 0; op < kOpCount; ++op) result_.coverage[op] = {sums[kFixed + 2 * op], sums[kFixed + 2 * op + 1]};
  result_.grant_statuses = uint32_t(ors[0]);
  result_.license_statuses = uint32_t(ors[1]);
  result_.peak_rss_bytes = peaks[0];
  result_.peak_queue_bytes = peaks[1];
  result_.bytes_per_state = result_.states ? double(result_.store_bytes) / double(result_.states) : 0;
  result_.table_load = double(set_.size()) / double(set_.capacity());
  result_.states_per_second = result_.seconds > 0 ? double(result_.states) / result_.seconds : 0;
  const double n = double(result_.states);
  result_.collision_probability = n * std::max(0.0, double(sums[3]) - n) / std::pow(2.0, 64);
  if (!result_.violations.empty())
    result_.stop = ExploreResult::Stop::Violation;
  else if (limit_ != kNoLimit)
    result_.stop = ExploreResult::Stop::Limit;
  result_.limit = limit_name(limit_);
  return std::move(result_);
}

// At a level's end, on every rank (the decision is collective: any rank's
// timer or signal makes every rank write its part).
void DistRun::maybe_checkpoint() {
  if (opt_.checkpoint_dir.empty()) return;
  const bool requested = opt_.checkpoint_request && opt_.checkpoint_request->load();
  const double since = std::chrono::duration<double>(Clock::now() - last_checkpoint_).count();
  uint64_t want[2] = {since >= opt_.checkpoint_every_s ? 1u : 0u,
                      requested ? uint64_t(util::deferred_signal()) + 1 : 0u};
  comm_.max(want);
  if (!want[0] && !want[1]) return;
  const std::string& dir = opt_.checkpoint_dir;
  const bool rank0 = comm_.rank() == 0;
  uint64_t failed[1] = {0};
  std::string why;
  unsigned number = 0;
  if (rank0) {  // a fresh DIR/ckpt-N.tmp (a kill may have left one)
    try {
      std::filesystem::create_directories(dir);
      number = next_checkpoint_number(dir);
      std::error_code ec;
      std::filesystem::remove_all(dir + "/ckpt-" + std::to_string(number) + ".tmp", ec);
    } catch (const std::exception& e) {
      failed[0] = 1;
      why = e.what();
    }
  }
  number = unsigned(comm_.broadcast(number, 0));
  comm_.max(failed);
  const std::string name = "ckpt-" + std::to_string(number);
  if (!failed[0]) try {
      write_part(dir + "/" + name + ".tmp/" + part_name());
    } catch (const std::exception& e) {
      failed[0] = 1;
      why = e.what();
    }
  comm_.max(failed);
  if (!failed[0] && rank0) try {
      commit_checkpoint(dir, name);
    } catch (const std::exception& e) {
      failed[0] = 1;
      why = e.what();
    }
  failed[0] = comm_.broadcast(failed[0], 0);
  if (failed[0]) {
    if (why.empty()) why = "another rank could not write its part of the checkpoint";
    result_.limit_detail = why;
    limit_ = std::max<uint64_t>(limit_, kCheckpoint);
    stop_ = true;
    return;
  }
  last_checkpoint_ = Clock::now();
  if (rank0) ++result_.checkpoints;
  if (want[1]) {  // a signal on some rank: every rank ends as interrupted by it
    util::request_stop(util::StopReason(want[1] - 1));
    limit_ = std::max<uint64_t>(limit_, kSignal);
    stop_ = true;
  }
}

void DistRun::write_part(const std::string& path) {
  CheckpointMeta m;
  m.identity = identity();
  m.next_depth = depth_ + 1;
  m.result_depth = result_.depth;
  m.transitions = transitions_;
  m.constrained = constrained_;
  m.lookups = lookups_;
  m.coverage = coverage_;
  m.grant_statuses = uint32_t(grant_statuses_);
  m.license_statuses = uint32_t(license_statuses_);
  m.seconds = std::chrono::duration<double>(Clock::now() - t0_).count() + prior_seconds_;
  m.peak_queue_bytes = result_.peak_queue_bytes;
  m.checked = checked_;
  m.reported = reported_;
  m.table_capacity = set_.capacity();
  m.table_size = set_.size();
  m.frontier_states = frontier_count();
  const size_t accounts = start_.accounts.size(), products = start_.products.size();
  write_checkpoint_files(path, m, set_, [&](const FrontierEmit& emit) {
    if (store_) {  // the parent links are fingerprints: the store's numbers are not needed
      store_->for_each_frontier(emit);
      return;
    }
    for (const Entry& e : frontier_) {
      const uint8_t* p = frontier_bytes_.data() + e.offset;
      emit(e.fp, {p, packed_size(p, accounts, products)});
    }
  });
  write_raw_file(path + "/parent_fp", parent_fp_.data(), parent_fp_.size() * sizeof(uint64_t));
}

// Every rank reads its own part of the newest checkpoint; the reports made
// before it are made again (collectively: their traces are rebuilt).
void DistRun::resume() {
  const CheckpointReader ck(opt_.resume_dir, identity(), part_name());
  const CheckpointMeta& m = ck.meta();
  if (m.checked.size() != opt_.properties.size()) throw CheckpointError("the checkpoint has another property set");
  ck.load_table(set_);
  parent_fp_.assign(set_.capacity(), 0);
  read_raw_file(ck.path() + "/parent_fp", parent_fp_.data(), parent_fp_.size() * sizeof(uint64_t));
  transitions_ = m.transitions;
  constrained_ = m.constrained;
  lookups_ = m.lookups;
  coverage_ = m.coverage;
  grant_statuses_ = m.grant_statuses;
  license_statuses_ = m.license_statuses;
  result_.depth = m.result_depth;
  result_.peak_queue_bytes = m.peak_queue_bytes;
  result_.resumed = true;
  prior_seconds_ = m.seconds;
  frontier_.clear();
  frontier_bytes_.clear();
  if (store_)
    store_->adopt([&](const std::function<void(uint64_t, std::span<const uint8_t>)>& add) { ck.read_frontier(add); });
  else
    ck.read_frontier([&](uint64_t fp, std::span<const uint8_t> packed) {
      frontier_.push_back({fp, frontier_bytes_.size()});
      frontier_bytes_.insert(frontier_bytes_.end(), packed.begin(), packed.end());
    });
  checked_ = m.checked;
  select_properties();
  for (const auto& r : m.reported) report(DFound{r.prop, r.transition, r.fp, 0, r.detail}, r.depth);
  depth_ = m.next_depth;
}

}  // namespace

ExploreResult explore_distributed(const World& start, const Names& names, const Bounds& bounds, const Rules& rules,
                                  const ExploreOptions& options) {
  refuse_unsupported(options);
  ExploreResult r;
  {
    DistRun run(start, names, bounds, rules, options);
    try {
      r = run.run();
    } catch (const std::exception& e) {
      // One rank's failure would leave the others waiting in a collective.
      std::fprintf(stderr, "entmc check: error: %s\n", e.what());
      MpiComm().abort(2);
    }
  }  // MPI finalised here
  return r;
}

#endif

}  // namespace entmc::engine
