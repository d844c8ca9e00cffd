#include "engine/trace_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace entmc::engine {
namespace {
[[noreturn]] void io_error(const std::string& what, const std::string& where) {
  throw std::runtime_error(what + " " + where + ": " + std::strerror(errno));
}

// All of n bytes at `at`, retried on EINTR and short counts; false on an
// error or (reading) the end of the file.
bool pwrite_all(int fd, const uint8_t* p, size_t n, uint64_t at) {
  while (n) {
    const ssize_t w = ::pwrite(fd, p, n, off_t(at));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= size_t(w);
    at += uint64_t(w);
  }
  return true;
}
bool pread_all(int fd, uint8_t* p, size_t n, uint64_t at) {
  while (n) {
    const ssize_t r = ::pread(fd, p, n, off_t(at));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= size_t(r);
    at += uint64_t(r);
  }
  return true;
}
}  // namespace

TraceFile::TraceFile(const std::string& work_dir)
    : dir_(work_dir.empty() ? std::filesystem::temp_directory_path().string() : work_dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  std::string templ = dir_ + "/entmc-trace-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  fd_ = ::mkstemp(buf.data());
  if (fd_ < 0) io_error("cannot create the trace file (--links disk) in", dir_);
  ::unlink(buf.data());  // gone with the descriptor, however the run ends
  pending_.reserve(kBufferBytes);
}

TraceFile::~TraceFile() {
  if (fd_ >= 0) ::close(fd_);
}

uint32_t TraceFile::append(uint32_t parent, uint64_t fp) {
  const uint64_t n = size();
  if (n >= kRoot) throw std::runtime_error("the trace file (--links disk) numbers at most 2^32 - 1 states");
  uint8_t rec[kRecordBytes];
  std::memcpy(rec, &parent, 4);
  std::memcpy(rec + 4, &fp, 8);
  pending_.insert(pending_.end(), rec, rec + kRecordBytes);
  if (pending_.size() >= kBufferBytes) flush();
  return uint32_t(n);
}

void TraceFile::flush() {
  if (!pwrite_all(fd_, pending_.data(), pending_.size(), flushed_ * kRecordBytes))
    io_error("cannot write the trace file (--links disk) in", dir_);
  flushed_ += pending_.size() / kRecordBytes;
  pending_.clear();
}

void TraceFile::save(const std::string& path) {
  flush();
  const int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) io_error("cannot create", path);
  std::vector<uint8_t> buf(kBufferBytes);
  const uint64_t total = flushed_ * kRecordBytes;
  bool ok = true;
  for (uint64_t at = 0; at < total && ok; at += buf.size()) {
    const size_t n = size_t(std::min<uint64_t>(buf.size(), total - at));
    ok = pread_all(fd_, buf.data(), n, at) && pwrite_all(out, buf.data(), n, at);
  }
  if (!ok || ::fsync(out) != 0) {
    const int e = errno;
    ::close(out);
    errno = e;
    io_error("cannot copy the trace file to", path);
  }
  ::close(out);
}

void TraceFile::load(const std::string& path, uint64_t records) {
  if (size() != 0) throw std::logic_error("TraceFile::load: the trace file is not empty");
  const int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) io_error("cannot open", path);
  const size_t chunk = kBufferBytes - kBufferBytes % kRecordBytes;
  for (uint64_t at = 0, total = records * kRecordBytes; at < total; at += chunk) {
    pending_.resize(size_t(std::min<uint64_t>(chunk, total - at)));
    if (!pread_all(in, pending_.data(), pending_.size(), at)) {
      ::close(in);
      pending_.clear();
      throw std::runtime_error("the trace file copy " + path + " is truncated");
    }
    flush();
  }
  ::close(in);
}

TraceFile::Record TraceFile::read(uint32_t number) {
  if (number >= size()) throw std::out_of_range("trace file: no state numbered " + std::to_string(number));
  uint8_t rec[kRecordBytes];
  if (number >= flushed_)
    std::memcpy(rec, pending_.data() + (number - flushed_) * kRecordBytes, kRecordBytes);
  else if (!pread_all(fd_, rec, kRecordBytes, uint64_t(number) * kRecordBytes))
    io_error("cannot read the trace file (--links disk) in", dir_);
  Record out;
  std::memcpy(&out.parent, rec, 4);
  std::memcpy(&out.fp, rec + 4, 8);
  return out;
}

}  // namespace entmc::engine
