// The little of MPI the distributed explorer uses (distributed_explorer.h),
// behind one class so that the algorithm reads without MPI's C API and the
// transport can be replaced. Built only with ENTMC_MPI (Open MPI's C API;
// Boost.MPI would add nothing the explorer needs).
//
// Point to point: batches of bytes sent with MPI_Isend (their buffers kept
// until complete) and received with MPI_Iprobe / MPI_Probe + MPI_Recv, all on
// one tag, so the messages from one rank to another arrive in the order sent
// (MPI's non-overtaking rule): a level's end marker is the last batch a rank
// sends to each other rank in that level. Collectives: sums, maxima and
// bitwise ors of u64 arrays, a broadcast of one u64, and an all-gather of
// byte strings.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace entmc::engine {

class MpiComm {
 public:
  // MPI_Init_thread (funneled: only the thread that calls the explorer calls
  // MPI) unless MPI is already initialised; the destructor finalises what it
  // initialised.
  MpiComm();
  ~MpiComm();
  MpiComm(const MpiComm&) = delete;
  MpiComm& operator=(const MpiComm&) = delete;

  unsigned rank() const { return rank_; }
  unsigned size() const { return size_; }

  // Sends `bytes` to `dest` (taken over; the buffer lives until the send completes).
  void send(unsigned dest, std::vector<uint8_t>&& bytes);
  // Receives every batch that has arrived (block: at least one), calling
  // on_batch(source, bytes) for each. Returns whether one was received.
  bool receive(bool block, const std::function<void(unsigned, std::span<const uint8_t>)>& on_batch);
  // Bytes handed to send() and not yet known to be delivered.
  uint64_t in_flight_bytes();
  void wait_sends();
  uint64_t bytes_sent() const { return sent_; }

  void sum(std::span<uint64_t> values);
  void max(std::span<uint64_t> values);
  void bit_or(std::span<uint64_t> values);
  uint64_t broadcast(uint64_t value, unsigned root);
  // Every rank's `mine`, in rank order, on every rank.
  std::vector<std::vector<uint8_t>> all_gather(const std::vector<uint8_t>& mine);
  // Ends every rank at once (an error on one rank: the others would wait forever).
  [[noreturn]] void abort(int code);

 private:
  struct Pending;
  void reap();  // frees the buffers of completed sends
  unsigned rank_ = 0, size_ = 1;
  bool finalize_ = false;
  std::deque<std::unique_ptr<Pending>> pending_;
  uint64_t pending_bytes_ = 0, sent_ = 0;
  std::vector<uint8_t> recv_;
};

}  // namespace entmc::engine
