// The before-images a transition check reads from a change log (no previous
// World: the simulator): the first entry per index wins, in index order,
// whether the log is in order (the log itself is read), in decreasing order
// (an organization-wide call; read backwards) or mixed with repeats (a sorted
// copy).
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace entmc::props
