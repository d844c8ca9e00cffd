// libFuzzer target for the `bounds:` parser and the checks before an
// exploration (engine/check_input.h: the caps, the steps before the start
// state). Any input must load or raise ScenarioError with FILE:LINE:COL;
// anything else (a crash, a sanitizer report, another exception such as
// std::bad_alloc or a yaml-cpp "bad conversion") is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/check_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return -1;  // scenarios are small; keep each run fast
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const entmc::engine::CheckInput in = entmc::engine::load_check_text(text, "fuzz.yaml");
    (void)in;
  } catch (const entmc::ScenarioError& e) {
    if (std::string(e.what()).rfind("fuzz.yaml:", 0) != 0) {
      fprintf(stderr, "fuzz_bounds: error without FILE:LINE:COL: %s\n", e.what());
      abort();
    }
  }
  return 0;
}
