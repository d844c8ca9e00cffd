#include "engine/bounds.h"
#include "engine/call_cache.h"

#include <gtest/gtest.h>

#include <map>

#include "engine/check_input.h"
#include "scenario/scenario.h"
#include "test_worlds.h"

namespace entmc::engine {
namespace {

TEST(Bounds, EnumerationIsDeterministicAndCoversTheDomains) {
  auto m = test::small_model();
  m.bounds.operations = {Op::Subscribe, Op::LaunchWorkload};
  std::vector<Call> a, b;
  enumerate_calls(m.world, m.bounds, a);
  enumerate_calls(m.world, m.bounds, b);
  EXPECT_EQ(a, b);
  ASSERT_EQ(a.size(), 2u * 4u);  // two operations x four callers x one product
  EXPECT_EQ(a[0].op, Op::Subscribe);
  EXPECT_EQ(a[4].op, Op::LaunchWorkload);
  EXPECT_EQ(a[3].caller, 3u);
}

TEST(Bounds, GrantCallsUseExistingGrantsAndVersionChoices) {
  auto m = test::small_model();
  World w = m.world;
  Call sub{};
  sub.op = Op::Subscribe;
  ASSERT_TRUE(apply(w, sub).ok());
  Call g{};
  g.op = Op::CreateGrant;
  g.license = 0;
  g.account = 3;
  ASSERT_TRUE(apply(w, g).ok());
  m.bounds.operations = {Op::DeleteGrant};
  m.bounds.callers = {0};
  m.bounds.versions = {VersionChoice::Current, VersionChoice::Stale, VersionChoice::Omitted};
  std::vector<Call> calls;
  enumerate_calls(w, m.bounds, calls);
  ASSERT_EQ(calls.size(), 2u);  // version 1 has no stale version
  EXPECT_EQ(calls[0].version, 1u);
  EXPECT_EQ(calls[1].version, 0u);
}

// The explorer reuses a call list for every state of the same call_shape:
// that is sound only if the list is a function of the shape.
TEST(Bounds, StatesOfOneCallShapeHaveTheSameCalls) {
  auto m = test::small_model();
  m.bounds.versions = {VersionChoice::Current, VersionChoice::Stale, VersionChoice::Omitted};
  m.bounds.operations.push_back(Op::DeleteGrant);
  m.bounds.operations.push_back(Op::CreateGrantVersion);
  std::map<std::vector<uint32_t>, std::vector<Call>> by_shape;
  size_t states = 0, reused = 0;
  std::vector<uint32_t> last, key;
  std::vector<Call> last_calls;
  test::naive_explore(m.world, m.bounds, Rules::standard(), nullptr, [&](const World& w) {
    ++states;
    call_shape(w, key);
    std::vector<Call> calls;
    enumerate_calls(w, m.bounds, calls);
    auto [it, inserted] = by_shape.emplace(key, calls);
    if (!inserted) {
      EXPECT_EQ(it->second, calls);
    }
    // A state of the previous state's shape gets the previous state's calls.
    const bool same = key == last;
    if (same) {
      EXPECT_EQ(last_calls, calls);
    }
    reused += same;
    last = key;
    last_calls = calls;
  });
  EXPECT_GT(states, 1000u);
  EXPECT_GT(by_shape.size(), 10u);
  EXPECT_GT(reused, 0u);
}

// The explorer's per-worker cache of call lists by shape gives every state
// exactly the calls enumerate_calls gives it, while enumerating far fewer
// times than there are states.
TEST(Bounds, TheCallCacheGivesEveryStateItsOwnCalls) {
  auto m = test::small_model();
  m.bounds.versions = {VersionChoice::Current, VersionChoice::Stale, VersionChoice::Omitted};
  m.bounds.operations.push_back(Op::DeleteGrant);
  m.bounds.operations.push_back(Op::CreateGrantVersion);
  CallCache cache;
  size_t states = 0;
  test::naive_explore(m.world, m.bounds, Rules::standard(), nullptr, [&](const World& w) {
    ++states;
    std::vector<Call> calls;
    enumerate_calls(w, m.bounds, calls);
    EXPECT_EQ(cache.calls(w, m.bounds), calls);
  });
  EXPECT_GT(states, 1000u);
  EXPECT_GT(cache.shapes(), 10u);
  EXPECT_LT(cache.shapes() * 10, states);
}

TEST(Bounds, IssuerEventsAreCalledByTheIssuer) {
  auto m = test::small_model();
  World w = m.world;
  Call sub{};
  sub.op = Op::Subscribe;
  ASSERT_TRUE(apply(w, sub).ok());
  m.bounds.operations = {Op::ExpireLicense};
  std::vector<Call> calls;
  enumerate_calls(w, m.bounds, calls);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].caller, kIssuer);
  EXPECT_TRUE(apply(w, calls[0]).ok());
}

TEST(Bounds, CapsAreStateConstraints) {
  auto m = test::small_model();
  World w = m.world;
  EXPECT_FALSE(beyond_caps(w, m.bounds));
  Call sub{};
  sub.op = Op::Subscribe;
  ASSERT_TRUE(apply(w, sub).ok());
  EXPECT_FALSE(beyond_caps(w, m.bounds));
  sub.caller = 1;
  ASSERT_TRUE(apply(w, sub).ok());
  EXPECT_TRUE(beyond_caps(w, m.bounds));  // two licenses, cap one
}

}  // namespace
}  // namespace entmc::engine

namespace entmc::engine {
namespace {

// Empty operations, callers or products would make `check` pass vacuously:
// each is bad input with its FILE:LINE:COL (issue 17).
TEST(Bounds, EmptyDomainsAreErrors) {
  for (const char* domain : {"operations: []", "callers: []", "products: []", "callers: outside"}) {
    const std::string text = std::string("name: empty\norg:\n  id: o-abcdefghij1\n  feature_set: ALL\n"
                                         "  management: \"111111111111\"\n  members: [\"222222222222\"]\n"
                                         "  prerequisites: all\nproducts:\n  - {name: W, type: AMI}\nbounds:\n  ") +
                             domain + "\n  max_depth: 2\n";
    try {
      load_check_text(text, "empty.yaml");
      ADD_FAILURE() << domain << " was accepted";
    } catch (const ScenarioError& e) {
      EXPECT_NE(std::string(e.what()).find("empty.yaml:11:"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("must not be empty"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace entmc::engine
