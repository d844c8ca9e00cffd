// The record walks the properties use (properties/world_facts.h, the views of
// properties/frame.h) stop early only when asked to: a visitor that returns
// bool stops the walk at its first true, one that returns nothing sees every
// record; and the early-exit entitlement scan agrees with the full count, on
// seeded random states through apply() where accounts hold many grants.
#include "properties/frame.h"
#include "properties/world_facts.h"
#include "tests/properties/hand_built.h"
#include "tests/properties/random_calls.h"

namespace entmc::test {
namespace {

// Called qualified: the model has walks of the same names (model/entitlement.h), found by ADL.
using props::active_license_count_by_scan;
using props::has_active_license_by_scan;

TEST(WorldFacts, AWalkStopsAtTheFirstTrueAndOnlyThen) {
  size_t lists = 0;
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    RandomCalls gen(seed);
    Org o;
    o.check_properties = false;
    for (int step = 0; step < 400; ++step) {
      Changes ch;
      apply(o.w, gen.next(o.w), &ch, Rules::standard());
      const World& w = o.w;
      // Before without the previous World walks the lists of the state after
      // the call (the simulator's path); with an empty change log that is `w`.
      Changes none;
      none.begin(w);
      const Transition t{nullptr, w, Call{}, Outcome{}, none};
      const props::WholeBefore whole(w, w);
      for (AccountIx a = 0; a < w.accounts.size(); ++a) {
        for (ProductIx p = 0; p < w.product_count(); ++p) {
          // Every grant received, in order; then a walk that stops at the k-th.
          std::vector<GrantIx> all;
          props::for_each_received_for(w, a, p, [&](GrantIx g) { all.push_back(g); });
          for (size_t k = 0; k < all.size(); ++k) {
            std::vector<GrantIx> seen;
            props::for_each_received_for(w, a, p, [&](GrantIx g) {
              seen.push_back(g);
              return seen.size() == k + 1;
            });
            ASSERT_EQ(seen, std::vector<GrantIx>(all.begin(), all.begin() + long(k) + 1));
          }
          lists += all.size() > 2;
          // The same through the views the frame conditions and call-preconditions read.
          size_t before_all = 0, whole_all = 0, before_one = 0, whole_one = 0;
          props::Before(t).received_for(a, p, [&](GrantIx) { ++before_all; });
          whole.received_for(a, p, [&](GrantIx) { ++whole_all; });
          props::Before(t).received_for(a, p, [&](GrantIx) { return ++before_one == 1; });
          whole.received_for(a, p, [&](GrantIx) { return ++whole_one == 1; });
          EXPECT_EQ(before_all, all.size());
          EXPECT_EQ(whole_all, all.size());
          EXPECT_EQ(before_one, std::min<size_t>(all.size(), 1));
          EXPECT_EQ(whole_one, std::min<size_t>(all.size(), 1));
          size_t owned = 0, owned_one = 0;
          props::for_each_owned_for(w, a, p, [&](LicenseIx) { ++owned; });
          props::for_each_owned_for(w, a, p, [&](LicenseIx) { return ++owned_one == 1; });
          EXPECT_EQ(owned_one, std::min<size_t>(owned, 1));
          // The early-exit scan says what the full count says.
          EXPECT_EQ(has_active_license_by_scan(w, a, p), active_license_count_by_scan(w, a, p) > 0)
              << "account " << a << " product " << p << " at step " << step;
        }
      }
    }
  }
  EXPECT_GT(lists, 100u) << "the random states have lists long enough to stop in";
}

}  // namespace
}  // namespace entmc::test
