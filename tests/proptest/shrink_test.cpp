// The shrinker keeps runs valid: removing the step that created a grant drops
// the steps that use it, references follow the renumbering, and the result
// still fails the same way.
#include <gtest/gtest.h>

#include "proptest/shrink.h"

namespace entmc::proptest {
namespace {

WorldSpec small_world() {
  WorldSpec w;
  w.feature_set = FeatureSet::ALL;
  w.members = 2;
  w.products = {ProductType::AMI, ProductType::SAAS};
  w.org_flags = kTrustedLicenseManager | kTrustedMarketplace | kLinkedAccounts;
  w.roles.assign(w.commercial_count(), kSlrLicenseManager | kSlrMarketplace);
  return w;
}

Step call(Op op, AccountIx caller) {
  Step s;
  s.call.op = op;
  s.call.caller = caller;
  return s;
}

// Subscribe, grant to member 1, activate as grantee, launch, stop.
proptest::Run sample_run() {
  proptest::Run r;
  r.world = small_world();
  r.steps.push_back(call(Op::Subscribe, 0));
  Step grant = call(Op::CreateGrant, 0);
  grant.license = Ref{RefKind::Created, 0, kNone};
  grant.call.account = 1;
  r.steps.push_back(grant);
  Step activate = call(Op::CreateGrantVersion, 1);
  activate.grant = Ref{RefKind::Created, 1, kNone};
  activate.call.has_status = true;
  activate.call.status = GrantStatus::ACTIVE;
  activate.version = VersionArg::Current;
  r.steps.push_back(activate);
  Step launch = call(Op::LaunchWorkload, 1);
  r.steps.push_back(launch);
  return r;
}

TEST(Shrink, TheSampleRunSucceedsStepByStep) {
  Execution e = execute(sample_run());
  ASSERT_EQ(e.records.size(), 4u);
  for (const StepRecord& r : e.records) {
    EXPECT_FALSE(r.skipped);
    EXPECT_TRUE(r.outcome.ok()) << to_string(r.call.op) << ": " << reason_name(r.outcome.error.reason);
  }
  EXPECT_FALSE(e.found);
}

TEST(Shrink, NormalizeDropsStepsWhoseGrantIsGone) {
  proptest::Run r = sample_run();
  r.steps[1].license.step = 7;  // dangling: no step 7
  proptest::Run n = normalize(r);
  ASSERT_EQ(n.steps.size(), 2u);  // CreateGrant and the activation that names its grant are gone
  EXPECT_EQ(n.steps[0].call.op, Op::Subscribe);
  EXPECT_EQ(n.steps[1].call.op, Op::LaunchWorkload);
}

TEST(Shrink, KeepsOnlyWhatTheFailureNeedsAndReferencesStayValid) {
  proptest::Run r = sample_run();
  // Padding that the failure does not need, before and between the steps.
  r.steps.insert(r.steps.begin(), call(Op::Subscribe, 2));
  for (Step& s : r.steps)
    for (Ref* ref : {&s.license, &s.grant})
      if (ref->kind != RefKind::None) ++ref->step;
  // "Fails" when member 1 ends with a running workload: needs all four steps.
  StillFails fails = [](const proptest::Run& c) {
    ExecOptions o;
    o.check_properties = false;
    Execution e = execute(c, o);
    return !e.records.empty() && e.records.back().call.op == Op::LaunchWorkload && e.records.back().outcome.ok() &&
           e.records.back().call.caller != 0;
  };
  ASSERT_TRUE(fails(r));
  ShrinkStats stats;
  proptest::Run s = shrink_run(r, fails, Rules::standard(), &stats);
  EXPECT_TRUE(fails(s));
  ASSERT_EQ(s.steps.size(), 4u);
  EXPECT_EQ(s.steps[1].license, (Ref{RefKind::Created, 0, kNone}));
  EXPECT_EQ(s.steps[2].grant, (Ref{RefKind::Created, 1, kNone}));
  EXPECT_GT(stats.attempts, 0u);
  // The SaaS product and the unused member are gone too.
  EXPECT_EQ(s.world.products.size(), 1u);
  EXPECT_LE(s.world.members, 1u);
}

}  // namespace
}  // namespace entmc::proptest
