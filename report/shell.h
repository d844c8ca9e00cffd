// Command lines people can paste: the rerun and replay lines every failing
// command prints.
#pragma once

#include <string>
#include <string_view>

namespace entmc::report {

// `s` as one shell word: unchanged when it holds only safe characters, else
// single-quoted.
std::string shell_word(std::string_view s);

}  // namespace entmc::report
