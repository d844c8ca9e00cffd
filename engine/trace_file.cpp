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
  const uint8_t* p = pending_.data();
  size_t left = pending_.size();
  off_t at = off_t(flushed_ * kRecordBytes);
  while (left) {
    const ssize_t w = ::pwrite(fd_, p, left, at);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) io_error("cannot write the trace file (--links disk) in", dir_);
    p += w;
    left -= size_t(w);
    at += w;
  }
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
  for (uint64_t at = 0; at < total && ok;) {
    const ssize_t r = ::pread(fd_, buf.data(), std::min<uint64_t>(buf.size(), total - at), off_t(at));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      ok = false;
      break;
    }
    for (ssize_t done = 0; done < r && ok;) {
      const ssize_t w = ::write(out, buf.data() + done, size_t(r - done));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        ok = false;
      } else {
        done += w;
      }
    }
    at += uint64_t(r);
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
  std::vector<uint8_t> buf(kBufferBytes - kBufferBytes % kRecordBytes);
  uint64_t got = 0;
  while (got < records) {
    const size_t want = size_t(std::min<uint64_t>(buf.size(), (records - got) * kRecordBytes));
    size_t have = 0;
    while (have < want) {
      const ssize_t r = ::read(in, buf.data() + have, want - have);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      have += size_t(r);
    }
    if (have < want) {
      ::close(in);
      throw std::runtime_error("the trace file copy " + path + " is truncated");
    }
    pending_.assign(buf.begin(), buf.begin() + ptrdiff_t(want));
    flush();
    got += want / kRecordBytes;
  }
  ::close(in);
}

TraceFile::Record TraceFile::read(uint32_t number) {
  if (number >= size()) throw std::out_of_range("trace file: no state numbered " + std::to_string(number));
  uint8_t rec[kRecordBytes];
  if (number >= flushed_) {
    std::memcpy(rec, pending_.data() + (number - flushed_) * kRecordBytes, kRecordBytes);
  } else {
    uint8_t* p = rec;
    size_t left = kRecordBytes;
    off_t at = off_t(uint64_t(number) * kRecordBytes);
    while (left) {
      const ssize_t r = ::pread(fd_, p, left, at);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) io_error("cannot read the trace file (--links disk) in", dir_);
      p += r;
      left -= size_t(r);
      at += r;
    }
  }
  Record out;
  std::memcpy(&out.parent, rec, 4);
  std::memcpy(&out.fp, rec + 4, 8);
  return out;
}

}  // namespace entmc::engine
