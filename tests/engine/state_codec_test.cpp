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

// The layout of state_codec.h written out one field at a time, as the
// encoder wrote it before it copied runs of adjacent members: the bytes (and
// so every fingerprint, checkpoint and MPI batch) must not change.
std::vector<uint8_t> pack_field_by_field(const World& w) {
  std::vector<uint8_t> out;
  auto put = [&](auto v) {
    const auto* b = reinterpret_cast<const uint8_t*>(&v);
    out.insert(out.end(), b, b + sizeof v);
  };
  put(uint16_t(w.licenses.size()));
  put(uint16_t(w.grants.size()));
  put(uint16_t(w.org_grants.size()));
  put(uint16_t(w.tokens.size()));
  put(w.org.feature_set);
  put(w.org.flags);
  put(w.org.pad);
  put(w.org.management);
  put(w.org.delegated_admin);
  for (const Account& a : w.accounts) {
    put(a.membership);
    put(a.flags);
    put(a.govcloud_link);
  }
  for (const License& l : w.licenses) {
    put(l.product);
    put(l.status);
    put(l.home_region);
    put(l.owner);
  }
  for (const Grant& g : w.grants) {
    put(g.license);
    put(g.grantor);
    put(g.grantee);
    put(g.parent);
    put(g.version);
    put(g.status);
    put(g.flags);
    put(g.allowed_ops);
    put(g.home_region);
    put(g.name);
    put(g.status_reason);
  }
  for (GrantIx g : w.org_grants) put(g);
  for (uint8_t r : w.running) put(r);
  for (const TokenRecord& t : w.tokens) {
    put(t.grant);
    put(t.version);
  }
  return out;
}

TEST(StateCodec, PackWritesTheLayoutFieldByField) {
  auto m = test::small_model();
  size_t checked = 0, with_grants = 0;
  std::vector<uint8_t> bytes, previous(512, 0xAB);
  test::naive_explore(m.world, m.bounds, Rules::standard(), nullptr, [&](const World& w) {
    bytes.clear();
    pack(w, bytes);
    ASSERT_EQ(bytes, pack_field_by_field(w));
    // pack_replace over a buffer holding the previous state's bytes (longer
    // or shorter; at first a filler) leaves exactly these bytes.
    pack_replace(w, previous);
    ASSERT_EQ(previous, pack_field_by_field(w));
    ++checked;
    with_grants += !w.grants.empty() && !w.licenses.empty();
  });
  EXPECT_GT(checked, 1000u);
  EXPECT_GT(with_grants, 100u);
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
