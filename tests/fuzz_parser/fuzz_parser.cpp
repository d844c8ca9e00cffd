// libFuzzer target for the scenario parser (issue 2: "a libFuzzer target for
// the scenario parser"). Any input must either parse or raise ScenarioError;
// anything else (a crash, a sanitizer report, another exception) is a bug.
// A parsed scenario is also run, and its calls written back with the writer
// and re-parsed: the round trip must reproduce the initial world and the
// final digest (the writer's contract, scenario_writer.h).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_check.h"
#include "scenario/scenario_run.h"
#include "scenario/scenario_writer.h"

namespace {

void check(bool ok, const char* what) { entmc::fuzz::require(ok, "fuzz_parser", what); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return -1;  // scenarios are small; keep each run fast
  const std::string text(reinterpret_cast<const char*>(data), size);
  entmc::Scenario sc;
  try {
    sc = entmc::parse_scenario_text(text, "fuzz.yaml");
  } catch (const entmc::ScenarioError& e) {
    check(std::string(e.what()).rfind("fuzz.yaml:", 0) == 0, "error without FILE:LINE:COL");
    return 0;
  }
  if (sc.steps.size() > 200) return 0;
  entmc::ScenarioRun run(sc);
  run.run_all();
  std::string written =
      entmc::write_scenario(sc.names, sc.initial, run.calls(), {sc.name, sc.description, "fuzz"});
  entmc::Scenario back;
  try {
    back = entmc::parse_scenario_text(written, "written.yaml");
  } catch (const entmc::ScenarioError& e) {
    fprintf(stderr, "%s\n--- written ---\n%s\n", e.what(), written.c_str());
    check(false, "the writer's output does not parse");
  }
  check(back.initial == sc.initial, "the written scenario has another initial world");
  entmc::ScenarioRun again(back);
  again.run_all();
  check(again.calls().size() == run.calls().size(), "the written scenario replays another number of calls");
  check(again.world().digest() == run.world().digest(), "the written scenario ends in another state");
  return 0;
}
