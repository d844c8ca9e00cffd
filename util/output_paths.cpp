#include "util/output_paths.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace entmc::util {
namespace {

namespace fs = std::filesystem;

std::string normal(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? fs::absolute(path).lexically_normal().string() : p.string();
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa{}, sb{};
  if (stat(a.c_str(), &sa) == 0 && stat(b.c_str(), &sb) == 0) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  return normal(a) == normal(b);
}

std::string parent_of(const std::string& path) {
  const fs::path p(path);
  return p.has_parent_path() && !p.parent_path().empty() ? p.parent_path().string() : ".";
}

// "" when `dir` is an existing, writable directory.
std::string writable_dir(const std::string& flag, const std::string& path, const std::string& dir) {
  struct stat st{};
  if (stat(dir.c_str(), &st) != 0)
    return fmt::format("{} {}: the directory {} does not exist", flag, path, dir);
  if (!S_ISDIR(st.st_mode)) return fmt::format("{} {}: {} is not a directory", flag, path, dir);
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    return fmt::format("{} {}: the directory {} is not writable", flag, path, dir);
  return "";
}

}  // namespace

void OutputPaths::input(const std::string& path) {
  if (!path.empty()) inputs_.push_back(path);
}

void OutputPaths::file(const std::string& flag, const std::string& path) {
  if (!path.empty()) outputs_.push_back({flag, path, false});
}

void OutputPaths::directory(const std::string& flag, const std::string& path) {
  if (!path.empty()) outputs_.push_back({flag, path, true});
}

std::string OutputPaths::problem() const {
  for (size_t i = 0; i < outputs_.size(); ++i) {
    const Entry& o = outputs_[i];
    struct stat st{};
    const bool exists = stat(o.path.c_str(), &st) == 0;
    if (o.dir) {
      if (exists && !S_ISDIR(st.st_mode)) return fmt::format("{} {}: exists and is not a directory", o.flag, o.path);
      // The nearest existing ancestor must be writable (create_directories).
      std::string probe = exists ? o.path : parent_of(o.path);
      while (stat(probe.c_str(), &st) != 0 && probe != "." && probe != "/") probe = parent_of(probe);
      if (std::string why = writable_dir(o.flag, o.path, probe); !why.empty()) return why;
    } else {
      if (o.path.back() == '/' || (exists && S_ISDIR(st.st_mode)))
        return fmt::format("{} {}: is a directory, not a file", o.flag, o.path);
      if (exists && !S_ISREG(st.st_mode))
        return fmt::format("{} {}: exists and is not a regular file", o.flag, o.path);
      if (std::string why = writable_dir(o.flag, o.path, parent_of(o.path)); !why.empty()) return why;
    }
    for (const std::string& in : inputs_)
      if (same_file(o.path, in)) return fmt::format("{} {}: is an input of this run; refusing to overwrite it", o.flag, o.path);
    for (size_t j = 0; j < i; ++j)
      if (same_file(o.path, outputs_[j].path))
        return fmt::format("{} {} and {} {} are the same file", outputs_[j].flag, outputs_[j].path, o.flag, o.path);
  }
  return "";
}

}  // namespace entmc::util
