// A tiny adapter between RapidCheck and GoogleTest with the control the tests
// need: an explicit seed (so ctest is deterministic) and a run count that the
// environment scales (ENTMC_PROPTEST_SCALE=50 for the long target), and the
// classification (RC_TAG) counts returned to the test instead of printed.
#pragma once

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstdlib>
#include <map>
#include <string>

namespace entmc::proptest::testing {

inline int scaled_runs(int runs) {
  const char* s = std::getenv("ENTMC_PROPTEST_SCALE");
  const int scale = s ? std::max(1, std::atoi(s)) : 1;
  return runs * scale;
}

// Per tag: the number of runs that carried it.
using TagCounts = std::map<std::string, int>;

template <typename Testable>
TagCounts rc_check(Testable&& testable, int runs, uint64_t seed) {
  rc::detail::TestParams params;
  params.seed = seed;
  params.maxSuccess = runs;
  params.maxSize = rc::kNominalSize;
  rc::detail::TestMetadata metadata;
  metadata.id = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  const auto result = rc::detail::checkTestable(std::forward<Testable>(testable), metadata, params);
  TagCounts counts;
  if (result.template is<rc::detail::SuccessResult>()) {
    for (const auto& [tags, n] : result.template get<rc::detail::SuccessResult>().distribution)
      for (const auto& tag : tags)  // RapidCheck shows string tags quoted
        counts[tag.size() >= 2 && tag.front() == '"' ? tag.substr(1, tag.size() - 2) : tag] += n;
  } else {
    std::ostringstream ss;
    rc::detail::printResultMessage(result, ss);
    ADD_FAILURE() << ss.str();
  }
  return counts;
}

}  // namespace entmc::proptest::testing
