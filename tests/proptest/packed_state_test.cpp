// Random runs applied through the explorer's packed state agree with the
// plain World step by step: the explorer keeps states packed (engine/
// state_codec.h) and applies a call to the unpacked copy, so for every step
// of every generated run, unpack(pack(state)) + apply() must give the same
// outcome and the same World (and the same packed bytes) as apply() on the
// World the run keeps.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "engine/state_codec.h"
#include "proptest/generators.h"
#include "rc_check.h"

namespace entmc::proptest {
namespace {

void agree_step_by_step(const proptest::Run& run) {
  ExecOptions opts;
  opts.check_properties = false;
  Executor ex(initial_setup(run), opts);
  std::vector<uint8_t> packed;
  engine::pack(ex.world(), packed);
  World unpacked = ex.world();  // same products; unpack overwrites the rest
  for (size_t i = 0; i < run.steps.size(); ++i) {
    const StepRecord& r = ex.step(run.steps[i]);
    if (r.skipped) continue;
    engine::unpack(packed.data(), unpacked);
    const Outcome o = apply(unpacked, r.call);
    RC_ASSERT(o.error == r.outcome.error);
    RC_ASSERT(o.created == r.outcome.created);
    if (!(unpacked == ex.world()))
      RC_FAIL(fmt::format("step {} ({}): the packed path reached a different World", i + 1, to_string(r.call.op)));
    std::vector<uint8_t> again;
    engine::pack(ex.world(), again);
    packed.clear();
    engine::pack(unpacked, packed);
    RC_ASSERT(packed == again);
  }
}

TEST(SecondRepresentation, ExplorerPackedStateAgreesStepByStep) {
  testing::rc_check([] { agree_step_by_step(*gen_run()); }, testing::scaled_runs(300), 0x5eed0005);
}

}  // namespace
}  // namespace entmc::proptest
