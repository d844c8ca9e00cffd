// Checkpoint and resume (`entmc check --checkpoint DIR`, `--resume DIR`).
//
// A checkpoint is taken at a level boundary, where nothing is in flight: the
// visited set (fingerprints and parent links, the raw arrays), the next
// level's frontier (fingerprint and packed state per position, in frontier
// order), and the run's counters, property flags and the reports made so far
// (each as the fingerprint of its state, so its trace is rebuilt from the
// restored parent links on resume). It is written to DIR/ckpt-N.tmp, each file
// synced, renamed to DIR/ckpt-N, and then DIR/CURRENT (the name of the
// newest complete checkpoint) is replaced by a rename: a kill at any moment
// leaves the previous checkpoint or the new one, never a partial one. Older
// checkpoints are removed after CURRENT moves.
//
// With the frontier on disk the file `numbers` holds the fingerprint of each
// state number below the next frontier (the parent links are numbers: see
// frontier_store.h), 8 bytes each. With the links on disk (explorer.h) the
// files `keys` (the closed levels' table) and `trace` (the trace file's
// records) are written too, and each report is kept as the state number its
// trace goes through.
//
// A checkpoint carries its run's identity: the scenario file's hash (model,
// start steps and bounds), the options that change what a run computes
// (symmetry, exact, properties, keep-going, frontier, change-log
// verification; not threads or limits) and a hash of the entmc binary.
// Resuming with any of them different is refused with a message saying which.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/explorer.h"
#include "engine/fingerprint_set.h"

namespace entmc::engine {

class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CheckpointMeta {
  std::string identity;      // "key value" lines (run_identity + the binary)
  uint32_t next_depth = 0;   // the level the resumed run expands first
  uint32_t result_depth = 0;
  uint64_t transitions = 0, constrained = 0, lookups = 0;
  std::array<OpCoverage, kOpCount> coverage{};
  uint32_t grant_statuses = 0, license_statuses = 0;
  double seconds = 0;  // run time before the checkpoint
  uint64_t peak_queue_bytes = 0;
  std::vector<uint8_t> checked;  // per property: still checked
  struct Reported {
    uint32_t prop;
    bool transition;  // the fingerprint is the source state's (Transition) or the state's
    uint64_t fp;
    uint32_t depth;
    std::string detail;
    uint32_t number = 0;  // links on disk: the state number its trace goes through (Run::LinksTarget)
  };
  std::vector<Reported> reported;
  uint64_t table_capacity = 0, table_size = 0;
  uint64_t frontier_states = 0;
  // Links on disk (explorer.h): the closed levels' table (file `keys`: its
  // slots, spare ones and the sentinel included), the trace file's records
  // (file `trace`), and the state number of the frontier's first state.
  bool links_on_disk = false;
  uint64_t keys_capacity = 0, keys_spare = 0, keys_size = 0, trace_records = 0;
  uint32_t frontier_base = 0;
};

// The running binary's identity line: "binary <hash of /proc/self/exe>".
std::string binary_identity();

// Writes a checkpoint into `dir` (created if needed) atomically (see above).
// `frontier` is called with a function that takes each frontier state in order.
using FrontierEmit = std::function<void(uint64_t fp, std::span<const uint8_t> packed)>;
// `store` (the disk frontier, or null): its state numbers' fingerprints are
// saved too (the parent links are numbers then), as the file `numbers`.
// `extra`, if given, writes more files into the checkpoint's (temporary)
// directory before it is committed (links on disk: the keys and the trace).
class FrontierStore;
using ExtraFiles = std::function<void(const std::string& dir)>;
void write_checkpoint(const std::string& dir, const CheckpointMeta& meta, const FingerprintSet& set,
                      const std::function<void(const FrontierEmit&)>& frontier, const FrontierStore* store = nullptr,
                      const ExtraFiles& extra = {});

// The two halves of write_checkpoint, for a checkpoint written by several
// processes (the MPI ranks: each writes its part's files into DIR/ckpt-N.tmp/
// rank-R, then rank 0 commits once every rank has): the files of one part
// (`path` created, each file synced), and the commit (DIR/name.tmp renamed
// to DIR/name, CURRENT replaced, the older checkpoints removed).
void write_checkpoint_files(const std::string& path, const CheckpointMeta& meta, const FingerprintSet& set,
                            const std::function<void(const FrontierEmit&)>& frontier,
                            const FrontierStore* store = nullptr, const ExtraFiles& extra = {});
void commit_checkpoint(const std::string& dir, const std::string& name);
unsigned next_checkpoint_number(const std::string& dir);  // one more than CURRENT's (1 without one)
// A raw array in its own file (synced), and read back (exactly `bytes`).
void write_raw_file(const std::string& path, const void* data, size_t bytes);
void read_raw_file(const std::string& path, void* data, size_t bytes);

// The newest complete checkpoint in `dir`: its metadata, after comparing its
// identity with `identity` (CheckpointError with a clear message on a
// mismatch, a missing or a damaged checkpoint).
class CheckpointReader {
 public:
  // `part`: a subdirectory of the checkpoint (an MPI rank's, "rank-R").
  CheckpointReader(const std::string& dir, const std::string& identity, const std::string& part = "");
  const CheckpointMeta& meta() const { return meta_; }
  const std::string& path() const { return path_; }
  unsigned number() const { return number_; }  // N of ckpt-N
  void load_table(FingerprintSet& set) const;
  void read_frontier(const FrontierEmit& each) const;
  void load_numbers(FrontierStore& store) const;  // before the frontier is adopted

 private:
  std::string path_;  // DIR/ckpt-N (/part)
  CheckpointMeta meta_;
  unsigned number_ = 0;
};

}  // namespace entmc::engine
