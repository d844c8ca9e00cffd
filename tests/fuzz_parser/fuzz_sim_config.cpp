// libFuzzer target for the simulation config parser (sim/config.h). Any input
// must parse or raise ConfigError with a position; anything else (a crash, a
// sanitizer report, another exception) is a bug. A parsed config's weights
// must add up to a finite, positive total (the event mix draws from it).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return -1;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const entmc::sim::SimConfig c = entmc::sim::parse_config(text, "fuzz.yaml");
    double total = 0;
    for (double w : c.mix) total += w;
    if (!(std::isfinite(total) && total > 0)) {
      fprintf(stderr, "fuzz_sim_config: the mix adds up to %g\n", total);
      abort();
    }
  } catch (const entmc::sim::ConfigError& e) {
    if (e.formatted().rfind("fuzz.yaml:", 0) != 0) {
      fprintf(stderr, "fuzz_sim_config: error without a file: %s\n", e.formatted().c_str());
      abort();
    }
  }
  return 0;
}
