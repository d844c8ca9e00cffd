#include "util/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace entmc::util {

std::string write_file_atomic(const std::string& path, std::string_view text) {
  namespace fs = std::filesystem;
  const fs::path dest(path);
  const fs::path dir = dest.has_parent_path() ? dest.parent_path() : fs::path(".");
  // Hidden, and named after the destination, so a stray one (SIGKILL) is
  // recognisable; mkstemp makes it unique among concurrent writers.
  std::string tmpl = (dir / ("." + dest.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  const int fd = mkstemp(name.data());
  if (fd < 0) return fmt::format("cannot write {}: {}", path, std::strerror(errno));
  auto fail = [&](const char* what) {
    const std::string msg = fmt::format("cannot write {}: {} ({})", path, std::strerror(errno), what);
    close(fd);
    unlink(name.data());
    return msg;
  };
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("write");
    done += size_t(n);
  }
  // The new file's mode as a plain file created here would have (mkstemp
  // makes 0600), so replacing a report does not make it private.
  const mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0) return fail("chmod");
  if (fsync(fd) != 0) return fail("fsync");
  if (close(fd) != 0) {
    const std::string msg = fmt::format("cannot write {}: {} (close)", path, std::strerror(errno));
    unlink(name.data());
    return msg;
  }
  if (std::rename(name.data(), path.c_str()) != 0) {
    const std::string msg = fmt::format("cannot write {}: {} (rename)", path, std::strerror(errno));
    unlink(name.data());
    return msg;
  }
  return "";
}

}  // namespace entmc::util
