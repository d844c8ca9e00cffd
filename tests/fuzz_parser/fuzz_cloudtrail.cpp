// libFuzzer target for the audit's CloudTrail reader (aws/cloudtrail_reader.h),
// a hand-written validating JSON scanner (chosen for speed: nlohmann's lexer
// was 70% of the audit's time, docs/real-accounts.md). Its oracle is
// nlohmann::json itself: text that nlohmann rejects as JSON must be refused
// with an InputError located "fuzz.json:LINE:COL"; any input must end in
// records handed on or such an error, never a crash, a sanitizer report or
// another exception. Every record handed on names its file and a 1-based
// position.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "aws/cloudtrail_reader.h"
#include "aws/json_input.h"
#include "fuzz_check.h"

namespace {

void check(bool ok, const char* what) { entmc::fuzz::require(ok, "fuzz_cloudtrail", what); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return -1;  // keep each run fast
  const std::string text(reinterpret_cast<const char*>(data), size);
  const bool valid_json = nlohmann::json::accept(text);
  std::istringstream in(text);
  uint64_t last = 0;
  try {
    entmc::aws::read_trail_stream(in, "fuzz.json", [&](entmc::aws::TrailEvent&& e) {
      check(e.file == "fuzz.json", "a record without its file");
      check(e.ordinal >= 1, "a record without a position");
      last = e.ordinal;
    });
    check(valid_json, "text that is not JSON was read without an error");
  } catch (const entmc::aws::InputError& e) {
    check(std::string(e.what()).rfind("fuzz.json:", 0) == 0, "error without FILE:LINE:COL");
  }
  (void)last;
  return 0;
}
