#include "engine/symmetry.h"

#include <gtest/gtest.h>

#include "engine/state_codec.h"
#include "test_worlds.h"

namespace entmc::engine {
namespace {

TEST(Symmetry, InterchangeableAccountsAreMembersTreatedAlike) {
  auto m = test::small_model(3, 2);
  EXPECT_EQ(find_symmetry(m.world, m.bounds), (SymmetryClasses{{1, 2, 3}, {4, 5}}));
  m.bounds.callers = {0, 1, 2, 4, 5};  // account 3 never calls: it is told apart
  EXPECT_EQ(find_symmetry(m.world, m.bounds), (SymmetryClasses{{1, 2}, {4, 5}}));
  m.bounds.callers = {0, 1, 2, 3, 4, 5};
  Call sub{};
  sub.op = Op::Subscribe;
  sub.caller = 2;
  ASSERT_TRUE(apply(m.world, sub).ok());  // account 2 owns something in the start state
  EXPECT_EQ(find_symmetry(m.world, m.bounds), (SymmetryClasses{{1, 3}, {4, 5}}));
}

// The same situation reached by two different members has one canonical form.
TEST(Symmetry, PermutedStatesShareTheCanonicalForm) {
  auto m = test::small_model(3, 0);
  Canonicalizer canon(find_symmetry(m.world, m.bounds));
  auto scenario = [&](AccountIx a, AccountIx b) {
    World w = m.world;
    Call c{};
    c.op = Op::Subscribe;
    c.caller = a;
    EXPECT_TRUE(apply(w, c).ok());
    c = Call{};
    c.op = Op::CreateGrant;
    c.caller = a;
    c.license = 0;
    c.account = b;
    EXPECT_TRUE(apply(w, c).ok());
    c = Call{};
    c.op = Op::CreateGrant;
    c.caller = 0;  // the management account has no license: fails
    c.license = 0;
    c.to_org = true;
    apply(w, c);
    return w;
  };
  std::vector<uint8_t> x, y, z;
  canon.canonical(scenario(1, 2), x);
  canon.canonical(scenario(3, 1), y);
  canon.canonical(scenario(1, 0), z);
  EXPECT_EQ(x, y);
  EXPECT_NE(x, z);
}

TEST(Symmetry, WithoutClassesTheCanonicalFormIsThePackedState) {
  auto m = test::small_model(1, 1);
  Canonicalizer canon(find_symmetry(m.world, m.bounds));
  EXPECT_FALSE(canon.active());
  std::vector<uint8_t> a, b;
  canon.canonical(m.world, a);
  pack(m.world, b);
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace entmc::engine
