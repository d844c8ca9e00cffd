// Compiled only with ENTMC_HAVE_MPI (engine/CMakeLists.txt); the guard keeps
// copies of the engine's sources built without MPI (the fuzz targets) empty here.
#ifdef ENTMC_HAVE_MPI
#include "engine/mpi_comm.h"

#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <stdexcept>

namespace entmc::engine {

namespace {
constexpr int kTag = 21;  // every batch (the explorer's own header says what it is)

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}
}  // namespace

struct MpiComm::Pending {
  std::vector<uint8_t> bytes;
  MPI_Request request = MPI_REQUEST_NULL;
};

MpiComm::MpiComm() {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) {
    int provided = 0;
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    finalize_ = true;
  }
  int r = 0, n = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  rank_ = unsigned(r);
  size_ = unsigned(n);
}

MpiComm::~MpiComm() {
  for (auto& p : pending_) MPI_Wait(&p->request, MPI_STATUS_IGNORE);
  pending_.clear();
  if (finalize_) MPI_Finalize();
}

void MpiComm::send(unsigned dest, std::vector<uint8_t>&& bytes) {
  auto p = std::make_unique<Pending>();
  p->bytes = std::move(bytes);
  sent_ += p->bytes.size();
  pending_bytes_ += p->bytes.size();
  check(MPI_Isend(p->bytes.data(), int(p->bytes.size()), MPI_BYTE, int(dest), kTag, MPI_COMM_WORLD, &p->request),
        "MPI_Isend");
  pending_.push_back(std::move(p));
  reap();
}

void MpiComm::reap() {
  // Sends complete roughly in order: free from the front while done.
  while (!pending_.empty()) {
    int done = 0;
    MPI_Test(&pending_.front()->request, &done, MPI_STATUS_IGNORE);
    if (!done) return;
    pending_bytes_ -= pending_.front()->bytes.size();
    pending_.pop_front();
  }
}

uint64_t MpiComm::in_flight_bytes() {
  reap();
  return pending_bytes_;
}

void MpiComm::wait_sends() {
  for (auto& p : pending_) MPI_Wait(&p->request, MPI_STATUS_IGNORE);
  pending_.clear();
  pending_bytes_ = 0;
}

bool MpiComm::receive(bool block, const std::function<void(unsigned, std::span<const uint8_t>)>& on_batch) {
  bool any = false;
  while (true) {
    MPI_Status st;
    int flag = 0;
    check(MPI_Iprobe(MPI_ANY_SOURCE, kTag, MPI_COMM_WORLD, &flag, &st), "MPI_Iprobe");
    if (!flag && block && !any) {
      // Waiting for a slower rank: poll, then doze (Open MPI's blocking
      // probe spins a core, which on a shared or oversubscribed machine is
      // CPU time taken from the rank being waited for).
      for (unsigned spins = 0; !flag; ++spins) {
        if (spins > 64) std::this_thread::sleep_for(std::chrono::microseconds(50));
        check(MPI_Iprobe(MPI_ANY_SOURCE, kTag, MPI_COMM_WORLD, &flag, &st), "MPI_Iprobe");
      }
    }
    if (!flag) return any;
    int count = 0;
    MPI_Get_count(&st, MPI_BYTE, &count);
    recv_.resize(size_t(count));
    check(MPI_Recv(recv_.data(), count, MPI_BYTE, st.MPI_SOURCE, kTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
    any = true;
    on_batch(unsigned(st.MPI_SOURCE), recv_);
  }
}

void MpiComm::sum(std::span<uint64_t> v) {
  check(MPI_Allreduce(MPI_IN_PLACE, v.data(), int(v.size()), MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD), "MPI_Allreduce");
}
void MpiComm::max(std::span<uint64_t> v) {
  check(MPI_Allreduce(MPI_IN_PLACE, v.data(), int(v.size()), MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD), "MPI_Allreduce");
}
void MpiComm::bit_or(std::span<uint64_t> v) {
  check(MPI_Allreduce(MPI_IN_PLACE, v.data(), int(v.size()), MPI_UINT64_T, MPI_BOR, MPI_COMM_WORLD), "MPI_Allreduce");
}

uint64_t MpiComm::broadcast(uint64_t value, unsigned root) {
  check(MPI_Bcast(&value, 1, MPI_UINT64_T, int(root), MPI_COMM_WORLD), "MPI_Bcast");
  return value;
}

std::vector<std::vector<uint8_t>> MpiComm::all_gather(const std::vector<uint8_t>& mine) {
  std::vector<int> counts(size_), displs(size_);
  int n = int(mine.size());
  check(MPI_Allgather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
  int total = 0;
  for (unsigned r = 0; r < size_; ++r) {
    displs[r] = total;
    total += counts[r];
  }
  std::vector<uint8_t> all(size_t(total) + 1);
  check(MPI_Allgatherv(mine.data(), n, MPI_BYTE, all.data(), counts.data(), displs.data(), MPI_BYTE, MPI_COMM_WORLD),
        "MPI_Allgatherv");
  std::vector<std::vector<uint8_t>> out(size_);
  for (unsigned r = 0; r < size_; ++r) out[r].assign(all.begin() + displs[r], all.begin() + displs[r] + counts[r]);
  return out;
}

void MpiComm::abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::abort();
}

}  // namespace entmc::engine

#endif  // ENTMC_HAVE_MPI
