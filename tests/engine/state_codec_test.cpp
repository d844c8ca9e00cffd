#include "engine/state_codec.h"

#include <gtest/gtest.h>

#include "test_worlds.h"

namespace entmc::engine {
namespace {

// unpack(pack(w)) == w, index fields included, on every reachable state of the
// small model (grants to accounts and to the organization, joins, leaves,
// workloads), and the recorded size matches.
TEST(StateCodec, PackUnpackIsIdentityOnEveryReachableState) {
  auto m = test::small_model();
  size_t checked = 0;
  World scratch = m.world;
  std::vector<uint8_t> bytes;
  test::naive_explore(m.world, m.bounds, Rules::standard(), nullptr, [&](const World& w) {
    bytes.clear();
    pack(w, bytes);
    ASSERT_EQ(packed_size(bytes.data(), w.accounts.size(), w.products.size()), bytes.size());
    ASSERT_EQ(unpack(bytes.data(), scratch), bytes.size());
    ASSERT_EQ(scratch, w);
    ++checked;
  });
  EXPECT_GT(checked, 1000u);
}

TEST(StateCodec, PackedIsSmallerThanTheWorld) {
  auto m = test::small_model();
  std::vector<uint8_t> bytes;
  pack(m.world, bytes);
  EXPECT_EQ(bytes.size(), kPackedHeader + kPackedOrg + 4 * kPackedAccount + 4 + 8);  // 4 accounts x 1 product running, 1 token slot
}

TEST(StateCodec, RebuildIndicesMatchesTheMutationHelpers) {
  auto m = test::small_model();
  World w = m.world;
  Call sub{};
  sub.op = Op::Subscribe;
  sub.caller = 0;
  ASSERT_TRUE(apply(w, sub).ok());
  Call g{};
  g.op = Op::CreateGrant;
  g.caller = 0;
  g.license = 0;
  g.to_org = true;
  ASSERT_TRUE(apply(w, g).ok());
  g.to_org = false;
  g.account = 3;
  ASSERT_TRUE(apply(w, g).ok());
  World copy = w;
  rebuild_indices(copy);
  EXPECT_EQ(copy, w);
  // operator== leaves the derived counters out; the rebuilt ones equal the
  // ones the mutation helpers kept.
  EXPECT_EQ(copy.active_licenses, w.active_licenses);
  EXPECT_EQ(copy.first_received, w.first_received);  // an index outside operator== too
  EXPECT_TRUE(received_index_consistent(w));
  EXPECT_EQ(copy.first_owned, w.first_owned);
  EXPECT_TRUE(owned_index_consistent(w));
  EXPECT_TRUE(active_licenses_consistent(w));
}

}  // namespace
}  // namespace entmc::engine
