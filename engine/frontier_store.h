// The BFS frontier on disk (`entmc check --frontier disk`): the states of a
// level live in files, not in RAM, so a run's resident memory is the visited
// set plus bounded buffers (the queue was 9.6 GB of 14.8 at 165 M states of
// scenarios/models/large.yaml).
//
// During a level each worker appends its new states to a buffer of at most
// `run_bytes`; a full buffer is sorted by fingerprint and written as a run
// file. At the level's end the runs are merged (a k-way merge, reading one
// block of each run at a time) into the next frontier's file, in fingerprint
// order: an order that does not depend on which thread found a state, so the
// parent links, traces and the reported counterexample do not depend on the
// thread count (the in-RAM frontier orders by first parent, then fingerprint:
// the two orders give counterexamples of the same length, not always the same
// one). Workers then claim the frontier's blocks one at a time.
//
// Files are sequences of blocks (block = u32 raw bytes, u32 stored bytes,
// u32 records, then the payload, zstd-compressed when the level is not 0 and
// compressing made it smaller); a record is u64 fingerprint, u32 length, the
// packed state (state_codec.h). Every file lives in a private directory made
// under the work directory and removed with its files when the store is
// destroyed. A disk limit (like --memory) counts the bytes of the live files.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace entmc::engine {

struct FrontierDiskOptions {
  std::string work_dir;        // empty: the system temp directory
  std::string dir_prefix = "entmc-frontier-";  // of the private directory (an MPI rank's: entmc-frontier-rank-R-)
  uint64_t disk_limit = 0;     // bytes (0 = none)
  int zstd_level = 1;          // 0 = store blocks raw
  size_t run_bytes = 16 << 20;  // a worker's buffer of new states before it spills a sorted run
  size_t block_bytes = 128 << 10;
};

// Live bytes in the store's files, and their peak; shared by every writer.
struct DiskUse {
  std::atomic<uint64_t> bytes{0}, peak{0};
  std::atomic<uint64_t> raw_written{0}, stored_written{0};  // all blocks ever written: the compression ratio
  uint64_t limit = 0;
  void add(uint64_t n);
  void sub(uint64_t n) { bytes.fetch_sub(n, std::memory_order_relaxed); }
  bool over() const { return limit && bytes.load(std::memory_order_relaxed) > limit; }
};

struct BlockInfo {
  uint64_t offset;   // of the block's header in the file
  uint32_t records;  // in the block
  uint64_t first;    // index of its first record in the file
};

// Appends records to a block file. Not thread-safe (one per worker or merge).
class BlockWriter {
 public:
  BlockWriter(std::string path, int zstd_level, size_t block_bytes, DiskUse& use);
  ~BlockWriter();
  BlockWriter(const BlockWriter&) = delete;
  BlockWriter& operator=(const BlockWriter&) = delete;
  void append(uint64_t fp, std::span<const uint8_t> packed);
  void finish();  // writes the last block and closes the file
  const std::vector<BlockInfo>& blocks() const { return blocks_; }
  uint64_t records() const { return records_; }
  uint64_t file_bytes() const { return offset_; }
  const std::string& path() const { return path_; }

 private:
  void flush();
  std::string path_;
  int fd_ = -1;
  int level_;
  size_t block_bytes_;
  DiskUse& use_;
  std::vector<uint8_t> raw_, stored_;
  uint32_t in_block_ = 0;
  uint64_t records_ = 0, offset_ = 0;
  std::vector<BlockInfo> blocks_;
};

// One block read back and decompressed; its records walked in order.
struct BlockCursor {
  std::vector<uint8_t> raw, stored;
  size_t at = 0;
  uint32_t left = 0;  // records not yet taken
  uint64_t index = 0;  // file-wide index of the next record
  // Reads the block at `offset` of the open file `fd`.
  void load(int fd, uint64_t offset, uint64_t first_index);
  bool next(uint64_t& fp, const uint8_t*& packed, uint32_t& len);
};

// Reads a block file from start to end, record by record.
void read_block_file(const std::string& path, const std::function<void(uint64_t fp, std::span<const uint8_t>)>& each);

class FrontierStore {
 public:
  FrontierStore(const FrontierDiskOptions& opt, unsigned workers);
  ~FrontierStore();  // removes every file and the directory
  FrontierStore(const FrontierStore&) = delete;
  FrontierStore& operator=(const FrontierStore&) = delete;

  const std::string& dir() const { return dir_; }

  // --- the current frontier (read by the workers, thread-safe) ---
  uint64_t size() const { return size_; }
  uint64_t taken() const;  // positions handed out so far (progress)
  // A worker's place in the frontier: the block it claimed, read into memory.
  struct Cursor {
    BlockCursor block;
  };
  // The next state of the frontier for this cursor (claiming a new block when
  // its block is used up): its position, fingerprint and packed bytes, valid
  // until the next call. False when every block has been claimed.
  bool next(Cursor& c, uint32_t& pos, uint64_t& fp, std::span<const uint8_t>& packed);
  bool all_claimed() const { return next_block_.load(std::memory_order_relaxed) >= blocks_.size(); }

  // --- the next frontier (written by the workers, one buffer each) ---
  void add(unsigned worker, uint64_t fp, std::span<const uint8_t> packed);
  // Ends the level: spills the workers' buffers, merges every run into the
  // next frontier's file (fingerprint order), removes the runs and the old
  // frontier's file. Single-threaded; the workers are idle.
  void advance();

  // Checkpoints: the current frontier's records in order, and a frontier
  // set from records given in order (`produce` calls `add` once per state).
  void for_each_frontier(const std::function<void(uint64_t fp, std::span<const uint8_t>)>& each) const;
  void adopt(const std::function<void(const std::function<void(uint64_t, std::span<const uint8_t>)>& add)>& produce);

  // State numbers: every state that has been in a frontier has a number, its
  // place in the concatenation of the frontiers so far (level 0's start state
  // is 0); the current frontier holds base() .. base() + size() - 1. A
  // numbers file keeps each number's fingerprint (8 bytes per expanded state,
  // on disk), so the visited set's parent links can be numbers, which do not
  // move when the table grows (the explorer's disk mode), and a trace step
  // is a read of 8 bytes here and a lookup. Thread-safe reads.
  uint64_t base() const { return base_; }
  uint64_t numbered() const { return numbers_; }  // base() + size()
  uint64_t fingerprint_of(uint64_t number) const;
  // Checkpoints: the numbers below base() copied to `path` (synced), and a
  // fresh store's numbers set from such a file (before adopt()).
  void save_numbers(const std::string& path) const;
  void load_numbers(const std::string& path);

  bool over_limit() const { return use_.over(); }
  uint64_t disk_bytes() const { return use_.bytes.load(); }
  uint64_t peak_disk_bytes() const { return use_.peak.load(); }
  uint64_t buffer_bytes() const;  // RAM held by the store's buffers
  uint64_t bytes_written() const { return use_.stored_written.load(); }
  uint64_t raw_bytes_written() const { return use_.raw_written.load(); }

 private:
  struct Run {
    std::string path;
    uint64_t bytes;
  };
  struct WorkerBuffer {
    std::vector<uint8_t> bytes;  // records: u64 fp, u32 length, packed
    std::vector<std::pair<uint64_t, uint32_t>> index;  // (fp, offset in bytes)
    std::vector<Run> runs;
    unsigned spilled = 0;
  };
  void spill(unsigned worker);
  void install(BlockWriter& out);  // makes out's (finished) file the current frontier
  void append_numbers(const std::vector<uint64_t>& fps);
  std::string file(const std::string& name) const { return dir_ + "/" + name; }

  FrontierDiskOptions opt_;
  std::string dir_;
  DiskUse use_;
  std::vector<std::unique_ptr<WorkerBuffer>> buffers_;
  // The current frontier's file.
  int fd_ = -1;
  std::string frontier_path_;
  uint64_t frontier_file_bytes_ = 0;
  std::vector<BlockInfo> blocks_;
  uint64_t size_ = 0;
  std::atomic<size_t> next_block_{0};
  unsigned level_ = 0;
  int numbers_fd_ = -1;
  uint64_t numbers_ = 0, base_ = 0;
};

}  // namespace entmc::engine
