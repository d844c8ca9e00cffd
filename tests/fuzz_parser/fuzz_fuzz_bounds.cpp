// libFuzzer target for `entmc fuzz`'s `bounds:` reader (cli/fuzz_bounds.h):
// a scenario that parses must have its `bounds:` section read, or refused
// with a ScenarioError located FILE:LINE:COL; anything else (a crash, a
// sanitizer report, another exception such as a yaml-cpp "bad conversion")
// is a bug. Values read must lie in the command line's ranges.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "cli/fuzz_bounds.h"
#include "fuzz_check.h"

namespace {

void check(bool ok, const char* what) { entmc::fuzz::require(ok, "fuzz_fuzz_bounds", what); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return -1;  // scenarios are small; keep each run fast
  const std::string text(reinterpret_cast<const char*>(data), size);
  entmc::Scenario sc;
  try {
    sc = entmc::parse_scenario_text(text, "fuzz.yaml");
  } catch (const entmc::ScenarioError&) {
    return 0;  // the scenario parser's own target (fuzz_parser.cpp) checks these
  }
  std::ostringstream notes;
  try {
    const entmc::cli::FuzzFileBounds b = entmc::cli::read_fuzz_bounds(sc, notes);
    using entmc::cli::kFuzzMaxMembers, entmc::cli::kFuzzMaxSteps, entmc::cli::kFuzzMaxWrongPercent;
    check(!b.max_steps || (*b.max_steps >= 1 && *b.max_steps <= kFuzzMaxSteps), "max_steps out of range");
    check(!b.max_members || (*b.max_members >= 1 && *b.max_members <= kFuzzMaxMembers), "max_members out of range");
    check(!b.wrong_percent || *b.wrong_percent <= kFuzzMaxWrongPercent, "wrong_percent out of range");
  } catch (const entmc::ScenarioError& e) {
    check(std::string(e.what()).rfind("fuzz.yaml:", 0) == 0, "error without FILE:LINE:COL");
  }
  const std::string n = notes.str();
  check(n.empty() || n.rfind("fuzz.yaml:", 0) == 0, "note without FILE:LINE:COL");
  return 0;
}
