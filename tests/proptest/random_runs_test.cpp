// Random runs under the standard rules: every property holds after every step,
// failed calls change nothing, and every run survives the scenario round trip
// (write, parse, replay: same final digest). Coverage is classified with
// RC_TAG and a test fails if an operation or a documented grant status is
// never reached.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "proptest/fuzz.h"
#include "proptest/round_trip.h"
#include "rc_check.h"

namespace entmc::proptest {
namespace {

using testing::rc_check;
using testing::scaled_runs;

constexpr int kRuns = 400;  // per test; ENTMC_PROPTEST_SCALE multiplies it

void check_one_run(const proptest::Run& run) {
  std::optional<Found> found = check_run(run, Rules::standard(), /*round_trip=*/true);
  if (!found) return;
  FuzzFailure f = shrink_failure(run, *found, Rules::standard());
  RC_FAIL(fmt::format("{} violated: {}\nshrunk to {} steps:\n{}", f.shrunk_found.violation.property,
                      f.shrunk_found.violation.detail, f.shrunk.steps.size(),
                      scenario_text(f.shrunk, Rules::standard(), "random run counterexample")));
}

TEST(RandomRuns, EveryPropertyHoldsAndTheScenarioRoundTrips) {
  rc_check([] { check_one_run(*gen_run()); }, scaled_runs(kRuns), 0x5eed0001);
}

TEST(RandomRuns, BigOrganizationsAndLongHistories) {
  Bounds b;
  b.max_members = 48;
  b.max_steps = 120;
  rc_check([b] { check_one_run(*gen_run(b)); }, scaled_runs(kRuns / 5), 0x5eed0002);
}

// Coverage: one tag per operation that succeeded in the run and per grant
// status some grant reached.
TEST(RandomRuns, CoverageReachesEveryOperationAndDocumentedGrantStatus) {
  const int runs = scaled_runs(kRuns);
  auto counts = rc_check(
      [] {
        proptest::Run run = *gen_run();
        ExecOptions opts;
        opts.check_properties = false;
        Execution e = execute(run, opts);
        for (int op = 0; op < kOpCount; ++op)
          if (e.reached.ops & (1u << op)) RC_TAG(fmt::format("op {}", to_string(Op(op))));
        for (int s = 0; s < kGrantStatusCount; ++s)
          if (e.reached.statuses & (1u << s)) RC_TAG(fmt::format("status {}", to_string(GrantStatus(s))));
      },
      runs, 0x5eed0003);
  std::string table;
  for (const auto& [tag, n] : counts) table += fmt::format("  {:<40} {:>4} / {}\n", tag, n, runs);
  std::cout << "coverage (runs in which the operation succeeded / the grant status was reached):\n" << table;
  for (int op = 0; op < kOpCount; ++op)
    EXPECT_GT(counts["op " + std::string(to_string(Op(op)))], 0) << "never succeeded: " << to_string(Op(op));
  for (GrantStatus s : kDocumentedStatuses)
    EXPECT_GT(counts["status " + std::string(to_string(s))], 0) << "never reached: " << to_string(s);
}

// A steady share of the steps fails on purpose, and most succeed.
TEST(RandomRuns, ErrorPathsRunTooButMostCallsSucceed) {
  FuzzOptions o;
  o.runs = 60;
  o.seed = 7;
  o.round_trip = false;
  FuzzReport r = fuzz(o);
  ASSERT_FALSE(r.failure);
  const double failed = double(r.failed_calls) / double(r.steps);
  EXPECT_GT(failed, 0.10) << r.failed_calls << " of " << r.steps;
  EXPECT_LT(failed, 0.60) << r.failed_calls << " of " << r.steps;
}

TEST(RandomRuns, TheSeedReproducesARunExactly) {
  FuzzOptions o;
  for (uint64_t seed : {1ull, 42ull, 0xdeadbeefull}) {
    proptest::Run a = generate_run(o, seed);
    proptest::Run b = generate_run(o, seed);
    EXPECT_EQ(a, b);
    EXPECT_EQ(execute(a).digest, execute(b).digest);
  }
  EXPECT_FALSE(generate_run(o, 1) == generate_run(o, 2));
}

}  // namespace
}  // namespace entmc::proptest
