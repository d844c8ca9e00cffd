// Checks for numeric options that CLI11 alone lets through: "-1" for an
// unsigned option (strtoull wraps it to 2^64-1), NaN and infinity for a
// floating-point one (a range check compares false both ways), an empty size.
#pragma once

#include <CLI/CLI.hpp>
#include <cmath>
#include <string>

namespace entmc::cli {

// For unsigned options: no sign at all.
inline CLI::Validator no_minus() {
  return CLI::Validator(
      [](std::string& s) { return s.find('-') == std::string::npos ? std::string() : "must not be negative"; },
      "", "no_minus");
}

// Seconds of wall clock: a finite number in (0, 1e7].
inline CLI::Validator seconds() {
  return CLI::Validator(
      [](std::string& s) {
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        if (s.empty() || *end != '\0' || !std::isfinite(v) || v <= 0 || v > 1e7)
          return std::string("must be a number of seconds above 0, at most 1e7");
        return std::string();
      },
      "SECONDS", "seconds");
}

inline CLI::Validator non_empty() {
  return CLI::Validator([](std::string& s) { return s.empty() ? std::string("must not be empty") : std::string(); },
                        "", "non_empty");
}

}  // namespace entmc::cli
