// Shared by the engine tests that run one model two ways and expect the same
// result (checkpoint_test: stopped and resumed; frontier_disk_test: the
// frontier on disk against RAM): a fresh scratch folder per test, and the
// comparison of two runs' figures, verdicts, cover depths and trace lengths.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "engine/explorer.h"

namespace entmc::engine::test {

// An empty scratch folder under the system's temporary folder, named after
// the test and this process (the tests run in parallel). `create`: made
// now; else only any old one removed (the code under test makes it).
inline std::string fresh_dir(const std::string& name, bool create = true) {
  const auto d = std::filesystem::temp_directory_path() / ("entmc-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  if (create) std::filesystem::create_directories(d);
  return d.string();
}

struct SameRun {
  bool limit = true;   // the limit that stopped each run too
  bool calls = false;  // each violation's detail and its trace call by call, not only its length
};

inline void expect_same_run(const ExploreResult& a, const ExploreResult& b, SameRun how = {}) {
  EXPECT_EQ(a.stop, b.stop);
  if (how.limit) {
    EXPECT_EQ(a.limit, b.limit);
  }
  EXPECT_EQ(a.states, b.states);
  EXPECT_EQ(a.transitions, b.transitions);
  EXPECT_EQ(a.constrained, b.constrained);
  EXPECT_EQ(a.depth, b.depth);
  EXPECT_EQ(a.grant_statuses, b.grant_statuses);
  EXPECT_EQ(a.license_statuses, b.license_statuses);
  for (int op = 0; op < kOpCount; ++op) {
    EXPECT_EQ(a.coverage[op].succeeded, b.coverage[op].succeeded);
    EXPECT_EQ(a.coverage[op].failed, b.coverage[op].failed);
  }
  ASSERT_EQ(a.violations.size(), b.violations.size());
  for (size_t i = 0; i < a.violations.size(); ++i) {
    EXPECT_EQ(a.violations[i].property, b.violations[i].property);
    EXPECT_TRUE(b.violations[i].trace_ok);
    ASSERT_EQ(a.violations[i].trace.steps.size(), b.violations[i].trace.steps.size());
    if (!how.calls) continue;
    EXPECT_EQ(a.violations[i].detail, b.violations[i].detail);
    for (size_t s = 0; s < a.violations[i].trace.steps.size(); ++s) {
      EXPECT_EQ(a.violations[i].trace.steps[s].call, b.violations[i].trace.steps[s].call);
    }
  }
  ASSERT_EQ(a.sometimes.size(), b.sometimes.size());
  for (size_t i = 0; i < a.sometimes.size(); ++i) {
    EXPECT_EQ(a.sometimes[i].reached, b.sometimes[i].reached);
    EXPECT_EQ(a.sometimes[i].depth, b.sometimes[i].depth);
    EXPECT_EQ(a.sometimes[i].trace.steps.size(), b.sometimes[i].trace.steps.size());
  }
}

}  // namespace entmc::engine::test
