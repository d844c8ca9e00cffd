// The HTML reports (--html) of replay, check, fuzz and simulate, loaded in a
// real browser: headless Chromium (Debian package `chromium`) renders each with
// no console message (a script error or a blocked fetch would log one), and
// the rendered DOM holds the trace's steps in the timeline and, in the grid
// after the last step, the grant statuses a replay of the trace ends with.
// Skipped only when chromium is not installed (scripts/setup.sh installs it).
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>

#include "planted_rules.h"
#include "run_helpers.h"
#include "scenario/scenario.h"
#include "scenario/scenario_run.h"

namespace {

using entmc::report_test::count;
using entmc::report_test::kSource;
using entmc::report_test::shell;
using entmc::report_test::slurp;

std::string chromium() {
  for (const char* c : {"chromium", "chromium-browser", "google-chrome"})
    if (shell(std::string("command -v ") + c + " >/dev/null 2>&1") == 0) return c;
  return "";
}

class HtmlReport : public entmc::report_test::ScratchTest {
 protected:
  void SetUp() override {
    browser_ = chromium();
    if (browser_.empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup.sh installs it)";
    make_scratch("entmc_html");
  }
  int entmc(const std::string& bug, const std::string& args) { return run_in_scratch(ENTMC_PLANTED_BIN, bug, args); }
  // The rendered DOM of `html`; console messages go to *console.
  std::string render(const std::string& html, std::string* console) {
    const std::string err = html + ".log", dom = html + ".dom";
    const int code = shell("timeout 120 " + browser_ +
                           " --headless --disable-gpu --no-sandbox --no-first-run --user-data-dir=" + dir_ +
                           "/profile --enable-logging=stderr --v=0 --dump-dom file://" + html + " >" + dom + " 2>" + err);
    EXPECT_EQ(code, 0) << slurp(err);
    *console = "";
    std::istringstream log(slurp(err));
    for (std::string line; std::getline(log, line);)
      if (line.find("CONSOLE") != std::string::npos) *console += line + "\n";
    return slurp(dom);
  }
  // Loads the report, checks it is self-contained and renders without console messages.
  std::string load(const std::string& html) {
    const std::string page = slurp(html);
    EXPECT_FALSE(page.empty()) << html << " was not written";
    EXPECT_EQ(count(page, " src="), 0u) << "the report loads something";
    EXPECT_EQ(count(page, " href="), 0u) << "the report links something";
    std::string console;
    const std::string dom = render(html, &console);
    EXPECT_TRUE(console.empty()) << console;
    EXPECT_NE(dom.find("<main>"), std::string::npos) << "nothing rendered:\n" << dom.substr(0, 2000);
    return dom;
  }
  // The grant statuses, in grant order, at the end of a replay of `scenario` with `bug`'s rules.
  static std::vector<std::string> final_statuses(const std::string& scenario, const std::string& bug) {
    const entmc::Scenario sc = entmc::parse_scenario_file(scenario);
    entmc::ScenarioRun run(sc, entmc::planted::planted_bug(bug).rules);
    run.run_all();
    std::vector<std::string> out;
    for (const entmc::Grant& g : run.world().grants) out.emplace_back(entmc::to_string(g.status));
    return out;
  }
  // The status cells of the state shown after the last step (the one marked "shown").
  static std::vector<std::string> shown_statuses(const std::string& dom, size_t section = 0) {
    size_t at = 0;
    for (size_t i = 0; i <= section; ++i) at = dom.find("class=\"state-step shown\"", at + 1);
    const size_t end = dom.find("</div>", at);
    const std::string state = dom.substr(at, end - at);
    std::vector<std::string> out;
    static const std::regex cell("<td class=\"status\">([A-Z_]+)</td>");
    for (auto it = std::sregex_iterator(state.begin(), state.end(), cell); it != std::sregex_iterator(); ++it)
      out.push_back((*it)[1].str());
    return out;
  }
  std::string browser_;
};

TEST_F(HtmlReport, CheckAndReplayOfTheSameCounterexample) {
  const std::string bug = "accept-keeps-version";
  ASSERT_EQ(entmc(bug, "check -q -j 1 " + kSource + "/scenarios/models/small.yaml --trace-out cex.yaml --html " + dir_ +
                           "/check.html"),
            1);
  const std::string trace = dir_ + "/cex.yaml";
  const std::vector<std::string> statuses = final_statuses(trace, bug);
  ASSERT_FALSE(statuses.empty());

  const std::string dom = load(dir_ + "/check.html");
  EXPECT_NE(dom.find("grant-version-monotonic"), std::string::npos);
  EXPECT_NE(dom.find("Seed: "), std::string::npos) << "the property's seed section";
  EXPECT_NE(dom.find("Coverage"), std::string::npos);
  // The timeline: the start state and every call of the trace (the file's calls after the model's steps).
  const entmc::Scenario sc = entmc::parse_scenario_file(trace);
  const size_t steps = count(dom, "<li class=\"step ");
  EXPECT_GE(steps, 2u);
  EXPECT_LE(steps, sc.steps.size() + 1);
  EXPECT_EQ(count(dom, "class=\"step violation"), 1u);
  EXPECT_EQ(shown_statuses(dom), statuses);

  ASSERT_EQ(entmc(bug, "replay -q cex.yaml --html " + dir_ + "/replay.html"), 1);
  const std::string rdom = load(dir_ + "/replay.html");
  EXPECT_EQ(count(rdom, "<li class=\"step "), sc.steps.size() + 1);
  EXPECT_EQ(shown_statuses(rdom), statuses);
}

TEST_F(HtmlReport, FuzzAndSimulate) {
  ASSERT_EQ(entmc("delete-stops-workloads", "fuzz --runs 400 --seed 5 --out out --html " + dir_ + "/fuzz.html"), 1);
  const std::string fdom = load(dir_ + "/fuzz.html");
  EXPECT_NE(fdom.find("workloads-survive-license-actions"), std::string::npos);
  EXPECT_GE(count(fdom, "<li class=\"step "), 2u);

  ASSERT_EQ(entmc("leave-keeps-org-children", "simulate --no-progress --events 60000 --accounts 300 --shrink-seconds 5 "
                                              "--violation-out v --html " + dir_ + "/sim.html " + kSource +
                                              "/scenarios/sim/small.yaml"),
            1);
  const std::string sdom = load(dir_ + "/sim.html");
  EXPECT_NE(sdom.find("org-grant-covers-members"), std::string::npos);
  EXPECT_NE(sdom.find("<svg"), std::string::npos) << "the time series chart";
  EXPECT_GE(count(sdom, "<li class=\"step "), 2u) << "the shrunk failure as a timeline";
  EXPECT_EQ(shown_statuses(sdom), final_statuses(dir_ + "/v.yaml", "leave-keeps-org-children"));
}

}  // namespace
