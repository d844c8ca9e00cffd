// Numbers and byte sizes as every command prints them (check's progress and
// statistics, simulate's summary, the memory messages): one place, so the
// same figure reads the same in every report.
#pragma once

#include <cstdint>
#include <string>

namespace entmc::util {

// "512.0 MiB" below 1 GiB, "11.76 GiB" from there.
std::string bytes_text(uint64_t bytes);
// 1234567 -> "1,234,567".
std::string grouped(uint64_t v);
// 1234567 -> "1.23M" (k from 10,000, M, G): the progress line's short counts.
std::string si(double x);

}  // namespace entmc::util
