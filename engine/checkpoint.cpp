#include "engine/checkpoint.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/frontier_store.h"

namespace entmc::engine {
namespace {

namespace fs = std::filesystem;
constexpr uint32_t kMagic = 0x4B43454E;  // "NECK": entmc checkpoint
constexpr uint32_t kFormat = 2;  // 2: links on disk

// Little-endian fields and length-prefixed strings.
struct Out {
  std::string bytes;
  template <typename T>
  void put(T v) {
    bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void put(const std::string& s) {
    put<uint64_t>(s.size());
    bytes += s;
  }
};

struct In {
  const std::string& bytes;
  size_t at = 0;
  template <typename T>
  T get() {
    if (at + sizeof(T) > bytes.size()) throw CheckpointError("the checkpoint's metadata is truncated");
    T v;
    std::memcpy(&v, bytes.data() + at, sizeof v);
    at += sizeof v;
    return v;
  }
  std::string str() {
    const auto n = get<uint64_t>();
    if (at + n > bytes.size()) throw CheckpointError("the checkpoint's metadata is truncated");
    std::string s = bytes.substr(at, n);
    at += n;
    return s;
  }
};

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw CheckpointError(what + " " + path + ": " + std::strerror(errno));
}

void write_file(const std::string& path, const void* data, size_t n) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fail("cannot create", path);
  const auto* p = static_cast<const uint8_t*>(data);
  while (n) {
    const ssize_t w = ::write(fd, p, std::min<size_t>(n, size_t(1) << 30));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      ::close(fd);
      fail("cannot write", path);
    }
    p += w;
    n -= size_t(w);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) fail("cannot write", path);
}

void sync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CheckpointError("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string encode(const CheckpointMeta& m) {
  Out o;
  o.put(kMagic);
  o.put(kFormat);
  o.put(m.identity);
  o.put(m.next_depth);
  o.put(m.result_depth);
  o.put(m.transitions);
  o.put(m.constrained);
  o.put(m.lookups);
  for (const auto& c : m.coverage) {
    o.put(c.succeeded);
    o.put(c.failed);
  }
  o.put(m.grant_statuses);
  o.put(m.license_statuses);
  o.put(m.seconds);
  o.put(m.peak_queue_bytes);
  o.put<uint64_t>(m.checked.size());
  for (uint8_t c : m.checked) o.put(c);
  o.put<uint64_t>(m.reported.size());
  for (const auto& r : m.reported) {
    o.put(r.prop);
    o.put<uint8_t>(r.transition);
    o.put(r.fp);
    o.put(r.depth);
    o.put(r.detail);
    o.put(r.number);
  }
  o.put(m.table_capacity);
  o.put(m.table_size);
  o.put(m.frontier_states);
  o.put<uint8_t>(m.links_on_disk);
  o.put(m.keys_capacity);
  o.put(m.keys_spare);
  o.put(m.keys_size);
  o.put(m.trace_records);
  o.put(m.frontier_base);
  return o.bytes;
}

CheckpointMeta decode(const std::string& bytes) {
  In in{bytes};
  if (in.get<uint32_t>() != kMagic) throw CheckpointError("not an entmc checkpoint");
  if (in.get<uint32_t>() != kFormat) throw CheckpointError("a checkpoint of another format version");
  CheckpointMeta m;
  m.identity = in.str();
  m.next_depth = in.get<uint32_t>();
  m.result_depth = in.get<uint32_t>();
  m.transitions = in.get<uint64_t>();
  m.constrained = in.get<uint64_t>();
  m.lookups = in.get<uint64_t>();
  for (auto& c : m.coverage) {
    c.succeeded = in.get<uint64_t>();
    c.failed = in.get<uint64_t>();
  }
  m.grant_statuses = in.get<uint32_t>();
  m.license_statuses = in.get<uint32_t>();
  m.seconds = in.get<double>();
  m.peak_queue_bytes = in.get<uint64_t>();
  m.checked.resize(in.get<uint64_t>());
  for (auto& c : m.checked) c = in.get<uint8_t>();
  m.reported.resize(in.get<uint64_t>());
  for (auto& r : m.reported) {
    r.prop = in.get<uint32_t>();
    r.transition = in.get<uint8_t>() != 0;
    r.fp = in.get<uint64_t>();
    r.depth = in.get<uint32_t>();
    r.detail = in.str();
    r.number = in.get<uint32_t>();
  }
  m.table_capacity = in.get<uint64_t>();
  m.table_size = in.get<uint64_t>();
  m.frontier_states = in.get<uint64_t>();
  m.links_on_disk = in.get<uint8_t>() != 0;
  m.keys_capacity = in.get<uint64_t>();
  m.keys_spare = in.get<uint64_t>();
  m.keys_size = in.get<uint64_t>();
  m.trace_records = in.get<uint64_t>();
  m.frontier_base = in.get<uint32_t>();
  return m;
}

// "key value" lines into (key, value) pairs.
std::vector<std::pair<std::string, std::string>> lines(const std::string& identity) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(identity);
  for (std::string l; std::getline(in, l);) {
    const auto sp = l.find(' ');
    out.emplace_back(l.substr(0, sp), sp == std::string::npos ? "" : l.substr(sp + 1));
  }
  return out;
}

std::string what_differs(const std::string& saved, const std::string& now) {
  const auto a = lines(saved), b = lines(now);
  for (const auto& [key, value] : b) {
    std::string old = "(none)";
    for (const auto& [k, v] : a)
      if (k == key) old = v;
    if (old == value) continue;
    if (key == "model") return "another model or bounds (the scenario file differs)";
    if (key == "binary") return "another version of the entmc binary";
    return "another " + key + " (checkpoint: " + old + "; now: " + value + ")";
  }
  return a.size() == b.size() ? "" : "another option set";
}

}  // namespace

std::string binary_identity() {
  static const std::string id = [] {
    const int fd = ::open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::string("binary unknown");
    XXH3_state_t* st = XXH3_createState();
    XXH3_64bits_reset(st);
    std::vector<char> buf(1 << 20);
    for (ssize_t n; (n = ::read(fd, buf.data(), buf.size())) > 0;) XXH3_64bits_update(st, buf.data(), size_t(n));
    ::close(fd);
    const uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return std::string("binary ") + hex;
  }();
  return id;
}

unsigned next_checkpoint_number(const std::string& dir) {
  unsigned n = 1;
  if (std::ifstream cur(dir + "/CURRENT"); cur) {
    std::string name;
    cur >> name;
    if (name.rfind("ckpt-", 0) == 0) n = unsigned(std::stoul(name.substr(5))) + 1;
  }
  return n;
}

void write_raw_file(const std::string& path, const void* data, size_t bytes) { write_file(path, data, bytes); }

void read_raw_file(const std::string& path, void* data, size_t bytes) {
  std::error_code ec;
  if (fs::file_size(path, ec) != bytes || ec) throw CheckpointError("the checkpoint's file " + path + " is truncated");
  std::ifstream f(path, std::ios::binary);
  f.read(static_cast<char*>(data), std::streamsize(bytes));
  if (!f) throw CheckpointError("cannot read " + path);
}

void write_checkpoint(const std::string& dir, const CheckpointMeta& meta, const FingerprintSet& set,
                      const std::function<void(const FrontierEmit&)>& frontier, const FrontierStore* store,
                      const ExtraFiles& extra) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw CheckpointError("cannot create the checkpoint directory " + dir + ": " + ec.message());
  // The next number: one more than CURRENT's.
  const std::string name = "ckpt-" + std::to_string(next_checkpoint_number(dir));
  const std::string tmp = dir + "/" + name + ".tmp";
  fs::remove_all(tmp, ec);
  write_checkpoint_files(tmp, meta, set, frontier, store, extra);
  commit_checkpoint(dir, name);
}

void write_checkpoint_files(const std::string& tmp, const CheckpointMeta& meta, const FingerprintSet& set,
                            const std::function<void(const FrontierEmit&)>& frontier, const FrontierStore* store,
                            const ExtraFiles& extra) {
  std::error_code ec;
  fs::create_directories(tmp, ec);
  if (ec) throw CheckpointError("cannot create " + tmp + ": " + ec.message());
  write_file(tmp + "/meta", encode(meta).data(), encode(meta).size());
  write_file(tmp + "/fingerprints", set.raw_fingerprints(), set.capacity() * sizeof(uint64_t));
  write_file(tmp + "/parents", set.raw_parents(), set.capacity() * sizeof(uint32_t));
  {
    DiskUse use;
    BlockWriter out(tmp + "/frontier", 1, 128 << 10, use);
    frontier([&](uint64_t fp, std::span<const uint8_t> packed) { out.append(fp, packed); });
    out.finish();
    sync_path(out.path());
  }
  if (store) {
    try {
      store->save_numbers(tmp + "/numbers");
    } catch (const std::exception& e) {
      throw CheckpointError(e.what());
    }
  }
  if (extra) {
    try {
      extra(tmp);
    } catch (const CheckpointError&) {
      throw;
    } catch (const std::exception& e) {
      throw CheckpointError(e.what());
    }
  }
  sync_path(tmp);
}

void commit_checkpoint(const std::string& dir, const std::string& name) {
  std::error_code ec;
  const std::string tmp = dir + "/" + name + ".tmp";
  sync_path(tmp);
  const std::string final_dir = dir + "/" + name;
  fs::remove_all(final_dir, ec);
  if (::rename(tmp.c_str(), final_dir.c_str()) != 0) fail("cannot rename", tmp);
  write_file(dir + "/CURRENT.tmp", name.data(), name.size());
  if (::rename((dir + "/CURRENT.tmp").c_str(), (dir + "/CURRENT").c_str()) != 0) fail("cannot rename", dir + "/CURRENT.tmp");
  sync_path(dir);
  // The older checkpoints (and any left half written by a kill).
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().filename().string().rfind("ckpt-", 0) == 0 && e.path().filename() != name) fs::remove_all(e.path(), ec);
}

CheckpointReader::CheckpointReader(const std::string& dir, const std::string& identity, const std::string& part) {
  std::ifstream cur(dir + "/CURRENT");
  std::string name;
  if (!cur || !(cur >> name) || name.rfind("ckpt-", 0) != 0)
    throw CheckpointError("no checkpoint in " + dir + " (no CURRENT file)");
  number_ = unsigned(std::stoul(name.substr(5)));
  path_ = dir + "/" + name + (part.empty() ? "" : "/" + part);
  if (!part.empty() && !fs::exists(path_ + "/meta"))
    throw CheckpointError("the checkpoint in " + dir + " was made for fewer ranks (it has no " + part + ")");
  meta_ = decode(read_file(path_ + "/meta"));
  const std::string diff = what_differs(meta_.identity, identity);
  if (!diff.empty()) throw CheckpointError("the checkpoint in " + dir + " was made for " + diff);
}

void CheckpointReader::load_table(FingerprintSet& set) const {
  const size_t cap = meta_.table_capacity;
  if (fs::file_size(path_ + "/fingerprints") != cap * sizeof(uint64_t) ||
      fs::file_size(path_ + "/parents") != cap * sizeof(uint32_t))
    throw CheckpointError("the checkpoint's visited set in " + path_ + " is truncated");
  set.restore(cap, meta_.table_size, [&](uint64_t* fps, uint32_t* parents) {
    std::ifstream f(path_ + "/fingerprints", std::ios::binary), p(path_ + "/parents", std::ios::binary);
    f.read(reinterpret_cast<char*>(fps), std::streamsize(cap * sizeof(uint64_t)));
    p.read(reinterpret_cast<char*>(parents), std::streamsize(cap * sizeof(uint32_t)));
    if (!f || !p) throw CheckpointError("cannot read the checkpoint's visited set in " + path_);
  });
}

void CheckpointReader::load_numbers(FrontierStore& store) const {
  std::error_code ec;
  if (!fs::exists(path_ + "/numbers", ec)) throw CheckpointError("the checkpoint in " + path_ + " has no state numbers");
  try {
    store.load_numbers(path_ + "/numbers");
  } catch (const CheckpointError&) {
    throw;
  } catch (const std::exception& e) {
    throw CheckpointError(e.what());
  }
}

void CheckpointReader::read_frontier(const FrontierEmit& each) const {
  uint64_t n = 0;
  read_block_file(path_ + "/frontier", [&](uint64_t fp, std::span<const uint8_t> packed) {
    each(fp, packed);
    ++n;
  });
  if (n != meta_.frontier_states) throw CheckpointError("the checkpoint's frontier in " + path_ + " is truncated");
}

}  // namespace entmc::engine
