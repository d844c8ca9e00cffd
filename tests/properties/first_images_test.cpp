// The before-images a transition check reads from a change log (no previous
// World: the simulator): the first entry per index wins, in index order,
// whether the log is in order (the log itself is read), in decreasing order
// (an organization-wide call; read backwards) or mixed with repeats (a sorted
// copy).
#include <gtest/gtest.h>

#include "properties/before_view.h"
#include "properties/first_images.h"

namespace entmc::props {
namespace {

using Images = FirstImages<uint32_t, uint32_t>;
using Log = std::vector<std::pair<uint32_t, uint32_t>>;

std::vector<std::pair<uint32_t, uint32_t>> in_order(const Images& im) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  im.for_each([&](const auto& e) { out.push_back(e); });
  return out;
}

TEST(FirstImages, IncreasingDecreasingAndMixedLogsGiveTheFirstImagePerIndex) {
  const Log rising{{1, 10}, {4, 40}, {7, 70}};
  const Log falling{{7, 70}, {4, 40}, {1, 10}};
  const Log mixed{{4, 40}, {1, 10}, {4, 41}, {7, 70}, {1, 11}};
  const Log expected{{1, 10}, {4, 40}, {7, 70}};
  for (const Log* log : {&rising, &falling, &mixed}) {
    Images im;
    im.build(*log);
    EXPECT_EQ(in_order(im), expected);
    for (const auto& [ix, rec] : expected) {
      ASSERT_NE(im.find(ix), nullptr) << ix;
      EXPECT_EQ(*im.find(ix), rec) << ix;
    }
    for (uint32_t absent : {0u, 2u, 5u, 8u}) EXPECT_EQ(im.find(absent), nullptr) << absent;
    im.release();
  }
  const Log none;
  Images empty;
  empty.build(none);
  EXPECT_TRUE(in_order(empty).empty());
  EXPECT_EQ(empty.find(0), nullptr);
}

// BeforeView, without a previous World, reads the same images from a short
// log (searched in place: most calls log one or two records) as from a long
// one (indexed), with or without a TransitionCheckScope: the first entry per
// record is its before-image, and a record not logged is as it is now.
TEST(BeforeView, ShortAndLongLogsGiveTheFirstImagePerRecord) {
  for (uint32_t extra : {0u, 8u}) {
    SCOPED_TRACE(extra ? "long log" : "short log");
    World w = make_world(FeatureSet::ALL, {ProductType::AMI}, 0);
    for (int a = 0; a < 12; ++a) add_account(w, a == 0 ? Membership::MANAGEMENT : Membership::MEMBER);
    w.grants.resize(20);
    for (uint32_t g = 0; g < 20; ++g) w.grants[g].version = 100 + g;
    Changes ch;
    ch.begin(w);
    Grant first = w.grants[3], second = w.grants[3];
    first.version = 1;
    second.version = 2;
    ch.grants = {{3, first}, {3, second}};
    for (uint32_t i = 0; i < extra; ++i) ch.grants.emplace_back(10 + i, Grant{});
    ch.workloads = {{1, 0, 2}, {1, 0, 3}};
    for (uint32_t i = 0; i < extra; ++i) ch.workloads.push_back({AccountIx(2 + i), 0, 9});
    w.running[w.slot(1, 0)] = 4;
    const Call call;
    const Outcome outcome;
    const Transition t{nullptr, w, call, outcome, ch};
    auto expect_first_images = [&] {
      BeforeView v(t);
      ASSERT_NE(v.grant(3), nullptr);
      EXPECT_EQ(v.grant(3)->version, 1u);
      EXPECT_EQ(v.grant(4)->version, 104u);
      EXPECT_EQ(v.running(1, 0), 2);
      EXPECT_EQ(v.running(9, 0), extra ? 9 : 0);
      int changed = 0;
      v.for_each_changed_workload([&](AccountIx a, ProductIx, uint8_t before, uint8_t now) {
        if (a == 1) {
          EXPECT_EQ(before, 2);
          EXPECT_EQ(now, 4);
        }
        ++changed;
      });
      EXPECT_EQ(changed, 1 + int(extra));
    };
    expect_first_images();
    const TransitionCheckScope scope(t);
    expect_first_images();
  }
}

}  // namespace
}  // namespace entmc::props
