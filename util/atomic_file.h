// Output files that a reader sees whole or not at all: the text is written to
// a temporary file in the destination's directory, flushed to disk and renamed
// over the destination (rename(2) is atomic within one file system). A kill at
// any moment leaves the old file (or none) and at most a stray temporary.
#pragma once

#include <string>
#include <string_view>

namespace entmc::util {

// Writes `text` to `path` atomically. Returns "" on success, else a message
// that names the file and the system's reason; the destination is then
// untouched and the temporary removed.
std::string write_file_atomic(const std::string& path, std::string_view text);

}  // namespace entmc::util
