// The fuzz targets' verdict on an input: a broken expectation aborts, so that
// libFuzzer records the input as a crash and keeps it.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace entmc::fuzz {

inline void require(bool ok, const char* target, const char* what) {
  if (!ok) {
    fprintf(stderr, "%s: %s\n", target, what);
    abort();
  }
}

}  // namespace entmc::fuzz
