// Every output a command will write, checked before the run starts, so that a
// long run never ends by throwing its report away: each file's directory
// exists and is writable, no path is a directory, no two outputs are the same
// file, and no output is one of the inputs (compared by device and inode when
// the file exists, else by absolute, normalised path).
#pragma once

#include <string>
#include <vector>

namespace entmc::util {

class OutputPaths {
 public:
  void input(const std::string& path);
  // `flag` names the option in messages (e.g. "--junit"); empty paths are skipped.
  void file(const std::string& flag, const std::string& path);
  // A directory the command may create (fuzz --out): it must be a directory
  // or creatable in a writable parent.
  void directory(const std::string& flag, const std::string& path);
  // "" when every output can be written, else the first problem.
  std::string problem() const;

 private:
  struct Entry {
    std::string flag, path;
    bool dir;
  };
  std::vector<std::string> inputs_;
  std::vector<Entry> outputs_;
};

}  // namespace entmc::util
