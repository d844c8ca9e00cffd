// The trace file of `entmc check --links disk`: each state's parent link and
// fingerprint, by state number, on disk rather than in the visited set (as
// TLC's trace file). States are numbered in BFS order: the next frontier's
// states take consecutive numbers at each level's end, so a state's parent
// number is the number of the frontier's first state plus its parent's
// position. A counterexample walks the parent numbers back to the start
// state (one read of 12 bytes a step) and is replayed by fingerprint.
//
// The file is created in the work directory and unlinked at once: it lives
// as long as the run's descriptor, and no crash or kill -9 leaves it behind.
// Appends are buffered (1 MiB); a read of a record still in the buffer is
// served from it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace entmc::engine {

class TraceFile {
 public:
  static constexpr uint32_t kRoot = 0xFFFFFFFFu;  // the start state's parent number

  // Throws std::runtime_error (naming the directory) if the file cannot be made.
  explicit TraceFile(const std::string& work_dir);
  ~TraceFile();
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;

  // Appends the next state's record; returns its number. Throws on a write
  // error (a full disk) and past 2^32 - 1 states.
  uint32_t append(uint32_t parent, uint64_t fp);
  struct Record {
    uint32_t parent;
    uint64_t fp;
  };
  Record read(uint32_t number);  // throws std::out_of_range for a number not appended

  // Checkpoints: every record copied to `path` (synced); and, into an empty
  // trace file, the first `records` records of such a copy (throws
  // std::runtime_error if it is shorter).
  void save(const std::string& path);
  void load(const std::string& path, uint64_t records);

  uint64_t size() const { return flushed_ + pending_.size() / kRecordBytes; }  // records
  uint64_t bytes() const { return size() * kRecordBytes; }
  const std::string& directory() const { return dir_; }

 private:
  static constexpr size_t kRecordBytes = 12;
  static constexpr size_t kBufferBytes = size_t(1) << 20;
  void flush();
  int fd_ = -1;
  std::string dir_;
  uint64_t flushed_ = 0;  // records in the file
  std::vector<uint8_t> pending_;
};

}  // namespace entmc::engine
