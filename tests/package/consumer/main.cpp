// Replays a scenario with the installed entmc libraries: prints the steps
// and exits 0 when every expectation and invariant held.
#include <cstdio>

#include "entmc/scenario/scenario.h"
#include "entmc/scenario/scenario_run.h"
#include "entmc/util/format.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const entmc::Scenario sc = entmc::parse_scenario_file(argv[1]);
  entmc::ScenarioRun run(sc);
  const bool ok = run.run_all();
  std::printf("%s: %s steps, %s\n", sc.name.c_str(), entmc::util::grouped(sc.steps.size()).c_str(),
              ok ? "every expectation held" : "FAILED");
  return ok ? 0 : 1;
}
