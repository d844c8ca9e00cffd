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
  };
  std::vector<Reported> reported;
  uint64_t table_capacity = 0, table_size = 0;
  uint64_t frontier_states = 0;
};

// The running binary's identity line: "binary <hash of /proc/self/exe>".
std::string binary_identity();

// Writes a checkpoint into `dir` (created if needed) atomically (see above).
// `frontier` is called with a function that takes each frontier state in order.
using FrontierEmit = std::function<void(uint64_t fp, std::span<const uint8_t> packed)>;
void write_checkpoint(const std::string& dir, const CheckpointMeta& meta, const FingerprintSet& set,
                      const std::function<void(const FrontierEmit&)>& frontier);

// The newest complete checkpoint in `dir`: its metadata, after comparing its
// identity with `identity` (CheckpointError with a clear message on a
// mismatch, a missing or a damaged checkpoint).
class CheckpointReader {
 public:
  CheckpointReader(const std::string& dir, const std::string& identity);
  const CheckpointMeta& meta() const { return meta_; }
  void load_table(FingerprintSet& set) const;
  void read_frontier(const FrontierEmit& each) const;

 private:
  std::string path_;  // DIR/ckpt-N
  CheckpointMeta meta_;
};

}  // namespace entmc::engine
