// Every command's --junit file is valid against tests/report/junit.xsd (the
// JUnit XML format CI systems read, checked with xmllint from libxml2-utils)
// and says what failed: replay has a test case per file and per failing step,
// check one per property with the model as class name, fuzz and simulate one
// per property. Failing runs use entmc-planted (a planted bug).
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "run_helpers.h"

namespace {

using entmc::report_test::count;
using entmc::report_test::kSource;
using entmc::report_test::shell;
using entmc::report_test::slurp;

class Junit : public entmc::report_test::ScratchTest {
 protected:
  void SetUp() override {
    if (shell("command -v xmllint >/dev/null 2>&1") != 0) GTEST_SKIP() << "xmllint (libxml2-utils) is not installed";
    make_scratch("entmc_junit");
  }
  // Runs the command (with the planted bug `bug`, or none) writing --junit; returns the XML after validating it.
  std::string junit(const std::string& bug, const std::string& args, int want_code) {
    const std::string xml = dir_ + "/" + std::to_string(++n_) + ".xml";
    const std::string bin = bug.empty() ? ENTMC_BIN : ENTMC_PLANTED_BIN;
    const int code = run_in_scratch(bin, bug, args + " --junit " + xml);
    EXPECT_EQ(code, want_code) << args;
    const std::string check = "xmllint --noout --schema " + kSource + "/tests/report/junit.xsd " + xml + " 2>" + xml +
                              ".err";
    EXPECT_EQ(shell(check), 0) << args << "\n" << slurp(xml + ".err") << "\n" << slurp(xml);
    return slurp(xml);
  }
  int n_ = 0;
};

TEST_F(Junit, ReplayHasACasePerFileAndPerFailingStep) {
  const std::string pass = junit("", "replay -q " + kSource + "/scenarios/seed/accept_and_activate.yaml " + kSource +
                                         "/scenarios/seed/govcloud.yaml",
                                 0);
  EXPECT_EQ(count(pass, "<testsuite "), 2u);
  EXPECT_EQ(count(pass, "<failure"), 0u);
  // A trace of a planted bug: the file's case and its failing step's case fail.
  junit("accept-keeps-version", "check -q -j 1 " + kSource + "/scenarios/models/small.yaml --trace-out cex.yaml", 1);
  const std::string fail = junit("accept-keeps-version", "replay -q cex.yaml", 1);
  EXPECT_EQ(count(fail, "<failure"), 2u) << fail;
  EXPECT_NE(fail.find("grant-version-monotonic"), std::string::npos);
}

TEST_F(Junit, CheckHasACasePerPropertyNamedByModel) {
  const std::string xml = junit("accept-keeps-version", "check -q -j 1 " + kSource + "/scenarios/models/small.yaml", 1);
  EXPECT_EQ(count(xml, "<failure"), 1u);
  EXPECT_NE(xml.find("classname=\"entmc.check.small model\" name=\"grant-version-monotonic\""), std::string::npos);
}

TEST_F(Junit, FuzzAndSimulate) {
  EXPECT_EQ(count(junit("", "fuzz --runs 10 --seed 1 --out out", 0), "<failure"), 0u);
  const std::string fuzz = junit("delete-stops-workloads", "fuzz --runs 400 --seed 5 --out out", 1);
  EXPECT_EQ(count(fuzz, "<failure"), 1u);
  EXPECT_NE(fuzz.find("name=\"workloads-survive-license-actions\" time="), std::string::npos) << fuzz;
  EXPECT_EQ(count(junit("", "simulate --no-progress --events 1000 " + kSource + "/scenarios/sim/small.yaml", 0),
                  "<failure"),
            0u);
  const std::string sim = junit("leave-keeps-org-children",
                                "simulate --no-progress --events 60000 --accounts 300 --shrink-seconds 5 "
                                "--violation-out v " + kSource + "/scenarios/sim/small.yaml",
                                1);
  EXPECT_EQ(count(sim, "<failure"), 1u);
  EXPECT_NE(sim.find("name=\"org-grant-covers-members\""), std::string::npos);
}

}  // namespace
