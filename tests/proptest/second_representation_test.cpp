// Random runs applied to the simulator's incremental view agree with the
// World step by step: the simulator keeps its vital signs (grants per status,
// active entitlements, running workloads) up to date from each call's Changes
// (sim/tallies.h) and checks invariants on the touched records only
// (Property::check_local). After every step of every generated run, the
// incremental vitals equal a recount of the World, and every local check
// reports a violation exactly when the whole-state check does.
// The model's own derived counters (World::active_licenses, maintained by the
// mutation helpers) equal a recount after every step, failed calls included,
// and the O(1) active_license_count agrees with the list walk (the properties'
// own recount, properties/world_facts.h) for every
// (account, product); the received-grant and owned-license lists
// (World::first_received, World::first_owned) equal a rebuild from the
// records' creation order.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "model/entitlement.h"
#include "properties/world_facts.h"
#include "proptest/generators.h"
#include "rc_check.h"
#include "sim/tallies.h"

namespace entmc::proptest {
namespace {

void agree_step_by_step(const proptest::Run& run) {
  ExecOptions opts;
  opts.check_properties = false;
  Executor ex(initial_setup(run), opts);
  sim::Tallies tallies(ex.world());
  for (size_t i = 0; i < run.steps.size(); ++i) {
    const StepRecord& r = ex.step(run.steps[i]);
    if (r.skipped || !r.outcome.ok()) continue;
    tallies.observe(ex.world(), ex.last_changes());
    RC_ASSERT(tallies.vitals() == sim::recount(ex.world()));
    for (const Property& p : all_properties()) {
      if (p.kind != PropertyKind::Always || !p.check_local) continue;
      const bool whole = p.check_state(ex.world(), ex.names()).has_value();
      const bool local = p.check_local(ex.world(), ex.last_changes(), ex.names()).has_value();
      if (whole != local)
        RC_FAIL(fmt::format("step {} ({}): {} whole-state says {}, local says {}", i + 1, to_string(r.call.op), p.name,
                            whole ? "violated" : "holds", local ? "violated" : "holds"));
    }
  }
}

void counters_agree_step_by_step(const proptest::Run& run) {
  ExecOptions opts;
  opts.check_properties = false;
  Executor ex(initial_setup(run), opts);
  RC_ASSERT(active_licenses_consistent(ex.world()));
  for (size_t i = 0; i < run.steps.size(); ++i) {
    const StepRecord& r = ex.step(run.steps[i]);
    const World& w = ex.world();
    if (!active_licenses_consistent(w))
      RC_FAIL(fmt::format("step {} ({}): World::active_licenses differs from a recount", i + 1, to_string(r.call.op)));
    if (!received_index_consistent(w))
      RC_FAIL(fmt::format("step {} ({}): the received-grant lists differ from a rebuild", i + 1, to_string(r.call.op)));
    if (!owned_index_consistent(w))
      RC_FAIL(fmt::format("step {} ({}): the owned-license lists differ from a rebuild", i + 1, to_string(r.call.op)));
    for (AccountIx a = 0; a < w.accounts.size(); ++a)
      for (ProductIx p = 0; p < w.product_count(); ++p) {
        RC_ASSERT(active_license_count(w, a, p) == props::active_license_count_by_scan(w, a, p));
        RC_ASSERT(entitled(w, a, p) == props::entitled_by_scan(w, a, p));
      }
    for (GrantIx g = 0; g < w.grants.size(); ++g) {
      const Grant& gr = w.grants[g];
      if (gr.grantee == kNone) continue;
      const ProductIx p = product_of_grant(w, g);
      RC_ASSERT(active_license_count(w, gr.grantee, p, g) == props::active_license_count_by_scan(w, gr.grantee, p, g));
    }
  }
}

TEST(SecondRepresentation, ActiveLicenseCountersEqualARecountStepByStep) {
  testing::rc_check([] { counters_agree_step_by_step(*gen_run()); }, testing::scaled_runs(300), 0x5eed0005);
}

// The comparison can fail: one wrong counter is seen.
TEST(SecondRepresentation, ActiveLicenseConsistencyCheckSeesAWrongCounter) {
  World w = make_world(FeatureSet::ALL, {ProductType::AMI, ProductType::CONTAINER}, 0);
  add_account(w, Membership::MANAGEMENT);
  add_account(w, Membership::MEMBER);
  EXPECT_TRUE(active_licenses_consistent(w));
  w.active_licenses[3] = 1;
  EXPECT_FALSE(active_licenses_consistent(w));
  rebuild_active_licenses(w);
  EXPECT_TRUE(active_licenses_consistent(w));
  EXPECT_EQ(w.active_licenses[3], 0);
}

TEST(SecondRepresentation, SimulatorTalliesAndLocalChecksAgreeStepByStep) {
  testing::rc_check([] { agree_step_by_step(*gen_run()); }, testing::scaled_runs(300), 0x5eed0004);
}

}  // namespace
}  // namespace entmc::proptest
