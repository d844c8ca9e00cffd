#include "engine/frontier_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <queue>
#include <stdexcept>

namespace entmc::engine {
namespace {

constexpr size_t kHeader = 12;  // u32 raw bytes, u32 stored bytes, u32 records
constexpr size_t kRecordHeader = 12;  // u64 fingerprint, u32 length
constexpr size_t kNumbersChunk = size_t(1) << 16;  // fingerprints appended to the numbers file at a time

void put32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); }
uint32_t get32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

[[noreturn]] void io_error(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

void write_all(int fd, const uint8_t* p, size_t n, const std::string& path) {
  while (n) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) io_error("cannot write", path);
    p += w;
    n -= size_t(w);
  }
}

void read_all(int fd, uint8_t* p, size_t n, uint64_t offset) {
  while (n) {
    const ssize_t r = ::pread(fd, p, n, off_t(offset));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) throw std::runtime_error(std::string("cannot read the frontier: ") + std::strerror(errno));
    p += r;
    n -= size_t(r);
    offset += uint64_t(r);
  }
}

struct DCtxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

ZSTD_DCtx* thread_dctx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> ctx(ZSTD_createDCtx());
  return ctx.get();
}


}  // namespace

void DiskUse::add(uint64_t n) {
  const uint64_t now = bytes.fetch_add(n, std::memory_order_relaxed) + n;
  uint64_t p = peak.load(std::memory_order_relaxed);
  while (now > p && !peak.compare_exchange_weak(p, now, std::memory_order_relaxed)) {
  }
}

BlockWriter::BlockWriter(std::string path, int zstd_level, size_t block_bytes, DiskUse& use)
    : path_(std::move(path)), level_(zstd_level), block_bytes_(block_bytes), use_(use) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) io_error("cannot create", path_);
  raw_.reserve(block_bytes_ + 4096);
}

BlockWriter::~BlockWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void BlockWriter::append(uint64_t fp, std::span<const uint8_t> packed) {
  const size_t at = raw_.size();
  raw_.resize(at + kRecordHeader + packed.size());
  std::memcpy(raw_.data() + at, &fp, 8);
  put32(raw_.data() + at + 8, uint32_t(packed.size()));
  std::memcpy(raw_.data() + at + kRecordHeader, packed.data(), packed.size());
  ++in_block_;
  if (raw_.size() >= block_bytes_) flush();
}

void BlockWriter::flush() {
  if (in_block_ == 0) return;
  uint8_t header[kHeader];
  const uint8_t* payload = raw_.data();
  size_t stored = raw_.size();
  if (level_ > 0) {
    // One context per writer; a level-1 block of packed states is ~4x smaller.
    thread_local std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cctx(ZSTD_createCCtx(), &ZSTD_freeCCtx);
    stored_.resize(ZSTD_compressBound(raw_.size()));
    const size_t n = ZSTD_compressCCtx(cctx.get(), stored_.data(), stored_.size(), raw_.data(), raw_.size(), level_);
    if (!ZSTD_isError(n) && n < raw_.size()) {
      payload = stored_.data();
      stored = n;
    }
  }
  put32(header, uint32_t(raw_.size()));
  put32(header + 4, uint32_t(stored));
  put32(header + 8, in_block_);
  blocks_.push_back({offset_, in_block_, records_});
  write_all(fd_, header, kHeader, path_);
  write_all(fd_, payload, stored, path_);
  offset_ += kHeader + stored;
  use_.add(kHeader + stored);
  use_.raw_written.fetch_add(kHeader + raw_.size(), std::memory_order_relaxed);
  use_.stored_written.fetch_add(kHeader + stored, std::memory_order_relaxed);
  records_ += in_block_;
  in_block_ = 0;
  raw_.clear();
}

void BlockWriter::finish() {
  flush();
  if (fd_ >= 0 && ::close(fd_) != 0) io_error("cannot write", path_);
  fd_ = -1;
}

void BlockCursor::load(int fd, uint64_t offset, uint64_t first_index) {
  uint8_t header[kHeader];
  read_all(fd, header, kHeader, offset);
  const uint32_t raw_size = get32(header), stored_size = get32(header + 4);
  left = get32(header + 8);
  index = first_index;
  at = 0;
  raw.resize(raw_size);
  if (stored_size == raw_size) {
    read_all(fd, raw.data(), raw_size, offset + kHeader);
    return;
  }
  stored.resize(stored_size);
  read_all(fd, stored.data(), stored_size, offset + kHeader);
  const size_t n = ZSTD_decompressDCtx(thread_dctx(), raw.data(), raw.size(), stored.data(), stored.size());
  if (ZSTD_isError(n) || n != raw_size) throw std::runtime_error("the frontier's file is corrupt");
}

bool BlockCursor::next(uint64_t& fp, const uint8_t*& packed, uint32_t& len) {
  if (left == 0) return false;
  std::memcpy(&fp, raw.data() + at, 8);
  len = get32(raw.data() + at + 8);
  packed = raw.data() + at + kRecordHeader;
  at += kRecordHeader + len;
  --left;
  ++index;
  return true;
}

FrontierStore::FrontierStore(const FrontierDiskOptions& opt, unsigned workers) : opt_(opt) {
  use_.limit = opt.disk_limit;
  std::string base = opt.work_dir.empty() ? std::filesystem::temp_directory_path().string() : opt.work_dir;
  std::error_code ec;
  std::filesystem::create_directories(base, ec);
  std::string templ = base + "/" + opt.dir_prefix + "XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) io_error("cannot create a work directory in", base);
  dir_ = buf.data();
  for (unsigned w = 0; w < workers; ++w) buffers_.push_back(std::make_unique<WorkerBuffer>());
  numbers_fd_ = ::open(file("numbers").c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (numbers_fd_ < 0) io_error("cannot create", file("numbers"));
}

FrontierStore::~FrontierStore() {
  if (fd_ >= 0) ::close(fd_);
  if (numbers_fd_ >= 0) ::close(numbers_fd_);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

uint64_t FrontierStore::taken() const {
  const size_t b = std::min(next_block_.load(std::memory_order_relaxed), blocks_.size());
  return b == blocks_.size() ? size_ : blocks_[b].first;
}

bool FrontierStore::next(Cursor& c, uint32_t& pos, uint64_t& fp, std::span<const uint8_t>& packed) {
  uint32_t len = 0;
  const uint8_t* p = nullptr;
  while (c.block.left == 0) {
    const size_t b = next_block_.fetch_add(1, std::memory_order_relaxed);
    if (b >= blocks_.size()) return false;
    c.block.load(fd_, blocks_[b].offset, blocks_[b].first);
  }
  pos = uint32_t(c.block.index);
  if (!c.block.next(fp, p, len)) return false;
  packed = {p, len};
  return true;
}

void FrontierStore::add(unsigned worker, uint64_t fp, std::span<const uint8_t> packed) {
  WorkerBuffer& b = *buffers_[worker];
  const size_t at = b.bytes.size();
  b.bytes.resize(at + kRecordHeader + packed.size());
  std::memcpy(b.bytes.data() + at, &fp, 8);
  put32(b.bytes.data() + at + 8, uint32_t(packed.size()));
  std::memcpy(b.bytes.data() + at + kRecordHeader, packed.data(), packed.size());
  b.index.push_back({fp, uint32_t(at)});
  if (b.bytes.size() >= opt_.run_bytes) spill(worker);
}

void FrontierStore::spill(unsigned worker) {
  WorkerBuffer& b = *buffers_[worker];
  if (b.index.empty()) return;
  std::sort(b.index.begin(), b.index.end());
  BlockWriter out(file("run-" + std::to_string(level_) + "-" + std::to_string(worker) + "-" +
                       std::to_string(b.spilled++)),
                  opt_.zstd_level, opt_.block_bytes, use_);
  for (const auto& [fp, at] : b.index)
    out.append(fp, {b.bytes.data() + at + kRecordHeader, get32(b.bytes.data() + at + 8)});
  out.finish();
  b.runs.push_back({out.path(), out.file_bytes()});
  b.bytes.clear();
  b.index.clear();
}

uint64_t FrontierStore::buffer_bytes() const {
  uint64_t n = 0;
  for (const auto& b : buffers_) n += b->bytes.capacity() + b->index.capacity() * sizeof(b->index[0]);
  return n + blocks_.capacity() * sizeof(BlockInfo);
}

void FrontierStore::advance() {
  std::vector<Run> runs;
  for (unsigned w = 0; w < buffers_.size(); ++w) {
    spill(w);
    for (Run& r : buffers_[w]->runs) runs.push_back(std::move(r));
    buffers_[w]->runs.clear();
    buffers_[w]->spilled = 0;
  }
  // The k-way merge: one block of each run in memory at a time.
  struct Reader {
    int fd = -1;
    uint64_t offset = 0, size = 0;
    BlockCursor block;
    uint64_t fp = 0;
    const uint8_t* packed = nullptr;
    uint32_t len = 0;
    bool step() {
      while (!block.next(fp, packed, len)) {
        if (offset >= size) return false;
        uint8_t header[kHeader];
        read_all(fd, header, kHeader, offset);
        block.load(fd, offset, 0);
        offset += kHeader + get32(header + 4);
      }
      return true;
    }
  };
  ++level_;
  BlockWriter out(file("frontier-" + std::to_string(level_)), opt_.zstd_level, opt_.block_bytes, use_);
  std::vector<uint64_t> numbers;  // the new frontier's fingerprints, in order: the numbers file
  numbers.reserve(kNumbersChunk);
  std::vector<Reader> readers(runs.size());
  auto later = [&](size_t a, size_t b) { return readers[a].fp > readers[b].fp; };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> heap(later);
  for (size_t i = 0; i < runs.size(); ++i) {
    readers[i].fd = ::open(runs[i].path.c_str(), O_RDONLY | O_CLOEXEC);
    if (readers[i].fd < 0) io_error("cannot open", runs[i].path);
    readers[i].size = runs[i].bytes;
    if (readers[i].step()) heap.push(i);
  }
  while (!heap.empty()) {
    const size_t i = heap.top();
    heap.pop();
    Reader& r = readers[i];
    out.append(r.fp, {r.packed, r.len});
    numbers.push_back(r.fp);
    if (numbers.size() == kNumbersChunk) {
      append_numbers(numbers);
      numbers.clear();
    }
    if (r.step()) heap.push(i);
  }
  append_numbers(numbers);
  out.finish();
  for (size_t i = 0; i < runs.size(); ++i) {
    ::close(readers[i].fd);
    ::unlink(runs[i].path.c_str());
    use_.sub(runs[i].bytes);
  }
  install(out);
}

void FrontierStore::append_numbers(const std::vector<uint64_t>& fps) {
  if (fps.empty()) return;
  // Links are numbers + 1 in 31 bits (FingerprintSet::kRoot is 2^31 - 1).
  if (numbers_ + fps.size() >= (uint64_t(1) << 31) - 2)
    throw std::runtime_error("more than 2^31 - 3 states expanded: the disk frontier numbers them in 31 bits");
  const auto* p = reinterpret_cast<const uint8_t*>(fps.data());
  for (size_t n = fps.size() * 8, off = 0; off < n;) {
    const ssize_t w = ::pwrite(numbers_fd_, p + off, n - off, off_t(numbers_ * 8 + off));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) io_error("cannot write", file("numbers"));
    off += size_t(w);
  }
  numbers_ += fps.size();
  use_.add(fps.size() * 8);
}

uint64_t FrontierStore::fingerprint_of(uint64_t number) const {
  uint64_t fp = 0;
  read_all(numbers_fd_, reinterpret_cast<uint8_t*>(&fp), 8, number * 8);
  return fp;
}

void FrontierStore::save_numbers(const std::string& path) const {
  const int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) io_error("cannot create", path);
  std::vector<uint8_t> buf(1 << 20);
  for (uint64_t off = 0, end = base_ * 8; off < end;) {
    const size_t n = size_t(std::min<uint64_t>(buf.size(), end - off));
    read_all(numbers_fd_, buf.data(), n, off);
    write_all(out, buf.data(), n, path);
    off += n;
  }
  if (::fsync(out) != 0 || ::close(out) != 0) io_error("cannot write", path);
}

void FrontierStore::load_numbers(const std::string& path) {
  const int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) io_error("cannot open", path);
  struct stat st {};
  ::fstat(in, &st);
  std::vector<uint64_t> chunk;
  for (uint64_t off = 0, end = uint64_t(st.st_size) / 8 * 8; off < end;) {
    chunk.resize(size_t(std::min<uint64_t>(kNumbersChunk, (end - off) / 8)));
    read_all(in, reinterpret_cast<uint8_t*>(chunk.data()), chunk.size() * 8, off);
    append_numbers(chunk);
    off += chunk.size() * 8;
  }
  ::close(in);
  base_ = numbers_;
}

void FrontierStore::install(BlockWriter& out) {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(frontier_path_.c_str());
    use_.sub(frontier_file_bytes_);
  }
  frontier_path_ = out.path();
  frontier_file_bytes_ = out.file_bytes();
  fd_ = ::open(frontier_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) io_error("cannot open", frontier_path_);
  blocks_ = out.blocks();
  size_ = out.records();
  base_ = numbers_ - size_;
  next_block_ = 0;
}

void FrontierStore::for_each_frontier(const std::function<void(uint64_t, std::span<const uint8_t>)>& each) const {
  if (fd_ >= 0) read_block_file(frontier_path_, each);
}

void FrontierStore::adopt(
    const std::function<void(const std::function<void(uint64_t, std::span<const uint8_t>)>&)>& produce) {
  ++level_;
  BlockWriter out(file("frontier-" + std::to_string(level_)), opt_.zstd_level, opt_.block_bytes, use_);
  std::vector<uint64_t> numbers;
  produce([&](uint64_t fp, std::span<const uint8_t> packed) {
    out.append(fp, packed);
    numbers.push_back(fp);
    if (numbers.size() == kNumbersChunk) {
      append_numbers(numbers);
      numbers.clear();
    }
  });
  append_numbers(numbers);
  out.finish();
  install(out);
}

void read_block_file(const std::string& path, const std::function<void(uint64_t, std::span<const uint8_t>)>& each) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) io_error("cannot open", path);
  struct stat st {};
  ::fstat(fd, &st);
  BlockCursor block;
  uint64_t offset = 0, fp = 0;
  const uint8_t* packed = nullptr;
  uint32_t len = 0;
  try {
    while (offset < uint64_t(st.st_size)) {
      uint8_t header[kHeader];
      read_all(fd, header, kHeader, offset);
      block.load(fd, offset, 0);
      offset += kHeader + get32(header + 4);
      while (block.next(fp, packed, len)) each(fp, {packed, len});
    }
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

}  // namespace entmc::engine
